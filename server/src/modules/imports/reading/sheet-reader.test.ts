import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportFileError } from './file-format.ts';
import { readRows, type RawRow } from './sheet-reader.ts';
import { encodeGb18030, makeIdNumber, rewriteZip, writeWorkbook } from './test-files.ts';

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'shiliuzi-sheet-reader-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function readAll(
  path: string,
  ...rest: Parameters<typeof readRows> extends [string, ...infer R] ? R : never
) {
  const rows: RawRow[] = [];
  for await (const row of readRows(path, ...rest)) rows.push(row);
  return rows;
}

const ID = makeIdNumber('513221', '19850302', 123);

describe('xlsx', () => {
  it('gives cached formula results, plain text of rich text, dates and numbers as they are', async () => {
    const path = join(directory, 'cells.xlsx');
    await writeWorkbook(path, (book) => {
      const sheet = book.addWorksheet('台账');
      sheet.getCell('A1').value = { richText: [{ text: '张', font: { bold: true } }, { text: '三' }] };
      sheet.getCell('B1').value = { formula: 'D1&"族"', result: '羌族' };
      sheet.getCell('C1').value = { formula: '1+1', result: 2 };
      sheet.getCell('D1').value = { formula: 'NOW()' } as never;
      sheet.getCell('E1').value = new Date(Date.UTC(1985, 2, 2));
      sheet.getCell('F1').value = 510703198503021000;
      sheet.getCell('G1').value = true;
      sheet.getCell('H1').value = 'line one\nline two';
    });
    const [row] = await readAll(path);
    expect(row).toEqual({
      sheet: '台账',
      row: 1,
      cells: [
        '张三',
        '羌族',
        2,
        null,
        new Date(Date.UTC(1985, 2, 2)),
        510703198503021000,
        true,
        'line one\nline two',
      ],
    });
  });

  it('reads every sheet in workbook order with the row numbers Excel shows, skipping empty rows', async () => {
    const path = join(directory, 'sheets.xlsx');
    await writeWorkbook(path, (book) => {
      const first = book.addWorksheet('第一网格');
      first.getCell('A1').value = '标题';
      first.getCell('B4').value = '张三';
      first.getCell('A6').value = '   ';
      first.getCell('C9').value = '李四';
      book.addWorksheet('空表');
      const third = book.addWorksheet('第二网格');
      third.getCell('A2').value = '王五';
    });
    const rows = await readAll(path);
    expect(rows.map((row) => [row.sheet, row.row, row.cells])).toEqual([
      ['第一网格', 1, ['标题']],
      ['第一网格', 4, [null, '张三']],
      ['第一网格', 9, [null, null, '李四']],
      ['第二网格', 2, ['王五']],
    ]);
  });

  it('keeps CJK Extension B characters and emoji intact, even where chunks of the archive split them', async () => {
    const path = join(directory, 'names.xlsx');
    const names = Array.from(
      { length: 6000 },
      (_, index) => `${String.fromCodePoint(0x20000 + (index % 500))}明😀${index}羌`,
    );
    const buffer = await writeWorkbook(path, (book) => {
      const sheet = book.addWorksheet('名单');
      for (const name of names) sheet.addRow([name, '羌族']);
    });
    // exceljs's writer (JSZip) cuts a surrogate pair at its 16 KiB blocks: write the strings again, intact
    const strings = [names[0]!, '羌族', ...names.slice(1)];
    const sharedStrings =
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
      `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}" ` +
      `uniqueCount="${strings.length}">${strings.map((text) => `<si><t>${text}</t></si>`).join('')}</sst>`;
    await writeFile(
      path,
      await rewriteZip(buffer, (name, data) => (name === 'xl/sharedStrings.xml' ? sharedStrings : data)),
    );
    const rows = await readAll(path);
    expect(rows.map((row) => row.cells)).toEqual(names.map((name) => [name, '羌族']));
  });

  it('does not visit the empty rows a dimension of A1:Z1048576 claims', async () => {
    const path = join(directory, 'dimension.xlsx');
    const buffer = await writeWorkbook(path, (book) => {
      const sheet = book.addWorksheet('居民');
      sheet.addRow(['姓名', '民族']);
      for (let index = 1; index <= 4; index += 1) sheet.addRow([`居民${index}`, '回族']);
    });
    const tampered = await rewriteZip(buffer, (name, data) =>
      name === 'xl/worksheets/sheet1.xml'
        ? data.toString('utf8').replace(/<dimension ref="[^"]*"\/>/, '<dimension ref="A1:Z1048576"/>')
        : data,
    );
    expect(tampered.toString('latin1')).not.toContain('A1:B5');
    await writeFile(path, tampered);
    // The rows the file holds, read as they stream: a reader walking the claimed range would not
    // end inside the test's time-out.
    const rows = await readAll(path);
    expect(rows).toHaveLength(5);
  });

  it('cuts a row at the column limit and says how many cells it dropped', async () => {
    const path = join(directory, 'wide.xlsx');
    await writeWorkbook(path, (book) => {
      const sheet = book.addWorksheet('宽表');
      sheet.addRow(Array.from({ length: 200 }, (_, index) => `列${index + 1}`));
    });
    const [row] = await readAll(path);
    expect(row!.cells).toHaveLength(100);
    expect(row!.cells[99]).toBe('列100');
    expect(row!.extraCells).toBe(100);
  });

  it('cuts a 5 MB cell to the cell limit and names it, without hanging', async () => {
    const path = join(directory, 'long-cell.xlsx');
    // Random letters: a long cell that does not compress like a bomb
    const letters = Array.from({ length: 5_000_000 }, () =>
      String.fromCharCode(97 + Math.floor(Math.random() * 26)),
    );
    const long = letters.join('');
    await writeWorkbook(path, (book) => {
      const sheet = book.addWorksheet('长文本');
      sheet.addRow(['张三', long, '羌族']);
    });
    // A reader that hung on the cell would run into the test's time-out.
    const [row] = await readAll(path);
    expect(row!.cells).toEqual(['张三', long.slice(0, 2000), '羌族']);
    expect(row!.overlongCells).toEqual([1]);
  }, 60_000);

  it('stops with a reason past the row limit', async () => {
    const path = join(directory, 'many-rows.xlsx');
    await writeWorkbook(path, (book) => {
      const sheet = book.addWorksheet('居民');
      for (let index = 0; index < 30; index += 1) sheet.addRow([`居民${index}`]);
    });
    await expect(readAll(path, { maxRows: 20 })).rejects.toMatchObject({
      problem: 'too_many_rows',
      message: '文件的数据超过 20 行，请拆分后分批导入。',
    });
  });
});

