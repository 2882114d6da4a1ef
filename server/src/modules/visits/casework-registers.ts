import { formatFen } from '@shiliuzi/shared/casework-visits';
import { caseworkLabels } from '@shiliuzi/shared/casework-labels.zh-CN';
import { localDateText } from '@shiliuzi/shared/dates';
import type { Page, PageQuery } from '@shiliuzi/shared/api';
import type { Executor } from '../../db/database.ts';
import type { Actor } from '../../lib/actor.ts';
import { exportText } from '../../locales/export.zh-CN.ts';
import { caseworkExportText as text } from '../../locales/casework-export.zh-CN.ts';
import { assistanceService } from '../assistance/assistance.service.ts';
import type { AssistanceFilter } from '../assistance/assistance.repository.ts';
import type { ExportFormat, RegisterFile } from '../exports/exports.service.ts';
import type { Cell, ColumnKind } from '../exports/register-layouts.ts';
import {
  CSV_CONTENT_TYPE,
  writeCsv,
  writeXlsx,
  XLSX_CONTENT_TYPE,
  type SheetLayout,
} from '../exports/register-writers.ts';
import { orgUnitService } from '../org-units/org-unit.service.ts';
import type { VisitFilter } from './visit.repository.ts';
import { visitService } from './visit.service.ts';

// The casework registers (走访慰问台账, 帮困台账) as .xlsx or .csv, written by the register writers of
// the exports module: every cell text (amounts as yuan with two decimals, never floats), formulas
// neutralised. They name people but hold no ID number or phone, so there is nothing to mask.

const PAGE_SIZE = 200;

function widths(headers: readonly string[]): SheetLayout['columns'] {
  return headers.map((header, i) => ({
    header,
    width: i === 0 ? 6 : Math.max(10, header.length * 2 + 2),
    kind: (i === 0 ? 'serial' : 'text') as ColumnKind,
  }));
}

/** Every page of a scoped list, one after the other, each row turned into cells with its serial. */
async function* pagedCells<T>(
  readPage: (page: PageQuery) => Promise<Page<T>>,
  cells: (item: T) => Cell[],
): AsyncGenerator<Cell[]> {
  let serial = 0;
  for (let page = 1; ; page++) {
    const { items, total } = await readPage({ page, pageSize: PAGE_SIZE, order: 'asc' });
    for (const item of items) yield [++serial, ...cells(item)];
    if (page * PAGE_SIZE >= total || items.length === 0) return;
  }
}

async function registerFile(
  db: Executor,
  actor: Actor,
  orgUnitId: string,
  format: ExportFormat,
  register: { name: string; key: string; headers: readonly string[] },
  rows: () => AsyncIterable<Cell[]>,
): Promise<RegisterFile> {
  const org = await orgUnitService.requireOrgUnit(db, actor, orgUnitId);
  const today = localDateText();
  const layout: SheetLayout = {
    title: text.title(org.name, register.name, today),
    sheetName: register.name,
    columns: widths(register.headers),
  };
  return {
    fileName: text.fileName(org.name, register.name, today, format).replace(/[\\/:*?"<>|]/g, '_'),
    asciiFileName: `${org.code}-${register.key}-${today}.${format}`,
    contentType: format === 'xlsx' ? XLSX_CONTENT_TYPE : CSV_CONTENT_TYPE,
    writeTo: (output) =>
      format === 'xlsx'
        ? writeXlsx(output, layout, rows(), exportText.creator)
        : writeCsv(output, layout, rows()),
  };
}

/** 走访慰问台账 of an org unit's subtree (404 outside the actor's scope), oldest visit first. */
async function prepareVisitRegister(
  db: Executor,
  actor: Actor,
  orgUnitId: string,
  format: ExportFormat,
  filter: VisitFilter,
): Promise<RegisterFile> {
  const rows = () =>
    pagedCells(
      (page) => visitService.listVisits(db, actor, orgUnitId, filter, 'visitedOn', page),
      (v) => [
        v.visitedOn,
        caseworkLabels.visitPurposes[v.purpose],
        v.visitors.map((u) => u.displayName).join('、') || null,
        v.residents.map((r) => r.name).join('、') || null,
        v.households.map((h) => h.label).join('、') || null,
        v.location,
        v.gifts,
        v.amountFen === null ? null : formatFen(v.amountFen),
        v.fundSource ? caseworkLabels.fundSources[v.fundSource] : null,
        v.notes,
      ],
    );
  return registerFile(
    db,
    actor,
    orgUnitId,
    format,
    { name: text.visitsRegister, key: 'visits', headers: text.visitHeaders },
    rows,
  );
}

/** 帮困台账 of an org unit's subtree (404 outside the actor's scope), oldest application first. */
async function prepareAssistanceRegister(
  db: Executor,
  actor: Actor,
  orgUnitId: string,
  format: ExportFormat,
  filter: AssistanceFilter,
): Promise<RegisterFile> {
  const rows = () =>
    pagedCells(
      (page) => assistanceService.listAssistance(db, actor, orgUnitId, filter, 'appliedOn', page),
      (a) => [
        a.residentName,
        caseworkLabels.assistanceKinds[a.kind],
        formatFen(a.amountFen),
        caseworkLabels.fundSources[a.fundSource],
        a.appliedOn,
        caseworkLabels.assistanceStatuses[a.status],
        a.decidedByName,
        a.decidedOn,
        a.description,
      ],
    );
  return registerFile(
    db,
    actor,
    orgUnitId,
    format,
    { name: text.assistanceRegister, key: 'assistance', headers: text.assistanceHeaders },
    rows,
  );
}

export const caseworkRegisters = Object.freeze({ prepareVisitRegister, prepareAssistanceRegister });
