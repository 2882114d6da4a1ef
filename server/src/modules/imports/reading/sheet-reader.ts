/**
 * Streams the non-blank rows of an uploaded register file, whatever its format, as `RawRow`s: sheet name,
 * the row number the user sees in Excel, and the cell values.
 *
 * - xlsx: exceljs's streaming readers (`WorkbookReader` for the workbook, styles and shared strings,
 *   `WorksheetReader` for the rows) over entries that `openCheckedArchive` inflates under the import limits.
 *   The archive is read with yauzl rather than exceljs's own unzipper so that the limits hold while inflating,
 *   the sheets come in workbook order without temporary files, and each entry reaches the XML parser as text
 *   decoded across chunk boundaries (exceljs decodes every chunk on its own, which garbles a CJK character or
 *   an emoji that a chunk boundary happens to split). Formula cells give their cached result, never
 *   evaluated; rich text gives its plain text; date-formatted cells give a `Date` (midnight UTC of the day);
 *   only rows present in the sheet are visited, so a dimension claiming 1,048,576 rows costs nothing.
 * - csv: csv-parse, streaming. The encoding is UTF-8 (with or without BOM) when the first bytes above ASCII
 *   decode as strict UTF-8, else GB18030 (which covers GBK and GB2312); UTF-16 with a BOM (Excel's
 *   "Unicode text") too. The delimiter is a comma, a tab or a semicolon, whichever the first line uses most.
 * - xls, ods, and web-page or Excel 2003 XML tables named .xls: converted to xlsx by LibreOffice (headless,
 *   with a fresh profile) when `soffice` is on the PATH; otherwise refused with a message asking the user to
 *   save the file as .xlsx.
 *
 * Limits: a row with content beyond `maxColumns` keeps its first columns and says how many cells it dropped;
 * a cell longer than `maxCellLength` is cut and named, so the mapper can reject that row with a reason; more
 * than `maxRows` non-blank rows stop the file with an `ImportFileError`.
 */
import { spawn } from 'node:child_process';
import { constants, createReadStream } from 'node:fs';
import { access, copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter as pathDelimiter, extname, join, posix } from 'node:path';
import { Readable, pipeline } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { TextDecoder } from 'node:util';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';
import { isBlankCell, type CellValue } from '@shiliuzi/shared/import-normalize';
import {
  detectFileFormat,
  ImportFileError,
  openCheckedArchive,
  resolveImportLimits,
  type CheckedArchive,
  type FileFormat,
  type ImportLimits,
} from './file-format.ts';

export type RawCell = CellValue;

export interface RawRow {
  sheet: string;
  /** 1-based, as the user sees it in Excel (for CSV: the record's number). */
  row: number;
  /** Index 0 is column A; trailing empty cells are left out. */
  cells: RawCell[];
  /** 0-based columns whose text was longer than `maxCellLength` and was cut to it. */
  overlongCells?: number[];
  /** How many non-empty cells lay beyond `maxColumns` and are not in `cells`. */
  extraCells?: number;
}

export interface ReadRowsOptions {
  /** The sheet name of a CSV file's rows (Excel names it after the file); default the file's base name. */
  csvSheetName?: string;
  /**
   * The LibreOffice command used for .xls and the other legacy formats; `false` when there is none (such
   * files are then refused). Default: `soffice` found on the PATH.
   */
  soffice?: string | false;
}

/**
 * The non-blank rows of every sheet, in workbook order. Throws `ImportFileError` for a file that cannot be
 * read or breaks a limit (possibly after some rows: an import is all or nothing on such errors).
 */
export async function* readRows(
  filePath: string,
  limits: Partial<ImportLimits> = {},
  options: ReadRowsOptions = {},
): AsyncGenerator<RawRow> {
  const resolved = resolveImportLimits(limits);
  const format = await detectFileFormat(filePath, resolved);
  let count = 0;
  for await (const row of readRowsOfFormat(filePath, format, resolved, options)) {
    count += 1;
    if (count > resolved.maxRows) throw new ImportFileError('too_many_rows', { limit: resolved.maxRows });
    yield row;
  }
}

async function* readRowsOfFormat(
  filePath: string,
  format: FileFormat,
  limits: ImportLimits,
  options: ReadRowsOptions,
): AsyncGenerator<RawRow> {
  switch (format) {
    case 'xlsx':
      yield* readXlsxRows(filePath, limits);
      return;
    case 'csv':
      yield* readCsvRows(filePath, limits, options.csvSheetName ?? basename(filePath, extname(filePath)));
      return;
    default: {
      const converted = await convertToXlsx(filePath, format, limits, options.soffice);
      try {
        yield* readXlsxRows(converted.path, limits);
      } finally {
        await converted.cleanup();
      }
    }
  }
}

