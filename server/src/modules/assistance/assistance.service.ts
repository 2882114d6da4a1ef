import type { ChangeEntry, Page, PageQuery } from '@shiliuzi/shared/api';
import { localDateText } from '@shiliuzi/shared/dates';
import type {
  Assistance,
  AssistanceDecision,
  AssistanceInput,
  AssistancePatch,
  AssistanceTotals,
} from '@shiliuzi/shared/casework-visits';
import { canApproveAssistance } from '@shiliuzi/shared/permissions';
import { inTransaction, type Executor } from '../../db/database.ts';
import type { AssistanceRow } from '../../db/schema.ts';
import { conflict, forbidden, invalidInput, notFound } from '../../errors.ts';
import type { Actor } from '../../lib/actor.ts';
import { newId } from '../../lib/ids.ts';
import { toPage } from '../../lib/pagination.ts';
import { canEditRegistry } from '../../lib/permissions.ts';
import {
  type RecordSpec,
  deleteAndRestore,
  newRecordStamps,
  recordCreated,
  requireLive,
  updateRecord,
} from '../../lib/record-lifecycle.ts';
import { historyService } from '../history/history.service.ts';
import { orgUnitService } from '../org-units/org-unit.service.ts';
import { residentService } from '../residents/resident.service.ts';
import {
  assistanceRepository,
  type AssistanceFilter,
  type AssistanceListRow,
  type AssistanceSort,
} from './assistance.repository.ts';

function toAssistance(row: AssistanceListRow): Assistance {
  return {
    id: row.id,
    orgUnitId: row.orgUnitId,
    residentId: row.residentId,
    residentName: row.residentName,
    kind: row.kind as Assistance['kind'],
    amountFen: row.amountFen,
    fundSource: row.fundSource as Assistance['fundSource'],
    appliedOn: row.appliedOn,
    description: row.description,
    status: row.status as Assistance['status'],
    decidedBy: row.decidedBy,
    decidedByName: row.decidedByName,
    decidedOn: row.decidedOn,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
  };
}

function snapshot(a: Assistance) {
  const { residentName: _r, decidedByName: _d, ...rest } = a;
  return rest;
}

const assistanceSpec: RecordSpec<AssistanceListRow, Assistance> = {
  table: 'assistance',
  entityType: 'assistance',
  notFoundCode: 'assistance_not_found',
  find: assistanceRepository.findAssistanceRow,
  toDomain: (_db, row) => toAssistance(row),
  snapshot,
  owner: (row) => ({ orgUnitId: row.orgUnitId, streetId: row.streetId }),
  canWrite: (actor) => canEditRegistry(actor),
};

const lifecycle = deleteAndRestore(assistanceSpec);

/** Records an application for assistance (pending approval) for a resident of the org unit's subtree. */
async function createAssistance(
  db: Executor,
  actor: Actor,
  input: AssistanceInput,
  today = localDateText(),
): Promise<Assistance> {
  if (!canEditRegistry(actor)) throw forbidden();
  if (input.appliedOn > today) throw invalidInput('date_in_future');
  return inTransaction(db, async (trx) => {
    const org = await orgUnitService.requireOrgUnit(trx, actor, input.orgUnitId);
    const resident = await residentService.getResident(
      trx,
      { ...actor, scopePath: org.path },
      input.residentId,
    );
    if (resident.deletedAt !== null) throw notFound('resident_not_found');
    const row: AssistanceRow = {
      anonymisedAt: null,
      id: newId(),
      orgUnitId: org.id,
      streetId: org.streetId,
      residentId: resident.id,
      kind: input.kind,
      amountFen: input.amountFen,
      fundSource: input.fundSource,
      appliedOn: input.appliedOn,
      description: input.description ?? null,
      status: 'pending',
      decidedBy: null,
      decidedOn: null,
      ...newRecordStamps(actor),
    };
    await assistanceRepository.insertAssistance(trx, row);
    const created = toAssistance({ ...row, residentName: resident.name, decidedByName: null });
    await recordCreated(trx, actor, 'assistance', row.id, row, snapshot(created));
    return created;
  });
}

async function updateAssistance(
  db: Executor,
  actor: Actor,
  id: string,
  patch: AssistancePatch,
  today = localDateText(),
): Promise<Assistance> {
  const { version, ...changes } = patch;
  if (changes.appliedOn !== undefined && changes.appliedOn > today) throw invalidInput('date_in_future');
  return inTransaction(db, async (trx) => {
    const current = await requireLive(trx, actor, assistanceSpec, id);
    if (current.status !== 'pending') throw conflict('assistance_already_decided');
    return updateRecord(trx, actor, assistanceSpec, current, id, version, changes);
  });
}

/** Approves or refuses a pending application; who decided and when are kept. */
async function decideAssistance(
  db: Executor,
  actor: Actor,
  id: string,
  decision: AssistanceDecision,
  today = localDateText(),
): Promise<Assistance> {
  if (decision.decidedOn > today) throw invalidInput('date_in_future');
  return inTransaction(db, async (trx) => {
    const current = await requireLive(trx, actor, assistanceSpec, id);
    if (!canApproveAssistance(actor.roles)) throw forbidden();
    if (current.status !== 'pending') throw conflict('assistance_already_decided');
    if (decision.decidedOn < current.appliedOn) throw invalidInput('decision_before_application');
    return updateRecord(trx, actor, assistanceSpec, current, id, decision.version, {
      status: decision.decision,
      decidedBy: actor.userId,
      decidedOn: decision.decidedOn,
    });
  });
}

async function getAssistance(db: Executor, actor: Actor, id: string): Promise<Assistance> {
  const row = await assistanceRepository.findAssistanceRow(db, actor.scopePath, id);
  if (!row) throw notFound('assistance_not_found');
  return toAssistance(row);
}

async function listAssistance(
  db: Executor,
  actor: Actor,
  orgUnitId: string | undefined,
  filter: AssistanceFilter,
  sort: AssistanceSort,
  page: PageQuery,
): Promise<Page<Assistance>> {
  const scope = await orgUnitService.resolveScope(db, actor, orgUnitId);
  const { rows, total } = await assistanceRepository.findAssistance(db, scope, filter, sort, page);
  return toPage(rows.map(toAssistance), total, page);
}

/** Count and amount of the matching records in total and per source of funds (summed in SQL). */
async function totalAssistance(
  db: Executor,
  actor: Actor,
  orgUnitId: string | undefined,
  filter: AssistanceFilter,
): Promise<AssistanceTotals> {
  const scope = await orgUnitService.resolveScope(db, actor, orgUnitId);
  const rows = await assistanceRepository.sumBySource(db, scope, filter);
  const bySource: AssistanceTotals['bySource'] = {};
  let count = 0;
  let amountFen = 0;
  for (const row of rows) {
    const entry = { count: Number(row.n), amountFen: Number(row.amountFen ?? 0) };
    bySource[row.fundSource] = entry;
    count += entry.count;
    amountFen += entry.amountFen;
  }
  return { count, amountFen, bySource };
}

async function listAssistanceHistory(db: Executor, actor: Actor, id: string): Promise<ChangeEntry[]> {
  await getAssistance(db, actor, id);
  return historyService.listChanges(db, 'assistance', id);
}

export const assistanceService = Object.freeze({
  createAssistance,
  updateAssistance,
  decideAssistance,
  getAssistance,
  listAssistance,
  totalAssistance,
  listAssistanceHistory,
  deleteAssistance: lifecycle.remove,
  restoreAssistance: lifecycle.restore,
});
