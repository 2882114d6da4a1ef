/**
 * What an uploaded register file really is, and whether it is safe to open. The format comes from the content,
 * never from the name: an .xls or .csv renamed .xlsx is read as what it is. Zip archives (xlsx, ods) are
 * checked before anything inflates them: the size each entry declares, their total, their compression ratio,
 * the number of entries, encryption; and while inflating, since declared sizes can lie. Every limit lives in
 * one `ImportLimits` object; a file over a limit is refused with an `ImportFileError` whose message (Chinese)
 * says why, never with a crash.
 */
import { open as openFile, stat } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { AppError } from '../../../errors.ts';
import { importFileMessages, type ImportMessageDetails } from '../../../locales/import.zh-CN.ts';

export interface ImportLimits {
  /** Size of the uploaded file. */
  maxFileBytes: number;
  /** All entries of an archive together, inflated. */
  maxUncompressedBytes: number;
  /** One entry of an archive, inflated. */
  maxEntryUncompressedBytes: number;
  /** Inflated size over compressed size of one entry. */
  maxCompressionRatio: number;
  /** Entries smaller than this (inflated) are not held to the ratio: small XML parts compress very well. */
  ratioCheckMinBytes: number;
  maxArchiveEntries: number;
  /** Non-blank rows of all sheets together. */
  maxRows: number;
  /** Columns of a row that may hold something; a row with content further right is rejected. */
  maxColumns: number;
  /** Characters of one cell; a row with a longer cell is rejected. */
  maxCellLength: number;
  /** How long LibreOffice may take to convert an .xls file. */
  conversionTimeoutMs: number;
}

const MB = 1024 * 1024;

export const DEFAULT_IMPORT_LIMITS: Readonly<ImportLimits> = Object.freeze({
  maxFileBytes: 50 * MB,
  maxUncompressedBytes: 500 * MB,
  maxEntryUncompressedBytes: 500 * MB,
  maxCompressionRatio: 200,
  ratioCheckMinBytes: 1 * MB,
  maxArchiveEntries: 10_000,
  maxRows: 200_000,
  maxColumns: 100,
  maxCellLength: 2_000,
  conversionTimeoutMs: 120_000,
});

/** The defaults with the given limits replaced. */
export function resolveImportLimits(limits: Partial<ImportLimits> = {}): ImportLimits {
  return { ...DEFAULT_IMPORT_LIMITS, ...limits };
}

export type ImportFileProblem =
  | 'file_empty'
  | 'file_too_large'
  | 'unsupported_format'
  | 'archive_truncated'
  | 'archive_corrupt'
  | 'archive_encrypted'
  | 'zip_bomb'
  | 'too_many_entries'
  | 'too_many_rows'
  | 'xls_converter_missing'
  | 'conversion_failed'
  | 'csv_malformed'
  | 'encoding_unknown'
  | 'sheet_unreadable';

/**
 * A file that cannot be imported as a whole. It is an `AppError` (400, or 413 for size limits) with
 * `invalid_input` as its code and the Chinese reason as its message; `problem` says which.
 */
export class ImportFileError extends AppError {
  constructor(
    readonly problem: ImportFileProblem,
    readonly details: ImportMessageDetails = {},
    options?: { cause?: unknown },
  ) {
    const isSizeLimit = ['file_too_large', 'zip_bomb', 'too_many_rows', 'too_many_entries'].includes(problem);
    super(isSizeLimit ? 413 : 400, 'invalid_input', importFileMessages[problem](details));
    this.name = 'ImportFileError';
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

export function isImportFileError(error: unknown): error is ImportFileError {
  return error instanceof ImportFileError;
}

/**
 * xlsx: Office Open XML workbook. xls: the binary Excel 97–2003 format (an OLE2 compound file). ods:
 * OpenDocument. html and spreadsheetml: tables that older systems export with an .xls name (a web page, or
 * Excel 2003 XML). csv: any other text.
 */
export type FileFormat = 'xlsx' | 'xls' | 'ods' | 'html' | 'spreadsheetml' | 'csv';

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const EMPTY_ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x05, 0x06]);
const OLE2_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const SNIFF_BYTES = 64 * 1024;

