/**
 * The reading half of a register import in one call: check and detect the file, read its rows, find each
 * sheet's layout and map the rows (`openRegisterFile`), or only find the layouts for the user to check before
 * importing (`previewRegisterFile`). Nothing here touches the database.
 */
import { detectFileFormat, resolveImportLimits, type FileFormat, type ImportLimits } from './file-format.ts';
import {
  DEFAULT_HEADER_SEARCH_ROWS,
  detectLayout,
  applyTemplate,
  type ImportTemplate,
  type SheetLayout,
} from './layout.ts';
import { mapRows, type ImportReadSummary, type LayoutChoice, type MappedRowStream } from './row-mapper.ts';
import { readRows, type RawRow, type ReadRowsOptions } from './sheet-reader.ts';

export interface OpenRegisterFileOptions extends ReadRowsOptions {
  limits?: Partial<ImportLimits>;
  /** Keep ID numbers whose only fault is the check digit, flagged 待核实 (default: reject those rows). */
  holdInvalidIdNumbers?: boolean;
  /** Layouts the user corrected (by sheet name); other sheets are detected. Default: detect all. */
  layouts?: LayoutChoice;
  /** A saved mapping applied to the detected layouts. */
  template?: ImportTemplate;
  today?: Date;
}

export interface RegisterFile {
  format: FileFormat;
  /** The mapped rows, read as they are iterated (once). */
  rows: MappedRowStream;
  /** Blank rows skipped so far (all of them once `rows` has been consumed). */
  blankRows: () => number;
  /** The layout of every sheet with a header (all of them once `rows` has been consumed). */
  layouts: () => SheetLayout[];
  /** Per sheet: layout, counts, unmapped columns, why a sheet was skipped (complete after `rows`). */
  summary: ImportReadSummary;
}

/**
 * Checks the file at once (size, format, zip bomb: rejects with `ImportFileError`), then maps its rows
 * lazily. Reading errors found later (too many rows, a damaged sheet) are thrown by the iteration.
 */
export async function openRegisterFile(
  filePath: string,
  options: OpenRegisterFileOptions = {},
): Promise<RegisterFile> {
  const limits = resolveImportLimits(options.limits);
  const format = await detectFileFormat(filePath, limits);
  const rows = mapRows(readRows(filePath, limits, options), options.layouts ?? 'detect', {
    holdInvalidIdNumbers: options.holdInvalidIdNumbers,
    template: options.template,
    today: options.today,
    limits,
  });
  return {
    format,
    rows,
    blankRows: () => rows.summary.blankRows,
    layouts: () => rows.summary.sheets.flatMap((sheet) => (sheet.layout ? [sheet.layout] : [])),
    summary: rows.summary,
  };
}

export interface SheetPreview {
  sheet: string;
  /** null: no header found in the first rows. */
  layout: SheetLayout | null;
  /** The first non-blank rows, header included, as read (for showing the user). */
  firstRows: RawRow[];
  /** Non-blank rows of the sheet, all told. */
  rowCount: number;
}

/**
 * Each sheet's detected layout and first rows, for the user to check and correct the mapping (then passed
 * back as `layouts`, or kept with `toTemplate`). Reads the whole file once to count its rows.
 */
export async function previewRegisterFile(
  filePath: string,
  options: Pick<OpenRegisterFileOptions, 'limits' | 'template' | 'csvSheetName' | 'soffice'> = {},
): Promise<{ format: FileFormat; sheets: SheetPreview[] }> {
  const limits = resolveImportLimits(options.limits);
  const format = await detectFileFormat(filePath, limits);
  const sheets: SheetPreview[] = [];
  for await (const row of readRows(filePath, limits, options)) {
    let sheet = sheets.at(-1);
    if (sheet?.sheet !== row.sheet) {
      sheet = { sheet: row.sheet, layout: null, firstRows: [], rowCount: 0 };
      sheets.push(sheet);
    }
    sheet.rowCount += 1;
    if (sheet.firstRows.length < DEFAULT_HEADER_SEARCH_ROWS) sheet.firstRows.push(row);
  }
  for (const sheet of sheets) {
    const layout = detectLayout(sheet.firstRows, { sheet: sheet.sheet, template: options.template });
    sheet.layout = layout && options.template ? applyTemplate(layout, options.template) : layout;
  }
  return { format, sheets };
}
