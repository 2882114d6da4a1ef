import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_IMPORT_LIMITS,
  detectFileFormat,
  ImportFileError,
  openCheckedArchive,
  resolveImportLimits,
} from './file-format.ts';
import { readRows } from './sheet-reader.ts';
import { buildZip, readZip, writeWorkbook } from './test-files.ts';

let directory: string;
let workbook: Buffer;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'shiliuzi-file-format-'));
  workbook = await writeWorkbook(join(directory, 'plain.xlsx'), (book) => {
    const sheet = book.addWorksheet('居民');
    sheet.addRow(['姓名', '民族']);
    sheet.addRow(['张三', '羌族']);
  });
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function fileWith(name: string, content: Buffer | string): Promise<string> {
  const path = join(directory, name);
  await writeFile(path, content);
  return path;
}

/** The problem an import of the file fails with. */
async function problemOf(action: Promise<unknown>): Promise<string> {
  try {
    await action;
  } catch (error) {
    expect(error).toBeInstanceOf(ImportFileError);
    return (error as ImportFileError).problem;
  }
  throw new Error('expected an ImportFileError');
}

async function readAll(path: string, limits = {}) {
  const rows = [];
  for await (const row of readRows(path, limits)) rows.push(row);
  return rows;
}

/** The parts of the workbook with its first sheet replaced (to build lying archives). */
async function workbookParts(): Promise<{ name: string; data: Buffer }[]> {
  const entries = await readZip(workbook);
  return [...entries].map(([name, data]) => ({ name, data }));
}

describe('detectFileFormat', () => {
  it('tells formats by content, not by name', async () => {
    expect(await detectFileFormat(join(directory, 'plain.xlsx'))).toBe('xlsx');
    expect(await detectFileFormat(await fileWith('renamed-csv.xlsx', '姓名,民族\n张三,羌族\n'))).toBe('csv');
    const ole2 = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]);
    expect(await detectFileFormat(await fileWith('old.xlsx', ole2))).toBe('xls');
    expect(
      await detectFileFormat(await fileWith('web.xls', '<html><body><table><tr><td>姓名</td></tr></table>')),
    ).toBe('html');
  });

  it('refuses empty, too large, binary and non-spreadsheet files', async () => {
    expect(await problemOf(detectFileFormat(await fileWith('empty.csv', '')))).toBe('file_empty');
    const big = await fileWith('big.csv', 'x'.repeat(2048));
    expect(await problemOf(detectFileFormat(big, resolveImportLimits({ maxFileBytes: 1024 })))).toBe(
      'file_too_large',
    );
    const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3]);
    expect(await problemOf(detectFileFormat(await fileWith('image.xlsx', binary)))).toBe(
      'unsupported_format',
    );
    const docx = buildZip([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'word/document.xml', data: '<w:document/>' },
    ]);
    expect(await problemOf(detectFileFormat(await fileWith('letter.xlsx', docx)))).toBe('unsupported_format');
  });

  it('refuses a truncated workbook', async () => {
    const truncated = await fileWith(
      'truncated.xlsx',
      workbook.subarray(0, Math.floor(workbook.length * 0.6)),
    );
    expect(await problemOf(detectFileFormat(truncated))).toBe('archive_truncated');
    expect(await problemOf(readAll(truncated))).toBe('archive_truncated');
  });

  it('says why, in Chinese, as an invalid_input AppError', async () => {
    try {
      await detectFileFormat(await fileWith('empty2.xlsx', ''));
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ status: 400, code: 'invalid_input', message: '上传的文件是空的。' });
    }
  });
});

describe('zip bombs', () => {
  const zeros = Buffer.alloc(20 * 1024 * 1024);
  const deflatedZeros = deflateRawSync(zeros);

  it('refuses an entry whose declared compression ratio is absurd, before inflating anything', async () => {
    const parts = await workbookParts();
    const bomb = buildZip(
      parts.map((part) =>
        part.name === 'xl/worksheets/sheet1.xml'
          ? { name: part.name, data: Buffer.alloc(0), deflated: deflatedZeros, declaredSize: zeros.length }
          : part,
      ),
    );
    expect(bomb.length).toBeLessThan(100_000);
    const path = await fileWith('ratio-bomb.xlsx', bomb);
    expect(await problemOf(detectFileFormat(path))).toBe('zip_bomb');
  });

  it('stops inflating an entry that lies about its size', async () => {
    const parts = await workbookParts();
    const liar = buildZip(
      parts.map((part) =>
        part.name === 'xl/worksheets/sheet1.xml'
          ? { name: part.name, data: Buffer.alloc(0), deflated: deflatedZeros, declaredSize: 1000 }
          : part,
      ),
    );
    const path = await fileWith('lying-bomb.xlsx', liar);
    // The central directory looks harmless…
    expect(await detectFileFormat(path)).toBe('xlsx');
    // …inflating shows otherwise
    expect(await problemOf(readAll(path))).toBe('zip_bomb');
  });

  it('holds the total and per-entry limits, declared and inflated', async () => {
    const parts = await workbookParts();
    const path = await fileWith('plain-again.xlsx', buildZip(parts));
    const tinyTotal = resolveImportLimits({ maxUncompressedBytes: 1000 });
    expect(await problemOf(detectFileFormat(path, tinyTotal))).toBe('zip_bomb');
    const tinyEntry = resolveImportLimits({ maxEntryUncompressedBytes: 100 });
    expect(await problemOf(openCheckedArchive(path, tinyEntry))).toBe('zip_bomb');
    expect(DEFAULT_IMPORT_LIMITS).toMatchObject({
      maxCompressionRatio: 200,
      maxColumns: 100,
      maxRows: 200_000,
    });
  });

  it('refuses an archive with more entries than a workbook has', async () => {
    const many = buildZip(
      Array.from({ length: 30 }, (_, index) => ({ name: `part${index}.xml`, data: 'x' })),
    );
    const path = await fileWith('many.xlsx', many);
    expect(await problemOf(detectFileFormat(path, resolveImportLimits({ maxArchiveEntries: 20 })))).toBe(
      'too_many_entries',
    );
  });
});
