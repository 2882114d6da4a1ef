/**
 * Turns the raw rows of a register file into `MappedRow`s: the values the registry stores, normalised, and
 * every problem found, each with its severity, the column (header as written, and letter), the cell's text and
 * a Chinese reason. Nothing is written anywhere: the import service decides what to merge and commit.
 *
 * Guarantees, per sheet: rows above the header are titles; blank rows after it are counted (`blankRows`), not
 * mapped; every other row after the header yields exactly one `MappedRow`, rejected or not, so nothing is
 * dropped silently. A sheet without a recognisable header yields nothing and says so in the summary, with the
 * number of rows it held. Rows repeating an earlier row, or an earlier row's ID number, in the same sheet are
 * flagged with the row they repeat (the merge keeps one; the same person in two sheets is left to it too).
 *
 * Severities: `reject` means the row cannot be imported as it is (no name, an ID number that is not one, an
 * unknown ethnicity, a formula error in the name); `flag` means it can, and the user should look (a gender contradicting the
 * ID number, a phone that was left out, a held ID number with a wrong check digit: 待核实).
 */
import { createHash } from 'node:crypto';
import { isMinority } from '@shiliuzi/shared/ethnicity';
import {
  cellText,
  findFlagsInText,
  isBlankCell,
  normalizeDateCell,
  normalizeEthnicityCell,
  normalizeIdNumberCell,
  normalizePersonName,
  normalizePhoneCell,
  normalizePlacePart,
  parseDwellingStatus,
  parseFlagList,
  parseFloatingReason,
  parseGender,
  parseGridName,
  parseRegionCell,
  parseRelationToHead,
  parseResidenceType,
  parseStayMonths,
  parseYesNo,
  splitAddress,
  type AddressParts,
  type DwellingStatus,
  type IdNumberCellResult,
} from '@shiliuzi/shared/import-normalize';
import type {
  FloatingReason,
  Gender,
  HouseholdRelation,
  ResidenceType,
  ResidentFlag,
} from '@shiliuzi/shared/registry';
import { registryLabels } from '@shiliuzi/shared/registry-labels.zh-CN';
import {
  importProblemReasons,
  importSheetMessages,
  type ImportReasonDetails,
} from '../../../locales/import.zh-CN.ts';
import { resolveImportLimits, type ImportLimits } from './file-format.ts';
import {
  applyTemplate,
  columnLetter,
  DEFAULT_HEADER_SEARCH_ROWS,
  detectLayout,
  normalizeHeader,
  type ColumnLayout,
  type ImportField,
  type ImportTemplate,
  type RegisterKind,
  type SheetLayout,
} from './layout.ts';
import { isErrorValue, type RawCell, type RawRow } from './sheet-reader.ts';

export type ImportProblemCode =
  | 'cell_too_long'
  | 'too_many_columns'
  | 'not_a_record'
  | 'header_repeated'
  | 'cell_error'
  | 'name_missing'
  | 'name_too_long'
  | 'id_number_scientific_notation'
  | 'id_number_length'
  | 'id_number_characters'
  | 'id_number_birth_date'
  | 'id_number_empty'
  | 'id_check_digit'
  | 'gender_mismatch'
  | 'gender_unknown'
  | 'birth_date_mismatch'
  | 'date_incomplete'
  | 'date_invalid'
  | 'ethnicity_unknown'
  | 'ethnicity_missing'
  | 'not_minority'
  | 'phone_invalid'
  | 'phone_extra'
  | 'origin_unknown'
  | 'residence_type_unknown'
  | 'relation_unknown'
  | 'flag_unknown'
  | 'yes_no_unknown'
  | 'floating_reason_unknown'
  | 'dwelling_status_unknown'
  | 'stay_unknown'
  | 'household_head_id_invalid'
  | 'address_missing'
  | 'duplicate_row'
  | 'duplicate_id_number';

export type ProblemSeverity = 'reject' | 'flag';

export interface ImportProblem {
  severity: ProblemSeverity;
  code: ImportProblemCode;
  /** The header as written in the file ('' when the problem is the row's, not a cell's). */
  column: string;
  /** 'C' ('' as for `column`). */
  columnLetter: string;
  /** The cell as text (at most 200 characters). */
  value: string;
  /** Chinese, for the user. */
  reason: string;
}

export interface FloatingValues {
  arrivalDate?: string;
  reason?: FloatingReason;
  /** 来源地 as written. */
  originAddress?: string;
  expectedStayMonths?: number;
  stall?: string;
  workplace?: string;
  landlordName?: string;
  landlordPhone?: string;
}

