import type { ChangeEntry, Page, PageQuery } from '@shiliuzi/shared/api';
import type {
  Dispute,
  DisputeInput,
  DisputeOutcome,
  DisputePartyInput,
  DisputePatch,
  DisputeStepInput,
} from '@shiliuzi/shared/casework-disputes';
import { localDateText } from '@shiliuzi/shared/dates';
import { inTransaction, type Executor } from '../../db/database.ts';
import { dialectOf } from '../../db/dialect-of.ts';
import { updateVersioned } from '../../db/records.ts';
import type { DisputeRow } from '../../db/schema.ts';
import { conflict, forbidden, invalidInput, isAppError, notFound } from '../../errors.ts';
import type { Actor } from '../../lib/actor.ts';
import { newId, nowIso } from '../../lib/ids.ts';
import { seal, sealNullable, showField } from '../../lib/field-crypto.ts';
import { containsText, pageOfMatches, toPage } from '../../lib/pagination.ts';
import { canEditRegistry } from '../../lib/permissions.ts';
import {
  creation,
  deleteAndRestore,
  newRecordStamps,
  requireLive,
  updateRecord,
  type RecordSpec,
} from '../../lib/record-lifecycle.ts';
import { historyService } from '../history/history.service.ts';
import { orgUnitService } from '../org-units/org-unit.service.ts';
import { residentService } from '../residents/resident.service.ts';
import {
  disputeRepository,
  type DisputeFilter,
  type DisputePartyRow,
  type DisputeSort,
  type DisputeStepRow,
  type DisputeWithUnit,
} from './dispute.repository.ts';

/** Casework is recorded by the same roles that keep the registry (grid workers included). */
const canRecordCasework = canEditRegistry;

function toDispute(row: DisputeWithUnit, parties: DisputePartyRow[], steps: DisputeStepRow[]): Dispute {
  return {
    id: row.id,
    orgUnitId: row.orgUnitId,
    orgUnitName: row.orgUnitName,
    streetId: row.streetId,
    intakeDate: row.intakeDate,
    source: row.source as Dispute['source'],
    category: row.category as Dispute['category'],
    isEthnicFactor: Boolean(row.isEthnicFactor),
    riskLevel: row.riskLevel as Dispute['riskLevel'],
    handlingLevel: row.handlingLevel as Dispute['handlingLevel'],
    outcome: row.outcome as DisputeOutcome,
    closedOn: row.closedOn,
    summary: showField('dispute.summary', row.id, row.summary),
    followUp: showField('dispute.follow_up', row.id, row.followUp),
    parties: parties.map((p) => ({
      id: p.id,
      residentId: p.residentId,
      name: p.name,
      ethnicityCode: p.ethnicityCode,
    })),
    steps: steps.map((s) => ({
      id: s.id,
      stepDate: s.stepDate,
      notes: showField('dispute_step.notes', s.id, s.notes),
      handledBy: s.handledBy,
      createdAt: s.createdAt,
      createdByName: s.createdByName,
    })),
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
  };
}

async function loadDisputes(db: Executor, rows: DisputeWithUnit[]): Promise<Dispute[]> {
  const ids = rows.map((r) => r.id);
  const [parties, steps] = await Promise.all([
    disputeRepository.findParties(db, ids),
    disputeRepository.findSteps(db, ids),
  ]);
  return rows.map((row) =>
    toDispute(
      row,
      parties.filter((p) => p.disputeId === row.id),
      steps.filter((s) => s.disputeId === row.id),
    ),
  );
}

/** The history snapshot: parties by name, steps left out (each step is its own entry). */
function snapshot(dispute: Dispute) {
  const { steps: _s, orgUnitName: _o, parties, ...rest } = dispute;
  return { ...rest, parties: parties.map((p) => p.name) };
}

const disputeSpec: RecordSpec<DisputeWithUnit, Dispute> = {
  table: 'dispute',
  entityType: 'dispute',
  notFoundCode: 'dispute_not_found',
  find: disputeRepository.findDisputeById,
  toDomain: async (db, row) => (await loadDisputes(db, [row]))[0]!,
  snapshot,
  owner: (row) => ({ orgUnitId: row.orgUnitId, streetId: row.streetId }),
  canWrite: (actor) => canRecordCasework(actor),
};

const disputeLifecycle = deleteAndRestore(disputeSpec);