// -----------------------------------------------------------------------------------------------------------
// Cells

const ERROR_VALUES = /^#(?:N\/A|REF!|VALUE!|DIV\/0!|NAME\?|NUM!|NULL!|SPILL!|CALC!|GETTING_DATA)$/;

/** True for the text Excel shows for a formula error (#N/A, #REF!…). */
export function isErrorValue(value: RawCell | undefined): boolean {
  return typeof value === 'string' && ERROR_VALUES.test(value);
}

/** OOXML writes characters XML cannot hold as _xHHHH_ (a carriage return is _x000D_). */
function decodeOoxmlEscapes(text: string): string {
  return text.includes('_x')
    ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    : text;
}

/** An exceljs cell value as a plain value: formulas give their cached result, rich text its text. */
function toRawCell(value: unknown): RawCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return decodeOoxmlEscapes(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  if (typeof value !== 'object') return null;
  const object = value as Record<string, unknown>;
  if (Array.isArray(object.richText)) {
    const runs = object.richText as { text?: string | null }[];
    return decodeOoxmlEscapes(runs.map((run) => run.text ?? '').join(''));
  }
  if ('formula' in object || 'sharedFormula' in object || 'result' in object) {
    const result = object.result;
    // exceljs gives an error result as NaN; the error's text is not kept
    return typeof result === 'object' && result !== null && 'error' in result
      ? String((result as { error: unknown }).error)
      : toRawCell(result);
  }
  if (typeof object.error === 'string') return object.error;
  if ('text' in object) return toRawCell(object.text);
  return null;
}

/** Builds a row from (column, value) pairs, applying the column and cell-length limits. */
class RowBuilder {
  readonly cells: RawCell[] = [];
  readonly overlongCells: number[] = [];
  extraCells = 0;

  constructor(private readonly limits: ImportLimits) {}

  /** `column` is 1-based. */
  add(column: number, raw: RawCell): void {
    if (isBlankCell(raw)) return;
    if (column > this.limits.maxColumns) {
      this.extraCells += 1;
      return;
    }
    let value = raw;
    if (typeof value === 'string' && value.length > this.limits.maxCellLength) {
      value = value.slice(0, this.limits.maxCellLength);
      this.overlongCells.push(column - 1);
    }
    while (this.cells.length < column - 1) this.cells.push(null);
    this.cells[column - 1] = value;
  }

  /** The row, or undefined when nothing in it holds anything. */
  build(sheet: string, row: number): RawRow | undefined {
    if (this.cells.length === 0 && this.extraCells === 0) return undefined;
    const result: RawRow = { sheet, row, cells: this.cells };
    if (this.overlongCells.length > 0) result.overlongCells = this.overlongCells;
    if (this.extraCells > 0) result.extraCells = this.extraCells;
    return result;
  }
}

// -----------------------------------------------------------------------------------------------------------
// xlsx

/** The parts of exceljs's streaming reader used here (documented in its source, not its typings). */
interface ExcelWorkbookReader {
  model?: { sheets?: { name?: string; id?: number; rId?: string; state?: string }[] };
  workbookRels?: { Id: string; Target: string; Type?: string; TargetMode?: string }[];
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(
    iterator: AsyncIterable<unknown>,
    sheetNo: string,
  ): Generator<{ eventType: string; value: ExcelWorksheetReader }>;
}

interface ExcelWorksheetReader extends AsyncIterable<ExcelJS.Row> {
  name: string;
}

/** The archive path a relationship of the workbook points to ('worksheets/sheet1.xml' → 'xl/worksheets/…'). */
function resolveWorkbookTarget(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  return posix.normalize(posix.join('xl', target));
}

function findRelTarget(reader: ExcelWorkbookReader, typeSuffix: string, fallback: string): string {
  const rel = (reader.workbookRels ?? []).find((candidate) => candidate.Type?.endsWith(typeSuffix));
  return rel ? resolveWorkbookTarget(rel.Target) : fallback;
}