export interface DwellingValues {
  status?: DwellingStatus;
  landlordName?: string;
  landlordPhone?: string;
}

export interface MappedValues {
  name?: string;
  /** 18 characters; with a wrong check digit only when held (see the `id_check_digit` flag). */
  idNumber?: string;
  ethnicityCode?: string;
  /** From a valid ID number when there is one, else from the gender column. */
  gender?: Gender;
  /** YYYY-MM-DD; from a valid ID number when there is one. */
  birthDate?: string;
  phone?: string;
  originRegionCode?: string;
  residenceType?: ResidenceType;
  flags?: Partial<Record<ResidentFlag, boolean>>;
  grid?: { number?: number; name: string };
  address?: AddressParts;
  householdHead?: string;
  householdHeadIdNumber?: string;
  relationToHead?: HouseholdRelation;
  languages?: string[];
  movedInOn?: string;
  floating?: FloatingValues;
  dwelling?: DwellingValues;
  note?: string;
}

export interface MappedRow {
  sheet: string;
  row: number;
  register: RegisterKind;
  values: MappedValues;
  problems: ImportProblem[];
}

export interface MapRowsOptions {
  /** Keep ID numbers whose only fault is the check digit, flagged 待核实, instead of rejecting the row. */
  holdInvalidIdNumbers?: boolean;
  /** For birth dates in the future and ID numbers of people not yet born. */
  today?: Date;
  /** A saved mapping, applied to every sheet whose layout is detected here. */
  template?: ImportTemplate;
  maxHeaderSearchRows?: number;
  /** The limits the rows were read with, for the wording of limit problems. */
  limits?: Partial<ImportLimits>;
}

/** 'detect': find each sheet's layout; or the layouts to use (by sheet name; other sheets are detected). */
export type LayoutChoice = 'detect' | SheetLayout | readonly SheetLayout[];

export interface SheetReadSummary {
  sheet: string;
  /** null: no header found. */
  layout: SheetLayout | null;
  /** Why the sheet's rows were not mapped. */
  skipped?: 'no_header' | 'ignored';
  /** Chinese, for the user: why the sheet was skipped, or which columns were not imported. */
  messages: string[];
  /** Columns with a header that maps to nothing. */
  unmappedColumns: ColumnLayout[];
  /** Non-blank rows above the header (titles). */
  titleRows: number;
  /** Rows mapped: one `MappedRow` each. */
  dataRows: number;
  /** Empty rows between the header and the last non-blank row. */
  blankRows: number;
  rejectedRows: number;
  /** Rows with flags and no rejection. */
  flaggedRows: number;
  /** Non-blank rows of a skipped sheet. */
  unreadRows: number;
}

export interface ImportReadSummary {
  sheets: SheetReadSummary[];
  dataRows: number;
  blankRows: number;
  rejectedRows: number;
  flaggedRows: number;
  unreadRows: number;
}

/**
 * The mapped rows of a file, in order; iterate once. `summary` is complete when the iteration has ended
 * (and is filled in as it goes).
 */
export class MappedRowStream implements AsyncIterable<MappedRow> {
  readonly summary: ImportReadSummary = {
    sheets: [],
    dataRows: 0,
    blankRows: 0,
    rejectedRows: 0,
    flaggedRows: 0,
    unreadRows: 0,
  };
  private started = false;

