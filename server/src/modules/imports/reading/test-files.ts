/**
 * Builders of messy register files for the tests of this folder: workbooks written with exceljs, zip archives
 * written by hand (to tamper with what an entry declares), GB18030 text, and valid ID numbers. Used by tests
 * only.
 */
import { writeFile } from 'node:fs/promises';
import { crc32, deflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import * as yauzl from 'yauzl';

export { makeIdNumber } from '../../../../test/fixtures.ts';

/** Writes a workbook built by `build` to `path`. */
export async function writeWorkbook(
  path: string,
  build: (workbook: ExcelJS.Workbook) => void,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  build(workbook);
  const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
  await writeFile(path, buffer);
  return buffer;
}

export interface ZipEntryInput {
  name: string;
  data: Buffer | string;
  /** Written into the headers instead of the real inflated size (a lying archive). */
  declaredSize?: number;
  /** Already deflated data (with `declaredSize`), for entries too big to hold inflated. */
  deflated?: Buffer;
}

/** A zip archive written by hand: deflated entries, no data descriptors, no zip64. */
export function buildZip(entries: readonly ZipEntryInput[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const data = typeof entry.data === 'string' ? Buffer.from(entry.data, 'utf8') : entry.data;
    const compressed = entry.deflated ?? deflateRawSync(data);
    const name = Buffer.from(entry.name, 'utf8');
    const size = entry.declaredSize ?? data.length;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** The entries of a zip archive, inflated. */
export async function readZip(buffer: Buffer): Promise<Map<string, Buffer>> {
  const zip = await yauzl.fromBufferPromise(buffer, { lazyEntries: true });
  const entries = new Map<string, Buffer>();
  for await (const entry of zip.eachEntry()) {
    const stream = await zip.openReadStreamPromise(entry);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    entries.set(entry.fileName, Buffer.concat(chunks));
  }
  zip.close();
  return entries;
}

/** The archive again, with some entries' content replaced. */
export async function rewriteZip(
  buffer: Buffer,
  replace: (name: string, data: Buffer) => Buffer | string,
): Promise<Buffer> {
  const entries = await readZip(buffer);
  return buildZip([...entries].map(([name, data]) => ({ name, data: replace(name, data) })));
}

let gb18030Codes: Map<string, Buffer> | undefined;

/**
 * Text encoded in GB18030 (two-byte characters only: all of GBK, which is what registers hold). Node decodes
 * GB18030 but has no encoder; the table is built by decoding every two-byte sequence.
 */
export function encodeGb18030(text: string): Buffer {
  if (!gb18030Codes) {
    gb18030Codes = new Map();
    const decoder = new TextDecoder('gb18030');
    for (let lead = 0x81; lead <= 0xfe; lead += 1) {
      for (let trail = 0x40; trail <= 0xfe; trail += 1) {
        if (trail === 0x7f) continue;
        const bytes = Buffer.from([lead, trail]);
        const character = decoder.decode(bytes);
        if (character.length === 1 && character !== '\uFFFD' && !gb18030Codes.has(character)) {
          gb18030Codes.set(character, bytes);
        }
      }
    }
  }
  const parts: Buffer[] = [];
  for (const character of text) {
    if (character.charCodeAt(0) < 0x80) parts.push(Buffer.from(character, 'latin1'));
    else {
      const bytes = gb18030Codes.get(character);
      if (!bytes) throw new Error(`No two-byte GB18030 code for ${character}`);
      parts.push(bytes);
    }
  }
  return Buffer.concat(parts);
}