async function* readXlsxRows(filePath: string, limits: ImportLimits): AsyncGenerator<RawRow> {
  const archive = await openCheckedArchive(filePath, limits);
  try {
    const reader = await openWorkbook(filePath, archive);
    const sheets = reader.model?.sheets ?? [];
    for (const [index, sheet] of sheets.entries()) {
      const rel = (reader.workbookRels ?? []).find((candidate) => candidate.Id === sheet.rId);
      // Chart sheets and dialog sheets hold no rows
      if (rel && !rel.Type?.endsWith('/worksheet')) continue;
      const name = sheet.name ?? `Sheet${index + 1}`;
      // Without relationships, the sheet is where Excel would have put it
      const target = rel ? resolveWorkbookTarget(rel.Target) : `xl/worksheets/sheet${index + 1}.xml`;
      const stream = await archive.openText(target);
      if (stream === undefined) throw new ImportFileError('sheet_unreadable', { name });
      yield* readWorksheetRows(reader, stream, String(index + 1), name, limits);
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError('archive_corrupt', {}, { cause: error });
  } finally {
    archive.close();
  }
}

/** The workbook's relationships, sheets, styles (for date formats) and shared strings, in that order. */
async function openWorkbook(filePath: string, archive: CheckedArchive): Promise<ExcelWorkbookReader> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(filePath, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  }) as unknown as ExcelWorkbookReader;
  const rels = await archive.openText('xl/_rels/workbook.xml.rels');
  if (rels) await reader._parseRels(rels);
  const workbook = await archive.openText('xl/workbook.xml');
  if (!workbook) throw new ImportFileError('archive_corrupt');
  await reader._parseWorkbook(workbook);
  const styles = await archive.openText(findRelTarget(reader, '/styles', 'xl/styles.xml'));
  if (styles) await reader._parseStyles(styles);
  const sharedStrings = await archive.openText(
    findRelTarget(reader, '/sharedStrings', 'xl/sharedStrings.xml'),
  );
  if (sharedStrings) {
    for await (const _ of reader._parseSharedStrings(sharedStrings)) {
      // cached on the reader as they are parsed
    }
  }
  return reader;
}

async function* readWorksheetRows(
  reader: ExcelWorkbookReader,
  stream: Readable,
  sheetNo: string,
  name: string,
  limits: ImportLimits,
): AsyncGenerator<RawRow> {
  const [event] = [...reader._parseWorksheet(stream, sheetNo)];
  if (!event) return;
  const worksheet = event.value;
  worksheet.name = name;
  let previousRow = 0;
  for await (const row of worksheet) {
    // A <row> without its r attribute follows the previous one
    const number = Number.isInteger(row.number) && row.number > 0 ? row.number : previousRow + 1;
    previousRow = number;
    const builder = new RowBuilder(limits);
    row.eachCell({ includeEmpty: false }, (cell, column) => builder.add(column, toRawCell(cell.value)));
    const raw = builder.build(name, number);
    if (raw) yield raw;
  }
}

// -----------------------------------------------------------------------------------------------------------
// csv

type TextEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

/**
 * The file as text. The encoding is chosen at the first chunk holding a byte above ASCII (before that, every
 * candidate reads the same): a BOM decides, else strict UTF-8 is tried and GB18030 taken if it fails. Later
 * bytes that are not UTF-8 in a file begun in UTF-8 mean mixed encodings: `encoding_unknown`.
 */
async function* decodeTextFile(filePath: string): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let encoding: TextEncoding | undefined;
  const stream = createReadStream(filePath, { highWaterMark: 64 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (decoder === undefined) {
        encoding = chooseEncoding(chunk);
        if (encoding === undefined) {
          // ASCII so far: the same in every candidate encoding
          yield chunk.toString('latin1');
          continue;
        }
        decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8' });
      }
      try {
        yield decoder.decode(chunk, { stream: true });
      } catch (error) {
        throw new ImportFileError('encoding_unknown', {}, { cause: error });
      }
    }
    if (decoder) yield decoder.decode();
  } finally {
    stream.destroy();
  }
}

function chooseEncoding(chunk: Buffer): TextEncoding | undefined {
  if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) return 'utf-8';
  if (chunk[0] === 0xff && chunk[1] === 0xfe) return 'utf-16le';
  if (chunk[0] === 0xfe && chunk[1] === 0xff) return 'utf-16be';
  if (!chunk.some((byte) => byte >= 0x80)) return undefined;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(chunk, { stream: true });
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