  constructor(
    private readonly rows: AsyncIterable<RawRow> | Iterable<RawRow>,
    private readonly layouts: LayoutChoice,
    private readonly options: MapRowsOptions,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<MappedRow> {
    if (this.started) throw new Error('MappedRowStream can be iterated only once');
    this.started = true;
    return this.run();
  }

  private async *run(): AsyncGenerator<MappedRow> {
    let state: SheetState | undefined;
    for await (const raw of this.rows) {
      if (state?.summary.sheet !== raw.sheet) {
        if (state) yield* this.finishSheet(state);
        state = this.startSheet(raw.sheet);
      }
      yield* this.accept(state, raw);
    }
    if (state) yield* this.finishSheet(state);
  }

  private givenLayout(sheet: string): SheetLayout | undefined {
    if (this.layouts === 'detect') return undefined;
    const layouts: readonly SheetLayout[] = Array.isArray(this.layouts)
      ? this.layouts
      : [this.layouts as SheetLayout];
    return layouts.find((layout) => layout.sheet === sheet);
  }

  private startSheet(sheet: string): SheetState {
    const summary: SheetReadSummary = {
      sheet,
      layout: null,
      messages: [],
      unmappedColumns: [],
      titleRows: 0,
      dataRows: 0,
      blankRows: 0,
      rejectedRows: 0,
      flaggedRows: 0,
      unreadRows: 0,
    };
    this.summary.sheets.push(summary);
    const state: SheetState = { summary, pending: [], lastRow: 0 };
    const layout = this.givenLayout(sheet);
    if (layout) this.useLayout(state, layout);
    return state;
  }

  private useLayout(state: SheetState, layout: SheetLayout | null): void {
    const { summary } = state;
    summary.layout = layout;
    if (layout === null) {
      summary.skipped = 'no_header';
      summary.messages.push(
        importSheetMessages.no_header(this.options.maxHeaderSearchRows ?? DEFAULT_HEADER_SEARCH_ROWS),
      );
      return;
    }
    if (layout.ignored) {
      summary.skipped = 'ignored';
      summary.messages.push(importSheetMessages.ignored());
      return;
    }
    summary.unmappedColumns = layout.columns.filter((column) => column.field === null);
    if (summary.unmappedColumns.length > 0) {
      summary.messages.push(
        importSheetMessages.unmapped_columns(summary.unmappedColumns.map((column) => column.header)),
      );
    }
    state.lastRow = Math.max(...layout.headerRows);
    state.mapper = new RowMapper(layout, this.options);
  }

  private *accept(state: SheetState, raw: RawRow): Generator<MappedRow> {
    if (state.summary.layout === null && state.summary.skipped === undefined) {
      state.pending.push(raw);
      if (state.pending.length >= (this.options.maxHeaderSearchRows ?? DEFAULT_HEADER_SEARCH_ROWS)) {
        yield* this.detect(state);
      }
      return;
    }
    yield* this.mapOne(state, raw);
  }

  private *detect(state: SheetState): Generator<MappedRow> {
    const detected = detectLayout(state.pending, {
      sheet: state.summary.sheet,
      template: this.options.template,
      maxHeaderSearchRows: this.options.maxHeaderSearchRows,
    });
    this.useLayout(
      state,
      detected && this.options.template ? applyTemplate(detected, this.options.template) : detected,
    );
    const pending = state.pending;
    state.pending = [];
    for (const raw of pending) yield* this.mapOne(state, raw);
  }

  private *finishSheet(state: SheetState): Generator<MappedRow> {
    if (state.summary.layout === null && state.summary.skipped === undefined) yield* this.detect(state);
  }

  private *mapOne(state: SheetState, raw: RawRow): Generator<MappedRow> {
    const { summary } = state;
    if (!state.mapper || !summary.layout) {
      summary.unreadRows += 1;
      this.summary.unreadRows += 1;
      return;
    }
    const headerRows = summary.layout.headerRows;
    if (raw.row <= Math.max(...headerRows)) {
      if (raw.row < Math.min(...headerRows)) summary.titleRows += 1;
      return;
    }
    if (raw.cells.every((cell) => isBlankCell(cell)) && !raw.extraCells) return;
    const blanks = Math.max(0, raw.row - state.lastRow - 1);
    summary.blankRows += blanks;
    this.summary.blankRows += blanks;
    state.lastRow = raw.row;

    const mapped = state.mapper.map(raw);
    summary.dataRows += 1;
    this.summary.dataRows += 1;
    if (mapped.problems.some((problem) => problem.severity === 'reject')) {
      summary.rejectedRows += 1;
      this.summary.rejectedRows += 1;
    } else if (mapped.problems.length > 0) {
      summary.flaggedRows += 1;
      this.summary.flaggedRows += 1;
    }
    yield mapped;
  }
}

interface SheetState {
  summary: SheetReadSummary;
  /** Rows kept while the header is being looked for. */
  pending: RawRow[];
  /** The last row number seen after the header (for counting blank rows). */
  lastRow: number;
  mapper?: RowMapper;
}

/**
 * Maps rows to values and problems. Without `layout`, each sheet's layout is detected from its first rows
 * (`maxHeaderSearchRows`, default 30), with `options.template` applied; a caller's corrected layouts are used
 * as they are.
 */
export function mapRows(
  rows: AsyncIterable<RawRow> | Iterable<RawRow>,
  layout: LayoutChoice = 'detect',
  options: MapRowsOptions = {},
): MappedRowStream {
  return new MappedRowStream(rows, layout, options);
}

// -----------------------------------------------------------------------------------------------------------
// One row

const MAX_NAME_LENGTH = 50;
const MAX_VALUE_TEXT = 200;

const FOOTER = new RegExp(
  '^(?:填表人|填报人|制表人|统计人|审核人|审批人|负责人|单位负责人|经办人|填表日期|填报日期|制表日期|' +
    '统计日期|填报单位|制表单位|填表单位|审核日期)\\s*[:：]',
);
const TOTAL = /^(?:合计|小计|总计|共计)(?:[:：]|$)/;
const SECTION =
  /网格|^第.{1,6}[组片区队栋]$|^[一二三四五六七八九十]+[、.．]|^[(（][一二三四五六七八九十]+[)）]/;
const NOT_PARTY_MEMBER = [
  '群众',
  '团员',
  '共青团员',
  '无党派',
  '无党派人士',
  '民主党派',
  '民革',
  '民盟',
  '民建',
  '民进',
  '农工党',
  '致公党',
  '九三学社',
  '台盟',
];

type ProblemDetails = Omit<ImportReasonDetails, 'value' | 'column' | 'severity'>;

interface FoundCell {
  column: ColumnLayout;
  value: RawCell;
}

class RowMapper {
  private readonly columnsByField = new Map<ImportField, ColumnLayout[]>();
  private readonly columnsByIndex = new Map<number, ColumnLayout>();
  private readonly headerKeys: Map<number, Set<string>>;
  private readonly limits: ImportLimits;
  private readonly seenContent = new Map<string, number>();
  private readonly seenIdNumbers = new Map<string, number>();
  // Origins and addresses repeat from row to row (a household, a building)
  private readonly regions = new TextMemo<string | undefined>();
  private readonly addresses = new TextMemo<AddressParts>();
  /** The grid named by the last section row (第三网格), for rows of a sheet without a grid column. */
  private sectionGrid: { number?: number; name: string } | undefined;

