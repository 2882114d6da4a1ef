import type { Writable } from 'node:stream';
import { localDateText } from '@shiliuzi/shared/dates';
import { maskAddress, maskIdNumber, maskPhone } from '@shiliuzi/shared/masking';
import type { Executor } from '../../db/database.ts';
import type { OrgScope } from '../../db/scope.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../../lib/actor.ts';
import { isUnreadableStandIn, showField, type SealedColumn } from '../../lib/field-crypto.ts';
import { canRevealSensitive } from '../../lib/permissions.ts';
import { exportText, registerNames } from '../../locales/export.zh-CN.ts';
import { orgUnitService, scopeOf } from '../org-units/org-unit.service.ts';
import {
  exportsRepository,
  type ResidentRegisterRow,
  type ResidentSelection,
  type SubtreeUnitRow,
} from './exports.repository.ts';
import {
  registerColumns,
  residentAddress,
  type Cell,
  type DwellingRegisterLine,
  type RegisterColumn,
  type RegisterKind,
  type ResidentRegisterLine,
} from './register-layouts.ts';
import {
  CSV_CONTENT_TYPE,
  writeCsv,
  writeXlsx,
  XLSX_CONTENT_TYPE,
  type SheetLayout,
} from './register-writers.ts';

export { registerKinds, type RegisterKind } from './register-layouts.ts';

export const exportFormats = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** Rows read per query: a page is a few hundred kilobytes, whatever the size of the register. */
const PAGE_SIZE = 500;

export interface RegisterExportOptions {
  /** The day the register is taken on (default today). */
  today?: string;
  /** Rows per query (tests page through small registers with tiny pages). */
  pageSize?: number;
}

export interface RegisterExportRequest {
  register: RegisterKind;
  orgUnitId: string;
  format: ExportFormat;
  /** Whole ID numbers, phones and addresses instead of masked ones (only for roles that may reveal). */
  reveal: boolean;
}

/** A register file ready to be written: its names and type, and the writer. */
export interface RegisterFile {
  /** The name users see: 云朵社区少数民族居民台账（2026-11-29）.xlsx. */
  fileName: string;
  /** An ASCII name for clients that cannot take the Chinese one: YD-minority-2026-11-29.xlsx. */
  asciiFileName: string;
  contentType: string;
  /**
   * Writes the file to `output` and ends it, reading the register page by page; resolves with the
   * number of data rows once `output` has finished. Rejects with ExportAborted when the output is
   * closed early.
   */
  writeTo(output: Writable): Promise<number>;
}

/** The format a file name asks for by its extension (.xlsx or .csv), if any. */
export function exportFormatOf(fileName: string): ExportFormat | undefined {
  const match = /\.(xlsx|csv)$/i.exec(fileName);
  return match ? (match[1]!.toLowerCase() as ExportFormat) : undefined;
}

/** A file name without the characters Windows and other systems refuse (\ / : * ? " < > | and controls). */
function safeFileName(name: string): string {
  return [...name].map((ch) => (ch < ' ' || ch === '\x7f' || '\\/:*?"<>|'.includes(ch) ? '_' : ch)).join('');
}

/** The subtree's units parents first, siblings by code (so 网格 1, 2, … 10 come in order). */
function inTreeOrder(units: SubtreeUnitRow[]): SubtreeUnitRow[] {
  const ids = new Set(units.map((u) => u.id));
  const children = new Map<string | null, SubtreeUnitRow[]>();
  for (const unit of units) {
    const parent = unit.parentId !== null && ids.has(unit.parentId) ? unit.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), unit]);
  }
  const ordered: SubtreeUnitRow[] = [];
  const visit = (parent: string | null) => {
    const siblings = (children.get(parent) ?? []).sort((a, b) =>
      a.code.localeCompare(b.code, 'en', { numeric: true }),
    );
    for (const unit of siblings) {
      ordered.push(unit);
      visit(unit.id);
    }
  };
  visit(null);
  return ordered;
}

/** A register's rows of one org unit, page by page, each page after the last row of the one before. */
interface PageReader<R> {
  size: number;
  read(orgUnitId: string, after: R | undefined): Promise<R[]>;
}

/** A sealed ID number or phone as the register shows it: in clear when revealed, else masked. */
function shown(
  column: SealedColumn,
  rowId: string,
  sealed: string | null,
  reveal: boolean,
  mask: (value: string) => string,
): string | null {
  const value = showField(column, rowId, sealed);
  return reveal || value === null || isUnreadableStandIn(value) ? value : mask(value);
}

/** An address as the register writes it: whole when revealed, else masked. */
const shownAddress = (address: string | null, reveal: boolean) =>
  reveal || address === null ? address : maskAddress(address);

/**
 * A resident row with its sealed values opened for the register: whole when revealed, else masked
 * (the phone from its stored masked form, so a masked register opens only the ID numbers); the
 * addresses likewise.
 */
function openResidentRow(row: ResidentRegisterRow, reveal: boolean): ResidentRegisterLine {
  return {
    ...row,
    address: residentAddress(row, reveal),
    floatingOriginAddress: shownAddress(row.floatingOriginAddress, reveal),
    idNumber: shown('resident.id_number', row.id, row.idNumber, reveal, maskIdNumber),
    phone: reveal ? showField('resident.phone', row.id, row.phone) : row.phoneMasked,
    floatingLandlordPhone: shown(
      'floating_resident.landlord_phone',
      row.id,
      row.floatingLandlordPhone,
      reveal,
      maskPhone,
    ),
  };
}