/** Checks the file's size and reads its first bytes. */
async function readHead(filePath: string, limits: ImportLimits): Promise<Buffer> {
  const { size } = await stat(filePath);
  if (size === 0) throw new ImportFileError('file_empty');
  if (size > limits.maxFileBytes) {
    throw new ImportFileError('file_too_large', { limit: Math.round(limits.maxFileBytes / MB) });
  }
  const handle = await openFile(filePath, 'r');
  try {
    const head = Buffer.alloc(Math.min(size, SNIFF_BYTES));
    await handle.read(head, 0, head.length, 0);
    return head;
  } finally {
    await handle.close();
  }
}

/** True when the bytes look like text in some encoding: no NUL bytes (unless UTF-16 with a BOM), few controls. */
function looksLikeText(head: Buffer): boolean {
  if (head[0] === 0xff && head[1] === 0xfe) return true;
  if (head[0] === 0xfe && head[1] === 0xff) return true;
  let controls = 0;
  for (const byte of head) {
    if (byte === 0) return false;
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20 && byte !== 0x1b)) controls += 1;
  }
  return controls <= head.length / 100;
}

/** The start of a text file, for telling a web page or Excel 2003 XML from CSV. */
function textStart(head: Buffer): string {
  if (head[0] === 0xff && head[1] === 0xfe) return new TextDecoder('utf-16le').decode(head);
  if (head[0] === 0xfe && head[1] === 0xff) return new TextDecoder('utf-16be').decode(head);
  return head.toString('latin1');
}

/**
 * The real format of the file, from its content. Also refuses an empty or too large file, and a zip archive
 * that is truncated, encrypted or a bomb (see `openCheckedArchive`), or that is no spreadsheet.
 */
export async function detectFileFormat(
  filePath: string,
  limits: ImportLimits = resolveImportLimits(),
): Promise<FileFormat> {
  const head = await readHead(filePath, limits);
  if (head.subarray(0, 4).equals(ZIP_MAGIC) || head.subarray(0, 4).equals(EMPTY_ZIP_MAGIC)) {
    const archive = await openCheckedArchive(filePath, limits);
    try {
      if (archive.entries.has('[Content_Types].xml') && archive.entries.has('xl/workbook.xml')) return 'xlsx';
      if (archive.entries.has('content.xml') && archive.entries.has('mimetype')) {
        const mimetype = await readEntryText(archive, 'mimetype');
        if (mimetype.includes('opendocument.spreadsheet')) return 'ods';
      }
      throw new ImportFileError('unsupported_format');
    } finally {
      archive.close();
    }
  }
  if (head.subarray(0, 8).equals(OLE2_MAGIC)) return 'xls';
  // A zip whose first bytes were cut or damaged is no text either
  if (head.subarray(0, 2).toString('latin1') === 'PK' || !looksLikeText(head)) {
    throw new ImportFileError('unsupported_format');
  }
  const start = textStart(head)
    .replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, '')
    .trimStart()
    .toLowerCase();
  if (start.startsWith('<?xml') && start.includes('urn:schemas-microsoft-com:office:spreadsheet')) {
    return 'spreadsheetml';
  }
  if (start.startsWith('<') && start.includes('<table')) return 'html';
  if (start.startsWith('%pdf') || start.startsWith('{\\rtf')) throw new ImportFileError('unsupported_format');
  return 'csv';
}

// -----------------------------------------------------------------------------------------------------------
// Zip archives

/** A zip archive whose central directory passed the checks; entries are inflated under the same limits. */
export interface CheckedArchive {
  /** Entries by name ('xl/workbook.xml'); backslashes in names are read as slashes. */
  readonly entries: ReadonlyMap<string, Entry>;
  /**
   * The entry inflated and decoded as UTF-8 (split characters are joined across chunks), or undefined when
   * there is no such entry. The stream fails with an `ImportFileError` as soon as the entry inflates to more
   * than it declared, than the per-entry or total limit, or beyond the compression ratio.
   */
  openText(name: string): Promise<Readable | undefined>;
  close(): void;
}