  constructor(
    private readonly layout: SheetLayout,
    private readonly options: MapRowsOptions,
  ) {
    this.limits = resolveImportLimits(options.limits);
    for (const column of layout.columns) {
      this.columnsByIndex.set(column.index, column);
      if (column.field === null) continue;
      const columns = this.columnsByField.get(column.field) ?? [];
      columns.push(column);
      this.columnsByField.set(column.field, columns);
    }
    this.headerKeys = new Map(
      layout.columns.map((column) => [
        column.index,
        new Set([
          column.header,
          ...column.header.split('/'),
          normalizeHeader(column.header),
          ...column.header.split('/').map(normalizeHeader),
        ]),
      ]),
    );
  }

  map(raw: RawRow): MappedRow {
    const row = new RowContext(raw, this.columnsByIndex);
    const mapped: MappedRow = {
      sheet: raw.sheet,
      row: raw.row,
      register: this.layout.register,
      values: row.values,
      problems: row.problems,
    };
    this.checkLimits(row, raw);
    if (this.checkNotARecord(row, raw)) return mapped;
    this.mapPerson(row);
    this.mapPlace(row);
    this.mapOther(row);
    this.checkDuplicates(row, raw);
    return mapped;
  }

  private columns(field: ImportField): ColumnLayout[] {
    return this.columnsByField.get(field) ?? [];
  }

  /** The first column of the field whose cell holds something. */
  private first(row: RowContext, field: ImportField): FoundCell | undefined {
    for (const column of this.columns(field)) {
      const value = row.read(column);
      if (!isBlankCell(value)) return { column, value };
    }
    return undefined;
  }

  /** Every column of the field whose cell holds something. */
  private all(row: RowContext, field: ImportField): FoundCell[] {
    return this.columns(field).flatMap((column) => {
      const value = row.read(column);
      return isBlankCell(value) ? [] : [{ column, value }];
    });
  }

  /** The texts of the field's cells joined (for origins and addresses given in parts). */
  private joined(row: RowContext, field: ImportField, separator: string): FoundCell | undefined {
    const cells = this.all(row, field);
    if (cells.length === 0) return undefined;
    return { column: cells[0]!.column, value: cells.map((cell) => cellText(cell.value)).join(separator) };
  }

  private checkLimits(row: RowContext, raw: RawRow): void {
    for (const index of raw.overlongCells ?? []) {
      row.addAt(index, 'reject', 'cell_too_long', { limit: this.limits.maxCellLength });
    }
    if (raw.extraCells) {
      row.addRow('reject', 'too_many_columns', undefined, { limit: this.limits.maxColumns });
    }
  }

