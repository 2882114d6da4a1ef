import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Cell, ColumnKind } from './register-layouts.ts';

/** What a written sheet looks like: title, sheet name and columns. */
export interface SheetLayout {
  /** The merged first row. */
  title: string;
  sheetName: string;
  columns: readonly { header: string; width: number; kind: ColumnKind }[];
}

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

/** Rows written between two yields to the event loop: a few milliseconds of work. */
const ROWS_PER_SLICE = 100;

/** The client went away (or the file was closed) before the register was written. */
export class ExportAborted extends Error {
  constructor() {
    super('the export was aborted: its output was closed');
    this.name = 'ExportAborted';
  }
}

/**
 * Lets the output drain and the event loop run: waits while the output's buffer is full, then
 * for one turn of the loop. Throws ExportAborted once the output is gone.
 */
async function yieldToOutput(output: Writable): Promise<void> {
  if (output.destroyed) throw new ExportAborted();
  if (output.writableNeedDrain) {
    await new Promise<void>((resolve) => {
      const done = () => {
        output.off('drain', done);
        output.off('close', done);
        resolve();
      };
      output.on('drain', done);
      output.on('close', done);
    });
    if (output.destroyed) throw new ExportAborted();
  }
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A cell that a spreadsheet would run as a formula (OWASP “CSV injection”: it starts with `=`, `+`,
 * `-`, `@`, a tab or a carriage return, also after leading spaces) gets a leading apostrophe, so
 * that it stays text wherever the file is opened or copied to.
 */
export function neutraliseFormula(text: string): string {
  return /^[\t\r\n]|^[\s\u3000]*[=+\-@＝＋－＠]/.test(text) ? `'${text}` : text;
}

/** One CSV field: text quoted (OWASP) with quotes doubled, numbers bare, nothing empty. */
export function csvField(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(cell);
  return `"${neutraliseFormula(cell).replaceAll('"', '""')}"`;
}

/** One CSV record with its CRLF. */
export function csvRecord(cells: readonly Cell[]): string {
  return `${cells.map(csvField).join(',')}\r\n`;
}

async function endAndFinish(output: Writable): Promise<void> {
  output.end();
  await finished(output, { readable: false });
}

/**
 * Writes a register as CSV for Excel: UTF-8 with a byte-order mark, CRLF, the header then one
 * record per row (no title: the file stays a plain table). Resolves with the number of rows once
 * the output has finished.
 */
export async function writeCsv(
  output: Writable,
  layout: SheetLayout,
  rows: AsyncIterable<readonly Cell[]>,
): Promise<number> {
  output.write(`\uFEFF${csvRecord(layout.columns.map((c) => c.header))}`);
  let count = 0;
  let chunk = '';
  for await (const row of rows) {
    chunk += csvRecord(row);
    count += 1;
    if (count % ROWS_PER_SLICE === 0) {
      output.write(chunk);
      chunk = '';
      await yieldToOutput(output);
    }
  }
  if (chunk) output.write(chunk);
  if (output.destroyed) throw new ExportAborted();
  await endAndFinish(output);
  return count;
}

const thin = { style: 'thin' } as const;
const border: Partial<ExcelJS.Borders> = { top: thin, left: thin, bottom: thin, right: thin };
const font = { name: '宋体', size: 11 };

/**
 * Data cell styles, one object per kind: exceljs recognises a style object it has seen before, so
 * shared objects cost nothing per cell where fresh ones would be hashed cell by cell. Text kinds
 * carry the text format `@`, so that a number typed into them later stays text as well.
 */
const dataStyles: Record<ColumnKind, Partial<ExcelJS.Style>> = {
  serial: { font, border, alignment: { horizontal: 'center', vertical: 'middle' } },
  count: { font, border, alignment: { horizontal: 'center', vertical: 'middle' } },
  text: { font, border, numFmt: '@', alignment: { vertical: 'middle', wrapText: true } },
  date: { font, border, numFmt: '@', alignment: { horizontal: 'center', vertical: 'middle' } },
  idNumber: { font, border, numFmt: '@', alignment: { vertical: 'middle' } },
  phone: { font, border, numFmt: '@', alignment: { vertical: 'middle' } },
};

const titleStyle: Partial<ExcelJS.Style> = {
  font: { name: '黑体', size: 16, bold: true },
  alignment: { horizontal: 'center', vertical: 'middle' },
};

const headerStyle: Partial<ExcelJS.Style> = {
  font: { ...font, bold: true },
  border,
  alignment: { horizontal: 'center', vertical: 'middle', wrapText: true },
  fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } },
};