function residentPages(
  db: Executor,
  visible: OrgScope,
  selection: ResidentSelection,
  asOf: string,
  size: number,
  reveal: boolean,
): PageReader<ResidentRegisterLine> {
  return {
    size,
    read: async (orgUnitId, after) =>
      (
        await exportsRepository.findResidentPage(db, {
          orgUnitId,
          visible,
          selection,
          asOf,
          after: after && { name: after.name, id: after.id },
          limit: size,
        })
      ).map((row) => openResidentRow(row, reveal)),
  };
}

function dwellingPages(
  db: Executor,
  visible: OrgScope,
  asOf: string,
  size: number,
  reveal: boolean,
): PageReader<DwellingRegisterLine> {
  return {
    size,
    read: async (orgUnitId, after) =>
      (
        await exportsRepository.findDwellingPage(db, {
          orgUnitId,
          visible,
          asOf,
          after: after && {
            estateKey: after.estateKey,
            buildingKey: after.buildingKey,
            entranceKey: after.entranceKey,
            name: after.name,
            id: after.id,
          },
          limit: size,
        })
      ).map((row) => ({
        ...row,
        landlordPhone: shown('place.landlord_phone', row.id, row.landlordPhone, reveal, maskPhone),
        shownEntrance: row.entranceKey === '' ? null : shownAddress(row.entranceKey, reveal),
        shownRoom: shownAddress(row.name, reveal)!,
        shownAddress: shownAddress(row.address, reveal),
      })),
  };
}

/**
 * The register's rows as cells, unit after unit in tree order, numbered from 1. The next page is
 * asked for before the rows of this one are handed on, so that on PostgreSQL the database reads
 * while the file is written; at most two pages are held.
 */
async function* registerCells<R>(
  units: SubtreeUnitRow[],
  pages: PageReader<R>,
  columns: readonly RegisterColumn<R>[],
): AsyncGenerator<Cell[]> {
  let serial = 0;
  for (const unit of units) {
    let pending: Promise<R[]> | undefined = pages.read(unit.id, undefined);
    while (pending) {
      const page: R[] = await pending;
      pending = page.length === pages.size ? pages.read(unit.id, page[page.length - 1]) : undefined;
      // Awaited on the next turn; an export abandoned before then must not leave it unhandled.
      pending?.catch(() => undefined);
      for (const row of page) {
        serial += 1;
        yield columns.map((column) => (column.kind === 'serial' ? serial : column.value(row, unit.name)));
      }
    }
  }
}

function rowsOf(
  db: Executor,
  register: RegisterKind,
  units: SubtreeUnitRow[],
  visible: OrgScope,
  reveal: boolean,
  asOf: string,
  pageSize: number,
): AsyncGenerator<Cell[]> {
  if (register === 'dwellings') {
    const pages = dwellingPages(db, visible, asOf, pageSize, reveal);
    return registerCells(units, pages, registerColumns.dwellings);
  }
  const selection: ResidentSelection = register === 'residents' ? 'all' : register;
  const pages = residentPages(db, visible, selection, asOf, pageSize, reveal);
  return registerCells(units, pages, registerColumns[register]);
}

function layoutOf(register: RegisterKind, title: string): SheetLayout {
  return { title, sheetName: registerNames[register], columns: registerColumns[register] };
}

function writerOf(format: ExportFormat, layout: SheetLayout, rows: () => AsyncIterable<Cell[]>) {
  return (output: Writable) =>
    format === 'xlsx'
      ? writeXlsx(output, layout, rows(), exportText.creator)
      : writeCsv(output, layout, rows());
}

/**
 * A register of an org unit's subtree (404 outside the actor's scope), as of today: residents,
 * minority residents, floating residents or dwellings. ID numbers, phones and addresses (entrance
 * and room) are masked unless `reveal` is asked for by a role that may reveal (403 otherwise). Nothing is read until the file
 * is written.
 */
async function prepareRegisterExport(
  db: Executor,
  actor: Actor,
  request: RegisterExportRequest,
  options: RegisterExportOptions = {},
): Promise<RegisterFile> {
  const today = options.today ?? localDateText();
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const org = await orgUnitService.requireOrgUnit(db, actor, request.orgUnitId);
  if (request.reveal && !canRevealSensitive(actor)) {
    throw new AppError(403, 'forbidden', exportText.revealForbidden);
  }
  const registerName = registerNames[request.register];
  const layout = layoutOf(request.register, exportText.title(org.name, registerName, today));
  const visible: OrgScope = { path: actor.scopePath };
  const rows = async function* () {
    const units = inTreeOrder(await exportsRepository.findSubtreeUnits(db, scopeOf(org)));
    yield* rowsOf(db, request.register, units, visible, request.reveal, today, pageSize);
  };
  return {
    fileName: safeFileName(exportText.fileName(org.name, registerName, today, request.format)),
    asciiFileName: `${org.code}-${request.register}-${today}.${request.format}`,
    contentType: request.format === 'xlsx' ? XLSX_CONTENT_TYPE : CSV_CONTENT_TYPE,
    writeTo: writerOf(request.format, layout, rows),
  };
}

/** An empty register to fill in: the title and header rows only (.xlsx). */
function registerTemplate(register: RegisterKind): RegisterFile {
  const registerName = registerNames[register];
  const layout = layoutOf(register, exportText.templateTitle(registerName));
  return {
    fileName: exportText.templateFileName(registerName),
    asciiFileName: `${register}-template.xlsx`,
    contentType: XLSX_CONTENT_TYPE,
    writeTo: writerOf('xlsx', layout, async function* () {}),
  };
}

export const exportService = Object.freeze({ prepareRegisterExport, registerTemplate });