  /** Section titles (第三网格), totals, signature lines and repeated headers. */
  private checkNotARecord(row: RowContext, raw: RawRow): boolean {
    const filled = raw.cells.flatMap((cell, index) =>
      isBlankCell(cell) ? [] : [{ index, text: cellText(cell) }],
    );
    const isFooter = filled.some(({ text }) => FOOTER.test(text) || TOTAL.test(text));
    const isSection = filled.length === 1 && SECTION.test(filled[0]!.text);
    if (isFooter || isSection) {
      const grid = isSection ? parseGridName(filled[0]!.text) : undefined;
      if (grid?.number !== undefined) this.sectionGrid = grid;
      const first = filled[0];
      if (first) row.addAt(first.index, 'reject', 'not_a_record', {});
      else row.addRow('reject', 'not_a_record');
      return true;
    }
    // A repeated header copies the header: look closer only when some cell is a header exactly
    const isHeaderText = (index: number, text: string) => this.headerKeys.get(index)?.has(text) === true;
    const headerCells = filled.some(({ index, text }) => isHeaderText(index, text))
      ? filled.filter(
          ({ index, text }) =>
            isHeaderText(index, text) || (text.length <= 30 && isHeaderText(index, normalizeHeader(text))),
        )
      : [];
    if (headerCells.length >= 2 && headerCells.length * 2 >= filled.length) {
      row.addRow('reject', 'header_repeated');
      return true;
    }
    return false;
  }

  private mapPerson(row: RowContext): void {
    const register = this.layout.register;
    const { values } = row;

    const nameCell = this.first(row, 'name');
    const name = nameCell ? normalizePersonName(nameCell.value) : '';
    if (nameCell && name !== '') {
      if ([...name].length > MAX_NAME_LENGTH) {
        row.addCell('reject', 'name_too_long', nameCell, { limit: MAX_NAME_LENGTH });
      } else {
        values.name = name;
      }
    } else if (register !== 'dwellings') {
      row.addRow('reject', 'name_missing', this.columns('name')[0]);
    }

    const idCell = this.first(row, 'idNumber');
    let id: IdNumberCellResult = { status: 'empty' };
    if (idCell) {
      id = normalizeIdNumberCell(idCell.value, {
        holdInvalidIdNumbers: this.options.holdInvalidIdNumbers,
        today: this.options.today,
      });
      if (id.status === 'valid' || id.status === 'held') values.idNumber = id.idNumber;
      if (id.status === 'held') row.addCell('flag', 'id_check_digit', idCell);
      if (id.status === 'invalid') {
        const code = id.problem === 'check_digit' ? 'id_check_digit' : (`id_number_${id.problem}` as const);
        row.addCell('reject', code, idCell);
      }
    }
    const fromId = id.status === 'valid' ? id : undefined;

    const genderCell = this.first(row, 'gender');
    const gender = genderCell ? parseGender(genderCell.value) : undefined;
    if (genderCell && gender === undefined) row.addCell('flag', 'gender_unknown', genderCell);
    if (fromId) {
      values.gender = fromId.gender;
      if (genderCell && gender !== undefined && gender !== fromId.gender) {
        row.addCell('flag', 'gender_mismatch', genderCell, {
          replacement: registryLabels.genders[fromId.gender],
        });
      }
    } else if (gender !== undefined) {
      values.gender = gender;
    }

    const birthCell = this.first(row, 'birthDate');
    const birth = birthCell ? normalizeDateCell(birthCell.value) : undefined;
    if (fromId) {
      values.birthDate = fromId.birthDate;
      const contradicts =
        (birth?.status === 'valid' && birth.date !== fromId.birthDate) ||
        (birth?.status === 'partial' &&
          (birth.year !== Number(fromId.birthDate.slice(0, 4)) ||
            (birth.month !== undefined && birth.month !== Number(fromId.birthDate.slice(5, 7)))));
      if (birthCell && contradicts) {
        row.addCell('flag', 'birth_date_mismatch', birthCell, { replacement: fromId.birthDate });
      } else if (birthCell && birth?.status === 'invalid') {
        row.addCell('flag', 'date_invalid', birthCell);
      }
    } else if (birthCell && birth) {
      const date = this.acceptDate(row, birthCell, birth);
      if (date !== undefined) values.birthDate = date;
    }

    const ethnicityCell = this.first(row, 'ethnicity');
    const ethnicity = ethnicityCell ? normalizeEthnicityCell(ethnicityCell.value) : undefined;
    if (ethnicityCell && ethnicity?.status === 'valid') {
      values.ethnicityCode = ethnicity.code;
      if (register === 'minority' && !isMinority(ethnicity.code)) {
        row.addCell('flag', 'not_minority', ethnicityCell);
      }
    } else if (ethnicityCell && ethnicity?.status === 'unknown') {
      row.addCell('reject', 'ethnicity_unknown', ethnicityCell);
    } else if (register === 'minority') {
      row.addRow('reject', 'ethnicity_missing', this.columns('ethnicity')[0]);
    } else if (register !== 'dwellings' && this.columns('ethnicity').length > 0) {
      row.addRow('flag', 'ethnicity_missing', this.columns('ethnicity')[0]);
    }

    const phone = this.readPhones(row, 'phone');
    if (phone !== undefined) values.phone = phone;

    const origin = this.joined(row, 'originRegion', '');
    if (origin) {
      const code = this.regions.get(cellText(origin.value), parseRegionCell);
      if (code === undefined) row.addCell('flag', 'origin_unknown', origin);
      else values.originRegionCode = code;
    }

    const typeCell = this.first(row, 'residenceType');
    const residenceType = typeCell ? parseResidenceType(typeCell.value) : undefined;
    if (typeCell && residenceType === undefined) row.addCell('flag', 'residence_type_unknown', typeCell);
    if (residenceType !== undefined) values.residenceType = residenceType;
    else if (register === 'floating') values.residenceType = 'floating';

    const flags = this.readFlags(row);
    if (Object.keys(flags).length > 0) values.flags = flags;

    const headCell = this.first(row, 'householdHead');
    if (headCell) values.householdHead = normalizePersonName(headCell.value);
    const headIdCell = this.first(row, 'householdHeadIdNumber');
    if (headIdCell) {
      const headId = normalizeIdNumberCell(headIdCell.value, { today: this.options.today });
      if (headId.status === 'valid') values.householdHeadIdNumber = headId.idNumber;
      else row.addCell('flag', 'household_head_id_invalid', headIdCell);
    }
    const relationCell = this.first(row, 'relationToHead');
    if (relationCell) {
      const relation = parseRelationToHead(relationCell.value);
      if (relation === undefined) row.addCell('flag', 'relation_unknown', relationCell);
      else values.relationToHead = relation;
    }

    const languages = this.all(row, 'languages')
      .flatMap((cell) => cellText(cell.value).split(/[,，、;；/\s]+/))
      .filter((language) => language !== '' && parseYesNo(language) !== false);
    if (languages.length > 0) values.languages = [...new Set(languages)];

    const movedInCell = this.first(row, 'movedInOn');
    if (movedInCell) {
      const date = this.acceptDate(row, movedInCell, normalizeDateCell(movedInCell.value));
      if (date !== undefined) values.movedInOn = date;
    }
  }