/** A sheet name Excel accepts: at most 31 characters, none of \ / ? * [ ] :. */
function sheetNameOf(name: string): string {
  return Array.from(name.replace(/[\\/?*[\]:]/g, '_'))
    .slice(0, 31)
    .join('');
}

/** Uncompressed sheet XML allowed to wait for the compressor before the writer pauses. */
const MAX_PENDING_XML = 1024 * 1024;

interface PendingStream {
  _writableState?: { length?: number };
  once(event: string, listener: () => void): unknown;
  off(event: string, listener: () => void): unknown;
}

/**
 * The streams a worksheet writer's XML goes into on its way to the compressor. exceljs writes a
 * committed row into them without looking at backpressure (exceljs issue #734), so a writer that
 * produces rows faster than zlib compresses them would pile the XML up in memory; the writer below
 * watches their buffers instead. These are exceljs internals: absent, nothing is watched.
 */
function sheetPipes(sheet: ExcelJS.Worksheet): PendingStream[] {
  const pipes = (sheet as unknown as { stream?: { pipes?: unknown } }).stream?.pipes;
  return Array.isArray(pipes) ? (pipes as PendingStream[]) : [];
}

/** Waits until the XML waiting for the compressor is below MAX_PENDING_XML. */
async function letCompressorCatchUp(sheet: ExcelJS.Worksheet, output: Writable): Promise<void> {
  for (const pipe of sheetPipes(sheet)) {
    while ((pipe._writableState?.length ?? 0) > MAX_PENDING_XML) {
      if (output.destroyed) throw new ExportAborted();
      // 'drain' comes once the buffer is empty; the timeout guards against a stream that never says so.
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          pipe.off('drain', done);
          resolve();
        };
        const timer = setTimeout(done, 50);
        pipe.once('drain', done);
      });
    }
  }
}

/** Text as it goes into a cell: neutralised when it would run as a formula. */
function cellValue(cell: Cell): Cell {
  return typeof cell === 'string' ? neutraliseFormula(cell) : cell;
}

/**
 * Writes a register as .xlsx with exceljs's streaming writer: a merged title row, the header row,
 * both frozen and repeated on every printed page, then the rows, each committed (and so written
 * out) as it comes. ID numbers and phones are text cells. Resolves with the number of rows once
 * the output has finished.
 */
export async function writeXlsx(
  output: Writable,
  layout: SheetLayout,
  rows: AsyncIterable<readonly Cell[]>,
  creator: string,
): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: output,
    useStyles: true,
    useSharedStrings: false,
    // Fastest compression, in larger steps: each step is a turn of the event loop.
    zip: { zlib: { level: 1, chunkSize: 64 * 1024 } },
  });
  workbook.creator = creator;
  workbook.lastModifiedBy = creator;
  const width = layout.columns.length;
  const sheet = workbook.addWorksheet(sheetNameOf(layout.sheetName), {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 2, topLeftCell: 'A3', activeCell: 'A3' }],
    pageSetup: {
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '1:2',
    },
  });
  sheet.columns = layout.columns.map((c) => ({ width: c.width, style: dataStyles[c.kind] }));

  const title = sheet.addRow([layout.title]);
  title.height = 32;
  for (let i = 1; i <= width; i++) title.getCell(i).style = titleStyle;
  sheet.mergeCells(1, 1, 1, width);
  title.commit();

  const header = sheet.addRow(layout.columns.map((c) => c.header));
  header.height = 28;
  for (let i = 1; i <= width; i++) header.getCell(i).style = headerStyle;
  header.commit();
  sheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: 2, column: width } };

  const styles = layout.columns.map((c) => dataStyles[c.kind]);
  let count = 0;
  for await (const cells of rows) {
    const row = sheet.addRow(cells.map(cellValue));
    for (let i = 0; i < width; i++) row.getCell(i + 1).style = styles[i]!;
    row.commit();
    count += 1;
    if (count % ROWS_PER_SLICE === 0) {
      await yieldToOutput(output);
      await letCompressorCatchUp(sheet, output);
    }
  }
  if (output.destroyed) throw new ExportAborted();
  sheet.commit();
  await workbook.commit();
  await finished(output, { readable: false });
  return count;
}