describe('csv', () => {
  const text = `姓名,民族,身份证号码\n张三,羌族,${ID}\n"李""四""",回族,\n\n𠀀明😀,维吾尔族,\n`;
  const expected = [
    { sheet: '居民', row: 1, cells: ['姓名', '民族', '身份证号码'] },
    { sheet: '居民', row: 2, cells: ['张三', '羌族', ID] },
    { sheet: '居民', row: 3, cells: ['李"四"', '回族'] },
    { sheet: '居民', row: 5, cells: ['𠀀明😀', '维吾尔族'] },
  ];

  it('reads UTF-8 with a BOM', async () => {
    const path = join(directory, 'bom.csv');
    await writeFile(path, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
    expect(await readAll(path, {}, { csvSheetName: '居民' })).toEqual(expected);
  });

  it('reads UTF-8 without a BOM, with Windows line ends', async () => {
    const path = join(directory, 'plain.csv');
    await writeFile(path, text.replaceAll('\n', '\r\n'));
    expect(await readAll(path, {}, { csvSheetName: '居民' })).toEqual(expected);
  });

  it('reads GB18030 (GBK), also where a character straddles two chunks', async () => {
    const lines = ['姓名,民族,现住址'];
    for (let index = 0; index < 5000; index += 1) lines.push(`张${index}三,羌族,和顺苑${index}栋`);
    const path = join(directory, 'gbk.csv');
    await writeFile(path, encodeGb18030(lines.join('\r\n')));
    const rows = await readAll(path, {}, { csvSheetName: '居民' });
    expect(rows).toHaveLength(5001);
    expect(rows[0]!.cells).toEqual(['姓名', '民族', '现住址']);
    expect(rows.map((row) => row.cells.join(','))).toEqual(lines);
  });

  it('reads tab-separated UTF-16 text (Excel’s “Unicode text”)', async () => {
    const path = join(directory, 'unicode.txt');
    const content = '姓名\t民族\r\n张三\t羌族\r\n';
    await writeFile(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(content, 'utf16le')]));
    expect((await readAll(path, {}, { csvSheetName: 'x' })).map((row) => row.cells)).toEqual([
      ['姓名', '民族'],
      ['张三', '羌族'],
    ]);
  });

  it('reads a CSV file named .xlsx as CSV, named after the file', async () => {
    const path = join(directory, '居民名单.xlsx');
    await writeFile(path, text);
    const rows = await readAll(path);
    expect(rows[1]).toEqual({ sheet: '居民名单', row: 2, cells: ['张三', '羌族', ID] });
  });

  it('refuses a quote that is never closed, naming the line', async () => {
    const path = join(directory, 'broken.csv');
    await writeFile(path, '姓名,民族\n张三,羌族\n"李四,回族\n王五,汉族\n');
    const error = await readAll(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImportFileError);
    expect(error).toMatchObject({ problem: 'csv_malformed' });
  });
});