  private mapPlace(row: RowContext): void {
    const { values } = row;
    const gridCell = this.first(row, 'grid');
    const grid = gridCell ? parseGridName(gridCell.value) : this.sectionGrid;
    if (grid) values.grid = { ...grid };

    const address: AddressParts = {};
    const whole = this.joined(row, 'address', '');
    if (whole) Object.assign(address, this.addresses.get(cellText(whole.value), splitAddress));
    for (const part of ['estate', 'building', 'entrance', 'room'] as const) {
      const cell = this.first(row, part);
      const text = cell ? normalizePlacePart(part, cell.value) : undefined;
      if (text !== undefined) address[part] = text;
    }
    if (Object.keys(address).length > 0) values.address = address;
    else if (this.layout.register === 'dwellings') {
      row.addRow(
        'reject',
        'address_missing',
        (['address', 'estate', 'building', 'room'] as const)
          .map((field) => this.columns(field)[0])
          .find((column) => column !== undefined),
      );
    }
  }

  private mapOther(row: RowContext): void {
    const { values } = row;
    const floating: FloatingValues = {};
    const dwelling: DwellingValues = {};

    const arrivalCell = this.first(row, 'arrivalDate');
    if (arrivalCell) {
      const date = this.acceptDate(row, arrivalCell, normalizeDateCell(arrivalCell.value));
      if (date !== undefined) floating.arrivalDate = date;
    }
    const reasonCell = this.first(row, 'floatingReason');
    if (reasonCell) {
      const reason = parseFloatingReason(reasonCell.value);
      if (reason === undefined) row.addCell('flag', 'floating_reason_unknown', reasonCell);
      else floating.reason = reason;
    }
    const origin = this.joined(row, 'floatingOrigin', '');
    if (origin) floating.originAddress = cellText(origin.value);
    const stayCell = this.first(row, 'expectedStay');
    if (stayCell) {
      const months = parseStayMonths(stayCell.value);
      if (months === undefined) row.addCell('flag', 'stay_unknown', stayCell);
      else floating.expectedStayMonths = months;
    }
    const stall = this.joined(row, 'stall', '；');
    if (stall) floating.stall = cellText(stall.value);
    const workplace = this.joined(row, 'workplace', '；');
    if (workplace) floating.workplace = cellText(workplace.value);

    const landlordCell = this.first(row, 'landlordName');
    const landlordName = landlordCell ? normalizePersonName(landlordCell.value) : undefined;
    const landlordPhone = this.readPhones(row, 'landlordPhone');
    const landlordIsFloatingDetail =
      this.layout.register === 'floating' || values.residenceType === 'floating';
    const landlordTarget = landlordIsFloatingDetail ? floating : dwelling;
    if (landlordName) landlordTarget.landlordName = landlordName;
    if (landlordPhone !== undefined) landlordTarget.landlordPhone = landlordPhone;

    const statusCell = this.first(row, 'dwellingStatus');
    if (statusCell) {
      const status = parseDwellingStatus(statusCell.value);
      if (status === undefined) row.addCell('flag', 'dwelling_status_unknown', statusCell);
      else dwelling.status = status;
    }
    const rentedCell = this.first(row, 'rented');
    if (rentedCell) {
      const rented =
        parseYesNo(rentedCell.value) ?? (cellText(rentedCell.value).includes('出租') || undefined);
      if (rented === undefined) row.addCell('flag', 'yes_no_unknown', rentedCell);
      else if (rented && dwelling.status === undefined) dwelling.status = 'rented';
    }

    const note = this.joined(row, 'note', '；');
    if (note) values.note = cellText(note.value);
    if (Object.keys(floating).length > 0) values.floating = floating;
    if (Object.keys(dwelling).length > 0) values.dwelling = dwelling;
  }

