import { localDateText } from '@shiliuzi/shared/dates';
import { disputeLabels, type Dispute } from '@shiliuzi/shared/casework-disputes';
import { petitionLabels, type Petition } from '@shiliuzi/shared/casework-petitions';
import { findEthnicGroup } from '@shiliuzi/shared/ethnicity';
import type { Executor } from '../../db/database.ts';
import type { Actor } from '../../lib/actor.ts';
import { exportText } from '../../locales/export.zh-CN.ts';
import type { RegisterFile } from '../exports/exports.service.ts';
import type { Cell, ColumnKind } from '../exports/register-layouts.ts';
import {
  CSV_CONTENT_TYPE,
  writeCsv,
  writeXlsx,
  XLSX_CONTENT_TYPE,
  type SheetLayout,
} from '../exports/register-writers.ts';
import { orgUnitService } from '../org-units/org-unit.service.ts';
import { petitionService } from '../petitions/petition.service.ts';
import { disputeService } from './dispute.service.ts';

// The dispute register (矛盾纠纷排查调处台账) and the petition and hotline register (信访热线台账)
// of an org subtree, written by the register writers of the exports module: every cell is text
// (dates and counts too), and any cell that could run as a formula is neutralised there.

const PAGE_SIZE = 500;

interface Column<T> {
  header: string;
  width: number;
  kind: ColumnKind;
  value: (row: T) => Cell;
}

const col = <T>(
  header: string,
  width: number,
  value: (row: T) => Cell,
  kind: ColumnKind = 'text',
): Column<T> => ({
  header,
  width,
  kind,
  value,
});

const ethnicity = (code: string | null) => (code ? (findEthnicGroup(code)?.name ?? code) : '');

const disputeColumns: Column<Dispute>[] = [
  col('序号', 6, () => null, 'serial'),
  col('受理日期', 12, (d) => d.intakeDate, 'date'),
  col('所属组织', 16, (d) => d.orgUnitName),
  col('来源', 8, (d) => disputeLabels.sources[d.source]),
  col('当事人（民族）', 30, (d) =>
    d.parties
      .map((p) => (p.ethnicityCode ? `${p.name}（${ethnicity(p.ethnicityCode)}）` : p.name))
      .join(exportText.listSeparator),
  ),
  col('类别', 12, (d) => disputeLabels.categories[d.category]),
  col('涉及民族因素', 8, (d) => (d.isEthnicFactor ? '是' : '否')),
  col('风险等级', 8, (d) => disputeLabels.riskLevels[d.riskLevel]),
  col('调处层级', 8, (d) => disputeLabels.levels[d.handlingLevel]),
  col('纠纷概况', 40, (d) => d.summary),
  col('调处过程', 50, (d) => d.steps.map((s) => `${s.stepDate} ${s.notes}`).join('；') || null),
  col('调处结果', 10, (d) => disputeLabels.outcomes[d.outcome]),
  col('办结日期', 12, (d) => d.closedOn, 'date'),
  col('跟踪回访', 30, (d) => d.followUp),
];

const petitionColumns: Column<Petition>[] = [
  col('序号', 6, () => null, 'serial'),
  col('接收日期', 12, (p) => p.receivedDate, 'date'),
  col('所属组织', 16, (p) => p.orgUnitName),
  col('渠道', 10, (p) => petitionLabels.channels[p.channel]),
  col('反映人', 12, (p) => p.requesterName ?? '匿名'),
  col('反映事项', 40, (p) => p.subject),
  col('承办人', 10, (p) => p.assigneeName),
  col('办理状态', 10, (p) => petitionLabels.statuses[p.status]),
  col('办理时限', 12, (p) => p.dueDate, 'date'),
  col('答复日期', 12, (p) => p.responseDate, 'date'),
  col('是否超期', 8, (p) => (p.isOverdue ? '是' : '否')),
];

export const caseworkRegisterNames = { disputes: '矛盾纠纷排查调处台账', petitions: '信访热线台账' } as const;
export type CaseworkRegister = keyof typeof caseworkRegisterNames;

/** Pages of the register's rows through the module's own list (same scope rules as the API). */
async function* pagesOf<T>(
  read: (page: number) => Promise<{ items: T[]; total: number }>,
): AsyncGenerator<T> {
  for (let page = 1; ; page += 1) {
    const { items } = await read(page);
    yield* items;
    if (items.length < PAGE_SIZE) return;
  }
}

async function* cells<T>(rows: AsyncIterable<T>, columns: readonly Column<T>[]): AsyncGenerator<Cell[]> {
  let serial = 0;
  for await (const row of rows) {
    serial += 1;
    yield columns.map((c) => (c.kind === 'serial' ? serial : c.value(row)));
  }
}

/**
 * The dispute or petition register of an org unit's subtree (404 outside the actor's scope), oldest
 * first, as .xlsx or .csv.
 */
export async function prepareCaseworkRegister(
  db: Executor,
  actor: Actor,
  register: CaseworkRegister,
  orgUnitId: string,
  format: 'xlsx' | 'csv',
): Promise<RegisterFile> {
  const org = await orgUnitService.requireOrgUnit(db, actor, orgUnitId);
  const today = localDateText();
  const name = caseworkRegisterNames[register];
  const page = (n: number) => ({ page: n, pageSize: PAGE_SIZE, order: 'asc' as const });
  const rows =
    register === 'disputes'
      ? () =>
          cells(
            pagesOf((n) => disputeService.listDisputes(db, actor, org.id, {}, 'intakeDate', page(n))),
            disputeColumns,
          )
      : () =>
          cells(
            pagesOf((n) => petitionService.listPetitions(db, actor, org.id, {}, 'receivedDate', page(n))),
            petitionColumns,
          );
  const columns = register === 'disputes' ? disputeColumns : petitionColumns;
  const layout: SheetLayout = { title: exportText.title(org.name, name, today), sheetName: name, columns };
  return {
    fileName: exportText.fileName(org.name, name, today, format).replace(/[\\/:*?"<>|]/g, '_'),
    asciiFileName: `${org.code}-${register}-${today}.${format}`,
    contentType: format === 'xlsx' ? XLSX_CONTENT_TYPE : CSV_CONTENT_TYPE,
    writeTo: (output) =>
      format === 'xlsx'
        ? writeXlsx(output, layout, rows(), exportText.creator)
        : writeCsv(output, layout, rows()),
  };
}