/**
 * The party rows of a dispute. A resident party must be a live resident the actor can see (its
 * name and ethnicity are copied from the register); anything else is refused as not found, the
 * same answer whether the resident is elsewhere or does not exist.
 */
async function toPartyRows(
  db: Executor,
  actor: Actor,
  disputeId: string,
  parties: DisputePartyInput[],
): Promise<DisputePartyRow[]> {
  const rows: DisputePartyRow[] = [];
  for (const [position, party] of parties.entries()) {
    if (party.residentId) {
      let resident;
      try {
        resident = await residentService.getResident(db, actor, party.residentId);
      } catch (error) {
        if (isAppError(error) && error.status === 404) throw invalidInput('dispute_party_not_found');
        throw error;
      }
      if (resident.deletedAt !== null) throw invalidInput('dispute_party_not_found');
      rows.push({
        id: newId(),
        disputeId,
        position,
        residentId: resident.id,
        name: resident.name,
        ethnicityCode: resident.ethnicityCode,
      });
    } else {
      rows.push({
        id: newId(),
        disputeId,
        position,
        residentId: null,
        name: party.name!,
        ethnicityCode: party.ethnicityCode ?? null,
      });
    }
  }
  return rows;
}

async function getDispute(db: Executor, actor: Actor, id: string): Promise<Dispute> {
  const row = await disputeRepository.findDisputeById(db, actor.scopePath, id);
  if (!row) throw notFound('dispute_not_found');
  return (await loadDisputes(db, [row]))[0]!;
}

async function listDisputes(
  db: Executor,
  actor: Actor,
  orgUnitId: string | undefined,
  filter: DisputeFilter,
  sort: DisputeSort,
  page: PageQuery,
): Promise<Page<Dispute>> {
  const scope = await orgUnitService.resolveScope(db, actor, orgUnitId);
  const { q, ...rest } = filter;
  if (!q) {
    const { rows, total } = await disputeRepository.findDisputes(db, scope, rest, sort, page);
    return toPage(await loadDisputes(db, rows), total, page);
  }
  // The summary is stored sealed: the search opens the summaries of the disputes the other filters
  // leave (a party's name is matched in SQL) and pages what matches.
  const candidates = await disputeRepository.findDisputeSearchRows(db, scope, rest, sort, page.order, q);
  const { ids, total } = pageOfMatches(
    candidates,
    (c) => Boolean(c.partyMatches) || containsText(showField('dispute.summary', c.id, c.summary), q),
    page,
  );
  return toPage(await loadDisputes(db, await disputeRepository.findDisputesByIds(db, ids)), total, page);
}

/** Records a dispute taken in (受理), with its parties; it starts as ongoing (调处中). */
async function recordDispute(db: Executor, actor: Actor, input: DisputeInput): Promise<Dispute> {
  if (!canRecordCasework(actor)) throw forbidden();
  return inTransaction(db, async (trx) => {
    const org = await orgUnitService.requireOrgUnit(trx, actor, input.orgUnitId);
    const id = newId();
    const parties = await toPartyRows(trx, actor, id, input.parties);
    const row: DisputeRow = {
      anonymisedAt: null,
      id,
      orgUnitId: org.id,
      streetId: org.streetId,
      intakeDate: input.intakeDate,
      source: input.source,
      category: input.category,
      isEthnicFactor: dialectOf(trx).bool(input.isEthnicFactor),
      riskLevel: input.riskLevel,
      handlingLevel: input.handlingLevel,
      outcome: 'ongoing',
      closedOn: null,
      summary: seal('dispute.summary', id, input.summary),
      followUp: sealNullable('dispute.follow_up', id, input.followUp),
      ...newRecordStamps(actor),
    };
    await disputeRepository.insertDispute(trx, row);
    await disputeRepository.replaceParties(trx, id, parties);
    const dispute = toDispute({ ...row, orgUnitName: org.name }, parties, []);
    await historyService.recordChange(
      trx,
      actor,
      creation('dispute', id, { orgUnitId: org.id, streetId: org.streetId }, snapshot(dispute)),
    );
    return dispute;
  });
}

/**
 * Changes a dispute. Setting the outcome to resolved or transferred closes it on `closedOn`
 * (today unless given, never before the intake); back to ongoing clears the date.
 */