describe('xls', () => {
  it('converts an .xls file (even one named .xlsx) through LibreOffice', { timeout: 60_000 }, async () => {
    const source = join(directory, 'legacy.xlsx');
    await writeWorkbook(source, (book) => {
      const sheet = book.addWorksheet('少数民族');
      sheet.addRow(['姓名', '民族', '身份证号码']);
      sheet.addRow(['张三', '羌族', ID]);
      sheet.addRow(['𠀀明', '回族', '']);
    });
    const profile = pathToFileURL(join(directory, 'soffice-profile')).href;
    const converted = spawnSync(
      'soffice',
      [
        `-env:UserInstallation=${profile}`,
        '--headless',
        '--convert-to',
        'xls',
        '--outdir',
        join(directory, 'xls'),
        source,
      ],
      { encoding: 'utf8' },
    );
    expect(converted.status, converted.stderr).toBe(0);
    const xls = join(directory, 'xls', 'legacy.xls');
    expect((await readFile(xls)).subarray(0, 4).toString('hex')).toBe('d0cf11e0');
    const renamed = join(directory, 'xls', 'renamed.xlsx');
    await rename(xls, renamed);

    const rows = await readAll(renamed);
    expect(rows.map((row) => [row.sheet, row.row, row.cells])).toEqual([
      ['少数民族', 1, ['姓名', '民族', '身份证号码']],
      ['少数民族', 2, ['张三', '羌族', ID]],
      ['少数民族', 3, ['𠀀明', '回族']],
    ]);
  });

  it('asks for .xlsx when LibreOffice is not there', async () => {
    const path = join(directory, 'no-office.xls');
    await writeFile(path, Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]));
    const error = await readAll(path, {}, { soffice: false }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ problem: 'xls_converter_missing' });
    expect((error as Error).message).toContain('另存为“Excel 工作簿（*.xlsx）”');
  });

  it('says so when the conversion fails', async () => {
    const path = join(directory, 'failing.xls');
    await writeFile(path, Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]));
    await expect(readAll(path, {}, { soffice: '/bin/false' })).rejects.toMatchObject({
      problem: 'conversion_failed',
    });
  });
});