  /** A date for a field that takes a full date; problems for a partial, invalid or future one. */
  private acceptDate(
    row: RowContext,
    cell: FoundCell,
    result: ReturnType<typeof normalizeDateCell>,
  ): string | undefined {
    if (result.status === 'partial') row.addCell('flag', 'date_incomplete', cell);
    if (result.status === 'invalid') row.addCell('flag', 'date_invalid', cell);
    if (result.status !== 'valid') return undefined;
    const today = this.options.today ?? new Date();
    const todayText = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
    if (result.date > todayText) {
      row.addCell('flag', 'date_invalid', cell);
      return undefined;
    }
    return result.date;
  }

  /** The first valid phone of the field's cells; flags for invalid cells and numbers left out. */
  private readPhones(row: RowContext, field: 'phone' | 'landlordPhone'): string | undefined {
    let phone: string | undefined;
    for (const cell of this.all(row, field)) {
      const result = normalizePhoneCell(cell.value);
      if (result.status === 'invalid') {
        row.addCell('flag', 'phone_invalid', cell);
        continue;
      }
      if (result.status !== 'valid') continue;
      const others = phone === undefined ? result.others : [result.phone, ...result.others];
      phone ??= result.phone;
      const extra = others.filter((other) => other !== phone);
      if (extra.length > 0) row.addCell('flag', 'phone_extra', cell, { replacement: extra.join('、') });
    }
    return phone;
  }

  private readFlags(row: RowContext): Partial<Record<ResidentFlag, boolean>> {
    const flags: Partial<Record<ResidentFlag, boolean>> = {};
    for (const cell of this.all(row, 'flags')) {
      const { flags: found, unknown } = parseFlagList(cell.value);
      for (const flag of found) flags[flag] = true;
      if (unknown.length > 0) row.addCell('flag', 'flag_unknown', cell, { replacement: unknown.join('、') });
    }
    const flagFields: [ImportField, ResidentFlag][] = [
      ['flag.hardship', 'hardship'],
      ['flag.minimumLivingAllowance', 'minimumLivingAllowance'],
      ['flag.disabled', 'disabled'],
      ['flag.elderlyAlone', 'elderlyAlone'],
      ['flag.partyMember', 'partyMember'],
      ['flag.volunteer', 'volunteer'],
    ];
    for (const [field, flag] of flagFields) {
      const cell = this.first(row, field);
      if (!cell) continue;
      const text = cellText(cell.value).normalize('NFKC').replace(/\s+/g, '');
      const answer =
        parseYesNo(cell.value) ??
        (findFlagsInText(text).includes(flag) ? true : undefined) ??
        (flag === 'partyMember' && NOT_PARTY_MEMBER.includes(text) ? false : undefined);
      if (answer === undefined) row.addCell('flag', 'yes_no_unknown', cell);
      else flags[flag] = answer || (flags[flag] ?? false);
    }
    return flags;
  }