function mapZipError(error: unknown, entryName?: string): ImportFileError {
  if (error instanceof ImportFileError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/too many bytes in the stream/i.test(message)) {
    return new ImportFileError('zip_bomb', { name: entryName }, { cause: error });
  }
  if (/end of central directory record signature not found|unexpected EOF|too few bytes/i.test(message)) {
    return new ImportFileError('archive_truncated', {}, { cause: error });
  }
  if (/encrypt/i.test(message)) return new ImportFileError('archive_encrypted', {}, { cause: error });
  return new ImportFileError('archive_corrupt', {}, { cause: error });
}

/**
 * Opens a zip archive and checks its central directory before inflating anything: entry count, encryption,
 * each entry's declared size against the per-entry limit, their total, each entry's compression ratio, and
 * that the compressed sizes fit in the file (overlapping entries are a known bomb).
 */
export async function openCheckedArchive(
  filePath: string,
  limits: ImportLimits = resolveImportLimits(),
): Promise<CheckedArchive> {
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(filePath, {
      lazyEntries: true,
      autoClose: false,
      validateEntrySizes: true,
      strictFileNames: false,
      decodeStrings: true,
    });
  } catch (error) {
    throw mapZipError(error);
  }
  try {
    if (zip.entryCount > limits.maxArchiveEntries) {
      throw new ImportFileError('too_many_entries', { limit: limits.maxArchiveEntries });
    }
    const entries = new Map<string, Entry>();
    let declaredTotal = 0;
    let compressedTotal = 0;
    for await (const entry of zip.eachEntry()) {
      if (entry.isEncrypted()) throw new ImportFileError('archive_encrypted');
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
        throw new ImportFileError('archive_corrupt');
      }
      declaredTotal += entry.uncompressedSize;
      compressedTotal += entry.compressedSize;
      const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
      if (
        entry.uncompressedSize > limits.maxEntryUncompressedBytes ||
        declaredTotal > limits.maxUncompressedBytes ||
        (entry.uncompressedSize > limits.ratioCheckMinBytes && ratio > limits.maxCompressionRatio)
      ) {
        throw new ImportFileError('zip_bomb', { name: entry.fileName });
      }
      entries.set(entry.fileName, entry);
    }
    if (compressedTotal > zip.fileSize) throw new ImportFileError('zip_bomb', { name: filePath });
    return createCheckedArchive(zip, entries, limits);
  } catch (error) {
    zip.close();
    throw mapZipError(error);
  }
}

function createCheckedArchive(
  zip: ZipFile,
  entries: ReadonlyMap<string, Entry>,
  limits: ImportLimits,
): CheckedArchive {
  let inflatedTotal = 0;
  const openStreams = new Set<Readable>();
  return {
    entries,
    async openText(name) {
      const entry = entries.get(name);
      if (entry === undefined) return undefined;
      let source: Readable;
      try {
        source = await zip.openReadStreamPromise(entry);
      } catch (error) {
        throw mapZipError(error, name);
      }
      let entryBytes = 0;
      const limiter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          entryBytes += chunk.length;
          inflatedTotal += chunk.length;
          const ratio = entryBytes / Math.max(entry.compressedSize, 1);
          if (
            entryBytes > limits.maxEntryUncompressedBytes ||
            inflatedTotal > limits.maxUncompressedBytes ||
            (entryBytes > limits.ratioCheckMinBytes && ratio > limits.maxCompressionRatio)
          ) {
            callback(new ImportFileError('zip_bomb', { name }));
            return;
          }
          callback(null, chunk);
        },
      });
      source.on('error', (error) => limiter.destroy(mapZipError(error, name)));
      limiter.on('close', () => {
        openStreams.delete(limiter);
        source.destroy();
      });
      source.pipe(limiter);
      limiter.setEncoding('utf8');
      openStreams.add(limiter);
      return limiter;
    },
    close() {
      for (const stream of openStreams) stream.destroy();
      zip.close();
    },
  };
}

/** A small entry as text (at most 64 KiB are read). */
async function readEntryText(archive: CheckedArchive, name: string): Promise<string> {
  const stream = await archive.openText(name);
  if (stream === undefined) return '';
  let text = '';
  for await (const chunk of stream) {
    text += String(chunk);
    if (text.length > SNIFF_BYTES) break;
  }
  stream.destroy();
  return text;
}