async function updateDispute(db: Executor, actor: Actor, id: string, patch: DisputePatch): Promise<Dispute> {
  const { version, parties, closedOn, ...fields } = patch;
  return inTransaction(db, async (trx) => {
    const current = await requireLive(trx, actor, disputeSpec, id);
    if (!canRecordCasework(actor)) throw forbidden();
    const changes: Record<string, unknown> = { ...fields };
    if (fields.summary !== undefined) changes.summary = seal('dispute.summary', id, fields.summary);
    if (fields.followUp !== undefined)
      changes.followUp = sealNullable('dispute.follow_up', id, fields.followUp);
    if (fields.isEthnicFactor !== undefined)
      changes.isEthnicFactor = dialectOf(trx).bool(fields.isEthnicFactor);
    const intakeDate = fields.intakeDate ?? current.intakeDate;
    const outcome = fields.outcome ?? (current.outcome as DisputeOutcome);
    if (outcome === 'ongoing') changes.closedOn = null;
    else if (fields.outcome !== undefined && fields.outcome !== current.outcome)
      changes.closedOn = closedOn ?? localDateText();
    else if (closedOn) changes.closedOn = closedOn;
    const closed = (changes.closedOn as string | null | undefined) ?? current.closedOn;
    if (closed !== null && closed < intakeDate) throw invalidInput('date_before_intake');
    const partyRows = parties ? await toPartyRows(trx, actor, id, parties) : undefined;
    const updated = await updateRecord(trx, actor, disputeSpec, current, id, version, changes);
    if (!partyRows) return updated;
    await disputeRepository.replaceParties(trx, id, partyRows);
    const after = await getDispute(trx, actor, id);
    const names = (d: Dispute) => d.parties.map((p) => p.name);
    if (JSON.stringify(names(updated)) !== JSON.stringify(names(after))) {
      await historyService.recordChange(trx, actor, {
        entityType: 'dispute',
        entityId: id,
        orgUnitId: current.orgUnitId,
        streetId: current.streetId,
        action: 'update',
        version: after.version,
        before: { parties: names(updated) },
        after: { parties: names(after) },
      });
    }
    return after;
  });
}

/** Adds a mediation step (调处记录) to the dispute's timeline, at the version it was based on. */
async function addMediationStep(
  db: Executor,
  actor: Actor,
  id: string,
  input: DisputeStepInput,
): Promise<Dispute> {
  return inTransaction(db, async (trx) => {
    const current = await requireLive(trx, actor, disputeSpec, id);
    if (!canRecordCasework(actor)) throw forbidden();
    if (input.stepDate < current.intakeDate) throw invalidInput('date_before_intake');
    const now = nowIso();
    if ((await updateVersioned(trx, 'dispute', id, input.version, {}, actor.userId, now)) === 'stale') {
      throw conflict('stale_version');
    }
    const stepId = newId();
    const step = {
      id: stepId,
      disputeId: id,
      stepDate: input.stepDate,
      notes: seal('dispute_step.notes', stepId, input.notes),
      handledBy: input.handledBy ?? null,
      createdAt: now,
      createdBy: actor.userId,
    };
    await disputeRepository.insertStep(trx, step);
    const updated = await getDispute(trx, actor, id);
    await historyService.recordChange(trx, actor, {
      entityType: 'dispute',
      entityId: id,
      orgUnitId: current.orgUnitId,
      streetId: current.streetId,
      action: 'update',
      version: updated.version,
      before: {},
      after: { mediationStep: { stepDate: step.stepDate, notes: input.notes, handledBy: step.handledBy } },
    });
    return updated;
  });
}

async function listDisputeHistory(db: Executor, actor: Actor, id: string): Promise<ChangeEntry[]> {
  await getDispute(db, actor, id);
  return historyService.listChanges(db, 'dispute', id);
}

/** Resident parties of a dispute (for rules that act on them, e.g. a must-visit task). */
async function listResidentParties(db: Executor, actor: Actor, id: string): Promise<string[]> {
  const dispute = await getDispute(db, actor, id);
  return dispute.parties.flatMap((p) => (p.residentId ? [p.residentId] : []));
}

export const disputeService = Object.freeze({
  getDispute,
  listDisputes,
  recordDispute,
  updateDispute,
  addMediationStep,
  listDisputeHistory,
  listResidentParties,
  deleteDispute: disputeLifecycle.remove,
  restoreDispute: disputeLifecycle.restore,
});