  /**
   * Flags a repeat of an earlier row of the sheet, or of an earlier row's ID number with other content. The
   * merge keeps the first and counts the repeat as merged; the flag tells the user which row it repeats.
   */
  private checkDuplicates(row: RowContext, raw: RawRow): void {
    if (row.problems.some((problem) => problem.severity === 'reject')) return;
    // 序号 and the like differ between two copies of the same row
    const content = createHash('sha1')
      .update(
        raw.cells
          .map((cell, index) => (this.columnsByIndex.get(index)?.field === 'ignored' ? '' : cellText(cell)))
          .join('\u001f'),
      )
      .digest('base64');
    const sameRow = this.seenContent.get(content);
    if (sameRow !== undefined) {
      row.addRow('flag', 'duplicate_row', undefined, { otherRow: sameRow });
      return;
    }
    this.seenContent.set(content, raw.row);
    const idNumber = row.values.idNumber;
    if (idNumber === undefined) return;
    const sameId = this.seenIdNumbers.get(idNumber);
    const idCell = this.first(row, 'idNumber');
    if (sameId !== undefined && idCell) {
      row.addCell('flag', 'duplicate_id_number', idCell, { otherRow: sameId });
    } else if (sameId === undefined) {
      this.seenIdNumbers.set(idNumber, raw.row);
    }
  }
}

/** Results of a pure function of a text, kept for the texts seen last (at most `limit`). */
class TextMemo<T> {
  private readonly results = new Map<string, T>();

  constructor(private readonly limit = 20_000) {}

  get(text: string, compute: (text: string) => T): T {
    if (this.results.has(text)) return this.results.get(text) as T;
    const result = compute(text);
    if (this.results.size >= this.limit) this.results.clear();
    this.results.set(text, result);
    return result;
  }
}

/** The values and problems of the row being mapped. */
class RowContext {
  readonly values: MappedValues = {};
  readonly problems: ImportProblem[] = [];
  private readonly errorsReported = new Set<number>();

  constructor(
    private readonly raw: RawRow,
    private readonly columnsByIndex: ReadonlyMap<number, ColumnLayout>,
  ) {}

  /** The cell under a column; a formula error (#N/A) reads as blank, flagged once. */
  read(column: ColumnLayout): RawCell {
    const value = this.raw.cells[column.index] ?? null;
    if (!isErrorValue(value)) return value;
    if (!this.errorsReported.has(column.index)) {
      this.errorsReported.add(column.index);
      this.push('flag', 'cell_error', column, column.index, cellText(value), {});
    }
    return null;
  }

  /** A problem with a cell found through a field. */
  addCell(
    severity: ProblemSeverity,
    code: ImportProblemCode,
    cell: FoundCell,
    details: ProblemDetails = {},
  ): void {
    this.push(severity, code, cell.column, cell.column.index, cellText(cell.value), details);
  }

  /** A problem of the row, named after a column when there is one (a missing name: the name column). */
  addRow(
    severity: ProblemSeverity,
    code: ImportProblemCode,
    column?: ColumnLayout,
    details: ProblemDetails = {},
  ): void {
    this.push(severity, code, column, column?.index, '', details);
  }

  /** A problem with the cell at a 0-based index, whether or not its column is mapped. */
  addAt(index: number, severity: ProblemSeverity, code: ImportProblemCode, details: ProblemDetails): void {
    const value = cellText(this.raw.cells[index] ?? null);
    this.push(severity, code, this.columnsByIndex.get(index), index, value, details);
  }

  private push(
    severity: ProblemSeverity,
    code: ImportProblemCode,
    column: ColumnLayout | undefined,
    index: number | undefined,
    value: string,
    details: ProblemDetails,
  ): void {
    const header = column?.header ?? '';
    const shown = value.length > MAX_VALUE_TEXT ? `${value.slice(0, MAX_VALUE_TEXT)}…` : value;
    this.problems.push({
      severity,
      code,
      column: header,
      columnLetter: column?.letter ?? (index === undefined ? '' : columnLetter(index)),
      value: shown,
      reason: importProblemReasons[code]({ ...details, value: shown, column: header, severity }),
    });
  }
}