/** The delimiter the first line uses most, outside quotes: comma, tab or semicolon. */
function chooseDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    ['\t', 0],
    [';', 0],
  ]);
  let quoted = false;
  for (const character of text) {
    if (character === '"') quoted = !quoted;
    else if (!quoted && (character === '\n' || character === '\r')) break;
    else if (!quoted && counts.has(character)) counts.set(character, counts.get(character)! + 1);
  }
  let best = ',';
  for (const [candidate, count] of counts) if (count > counts.get(best)!) best = candidate;
  return best;
}

async function* readCsvRows(filePath: string, limits: ImportLimits, sheet: string): AsyncGenerator<RawRow> {
  const text = decodeTextFile(filePath);
  // Enough of the start to see the first line
  const head: string[] = [];
  let headLength = 0;
  for (;;) {
    const next = await text.next();
    if (next.done) break;
    head.push(next.value);
    headLength += next.value.length;
    if (next.value.includes('\n') || headLength > 256 * 1024) break;
  }
  const start = head.join('').replace(/^\uFEFF/, '');
  const delimiter = chooseDelimiter(start);
  async function* allText(): AsyncGenerator<string> {
    yield start;
    yield* text;
  }
  const parser = parseCsv({
    delimiter,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: false,
  });
  const records = pipeline(Readable.from(allText()), parser, () => undefined);
  let number = 0;
  try {
    for await (const record of records as AsyncIterable<string[]>) {
      number += 1;
      const builder = new RowBuilder(limits);
      record.forEach((cell, index) => builder.add(index + 1, cell === '' ? null : cell));
      const raw = builder.build(sheet, number);
      if (raw) yield raw;
    }
  } catch (error) {
    if (error instanceof ImportFileError) throw error;
    const line = (error as { lines?: number }).lines;
    throw new ImportFileError('csv_malformed', { line: line ?? number + 1 }, { cause: error });
  } finally {
    parser.destroy();
  }
}

// -----------------------------------------------------------------------------------------------------------
// Legacy formats through LibreOffice

const CONVERSION_INPUT: Record<
  Exclude<FileFormat, 'xlsx' | 'csv'>,
  { extension: string; filter?: string }
> = {
  xls: { extension: '.xls' },
  ods: { extension: '.ods' },
  html: { extension: '.html', filter: 'calc_HTML_WebQuery' },
  spreadsheetml: { extension: '.xml', filter: 'MS Excel 2003 XML' },
};

/** `soffice` (or `libreoffice`) on the PATH, if any. */
async function findSoffice(): Promise<string | undefined> {
  for (const directory of (process.env.PATH ?? '').split(pathDelimiter)) {
    if (directory === '') continue;
    for (const name of ['soffice', 'libreoffice']) {
      const candidate = join(directory, name);
      try {
        await access(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** Runs a command in its own process group and kills the whole group if it outlives the timeout. */
function runCommand(command: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' });
    const timer = setTimeout(() => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      reject(new Error(`${command} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${command} exited with ${code ?? signal}`));
    });
  });
}

/**
 * Converts a legacy spreadsheet to xlsx with LibreOffice in a temporary directory (a fresh user profile each
 * time, so concurrent conversions do not share one). The caller must call `cleanup`.
 */
async function convertToXlsx(
  filePath: string,
  format: Exclude<FileFormat, 'xlsx' | 'csv'>,
  limits: ImportLimits,
  soffice: string | false | undefined,
): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const command = soffice === false ? undefined : (soffice ?? (await findSoffice()));
  if (command === undefined) throw new ImportFileError('xls_converter_missing');
  const directory = await mkdtemp(join(tmpdir(), 'shiliuzi-import-'));
  const cleanup = () => rm(directory, { recursive: true, force: true });
  try {
    const { extension, filter } = CONVERSION_INPUT[format];
    const input = join(directory, `source${extension}`);
    const outputDirectory = join(directory, 'out');
    await copyFile(filePath, input);
    await runCommand(
      command,
      [
        `-env:UserInstallation=${pathToFileURL(join(directory, 'profile')).href}`,
        '--headless',
        '--norestore',
        '--nolockcheck',
        ...(filter ? [`--infilter=${filter}`] : []),
        '--convert-to',
        'xlsx',
        '--outdir',
        outputDirectory,
        input,
      ],
      limits.conversionTimeoutMs,
    );
    const output = join(outputDirectory, 'source.xlsx');
    await access(output, constants.R_OK);
    return { path: output, cleanup };
  } catch (error) {
    await cleanup();
    if (error instanceof ImportFileError) throw error;
    throw new ImportFileError('conversion_failed', {}, { cause: error });
  }
}
