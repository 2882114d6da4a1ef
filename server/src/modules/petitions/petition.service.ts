import type { ChangeEntry, Page, PageQuery } from '@shiliuzi/shared/api';
import {
  canMovePetition,
  closedPetitionStatuses,
  defaultPetitionSlaDays,
  petitionChannels,
  type Petition,
  type PetitionChannel,
  type PetitionInput,
  type PetitionPatch,
  type PetitionSla,
  type PetitionSlaInput,
  type PetitionStatus,
  type PetitionStatusChange,
} from '@shiliuzi/shared/casework-petitions';
import { localDateText } from '@shiliuzi/shared/dates';
import { inTransaction, type Executor } from '../../db/database.ts';
import type { OrgUnitRow, PetitionRow } from '../../db/schema.ts';
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
import { diffSnapshots, historyService, type Change } from '../history/history.service.ts';
import { orgUnitService } from '../org-units/org-unit.service.ts';
import { residentService } from '../residents/resident.service.ts';
import {
  petitionRepository,
  type PetitionEventRow,
  type PetitionFilter,
  type PetitionSort,
  type PetitionWithNames,
} from './petition.repository.ts';

/** Casework is recorded by the same roles that keep the registry (grid workers included). */
const canRecordCasework = canEditRegistry;

const dayMs = 24 * 60 * 60 * 1000;
const utcOf = (date: string) =>
  Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));

/** `date` plus whole days, as YYYY-MM-DD. */
export function addDays(date: string, days: number): string {
  return new Date(utcOf(date) + days * dayMs).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to`. */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcOf(to) - utcOf(from)) / dayMs);
}

/** Open past its due date on `today`, or closed after it. */
export function isPetitionOverdue(
  row: { dueDate: string; responseDate: string | null },
  today: string = localDateText(),
): boolean {
  return row.responseDate === null ? row.dueDate < today : row.responseDate > row.dueDate;
}

function toPetition(row: PetitionWithNames, events: PetitionEventRow[]): Petition {
  return {
    id: row.id,
    orgUnitId: row.orgUnitId,
    orgUnitName: row.orgUnitName,
    streetId: row.streetId,
    channel: row.channel as PetitionChannel,
    receivedDate: row.receivedDate,
    requesterResidentId: row.requesterResidentId,
    requesterName: showField('petition.requester_name', row.id, row.requesterName),
    subject: showField('petition.subject', row.id, row.subject),
    assigneeId: row.assigneeId,
    assigneeName: row.assigneeName,
    status: row.status as PetitionStatus,
    responseDate: row.responseDate,
    dueDate: row.dueDate,
    isOverdue: isPetitionOverdue(row),
    events: events.map((e) => ({
      id: e.id,
      fromStatus: e.fromStatus as PetitionStatus | null,
      toStatus: e.toStatus as PetitionStatus,
      date: e.eventDate,
      notes: showField('petition_event.notes', e.id, e.notes),
      actorName: e.actorName,
      at: e.at,
    })),
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
  };
}

async function loadPetitions(db: Executor, rows: PetitionWithNames[]): Promise<Petition[]> {
  const events = await petitionRepository.findEvents(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((row) =>
    toPetition(
      row,
      events.filter((e) => e.petitionId === row.id),
    ),
  );
}

function snapshot(petition: Petition) {
  const { events: _e, orgUnitName: _o, isOverdue: _i, ...rest } = petition;
  return rest;
}

const petitionSpec: RecordSpec<PetitionWithNames, Petition> = {
  table: 'petition',
  entityType: 'petition',
  notFoundCode: 'petition_not_found',
  find: petitionRepository.findPetitionById,
  toDomain: async (db, row) => (await loadPetitions(db, [row]))[0]!,
  snapshot,
  owner: (row) => ({ orgUnitId: row.orgUnitId, streetId: row.streetId }),
  canWrite: (actor) => canRecordCasework(actor),
};

const petitionLifecycle = deleteAndRestore(petitionSpec);

/** The SLA days in force for an org unit: its own setting, else the nearest ancestor's, else the default. */
async function resolveSla(db: Executor, org: { id: string; path: string }): Promise<PetitionSla> {
  const chain = org.path.split('/').filter(Boolean);
  const settings = await petitionRepository.findSlaSettings(db, chain);
  const days = { ...defaultPetitionSlaDays } as Record<PetitionChannel, number>;
  const depthOf = new Map<PetitionChannel, number>();
  for (const s of settings) {
    const channel = s.channel as PetitionChannel;
    const depth = chain.indexOf(s.orgUnitId);
    if (depth >= (depthOf.get(channel) ?? -1)) {
      depthOf.set(channel, depth);
      days[channel] = s.days;
    }
  }
  const own = petitionChannels.filter((c) => settings.some((s) => s.orgUnitId === org.id && s.channel === c));
  return { orgUnitId: org.id, days, own };
}

async function getPetitionSla(db: Executor, actor: Actor, orgUnitId: string): Promise<PetitionSla> {
  const org = await orgUnitService.requireOrgUnit(db, actor, orgUnitId);
  return resolveSla(db, org);
}

/** Sets an org unit's answer deadline for one channel; it applies to petitions received from now on. */
async function setPetitionSla(db: Executor, actor: Actor, input: PetitionSlaInput): Promise<PetitionSla> {
  if (!canRecordCasework(actor)) throw forbidden();
  return inTransaction(db, async (trx) => {
    const org = await orgUnitService.requireOrgUnit(trx, actor, input.orgUnitId);
    await petitionRepository.upsertSla(trx, {
      orgUnitId: org.id,
      channel: input.channel,
      days: input.days,
      updatedAt: nowIso(),
      updatedBy: actor.userId,
    });
    return resolveSla(trx, org);
  });
}

async function requireRequester(db: Executor, actor: Actor, residentId: string) {
  try {
    const resident = await residentService.getResident(db, actor, residentId);
    if (resident.deletedAt !== null) throw invalidInput('petition_requester_not_found');
    return resident;
  } catch (error) {
    if (isAppError(error) && error.status === 404) throw invalidInput('petition_requester_not_found');
    throw error;
  }
}

async function requireAssignee(db: Executor, actor: Actor, userId: string) {
  const user = await petitionRepository.findUserInScope(db, actor.scopePath, userId);
  if (!user) throw invalidInput('petition_assignee_not_found');
  return user;
}

async function getPetition(db: Executor, actor: Actor, id: string): Promise<Petition> {
  const row = await petitionRepository.findPetitionById(db, actor.scopePath, id);
  if (!row) throw notFound('petition_not_found');
  return (await loadPetitions(db, [row]))[0]!;
}

async function listPetitions(
  db: Executor,
  actor: Actor,
  orgUnitId: string | undefined,
  filter: PetitionFilter,
  sort: PetitionSort,
  page: PageQuery,
): Promise<Page<Petition>> {
  const scope = await orgUnitService.resolveScope(db, actor, orgUnitId);
  const { q, ...rest } = filter;
  if (!q) {
    const { rows, total } = await petitionRepository.findPetitions(db, scope, rest, sort, page);
    return toPage(await loadPetitions(db, rows), total, page);
  }
  // Subject and requester are stored sealed: the search opens those of the petitions the other
  // filters leave and pages what matches.
  const candidates = await petitionRepository.findPetitionSearchRows(db, scope, rest, sort, page.order);
  const { ids, total } = pageOfMatches(
    candidates,
    (c) =>
      containsText(showField('petition.subject', c.id, c.subject), q) ||
      containsText(showField('petition.requester_name', c.id, c.requesterName), q),
    page,
  );
  return toPage(await loadPetitions(db, await petitionRepository.findPetitionsByIds(db, ids)), total, page);
}

function eventRow(
  actor: Actor,
  petitionId: string,
  from: PetitionStatus | null,
  to: PetitionStatus,
  date: string,
  notes: string | null,
): PetitionEventRow {
  const id = newId();
  return {
    id,
    petitionId,
    fromStatus: from,
    toStatus: to,
    eventDate: date,
    notes: sealNullable('petition_event.notes', id, notes),
    actorId: actor.userId,
    actorName: actor.name,
    at: nowIso(),
  };
}

/** What a new petition names, once its requester and assignee have been checked. */
interface PetitionFields {
  channel: PetitionChannel;
  receivedDate: string;
  requesterResidentId: string | null;
  requesterName: string | null;
  subject: string;
  assigneeId: string | null;
  assigneeName: string | null;
}

/** A petition as written: its row, its events so far, and the petition they make. */
interface PetitionRecord {
  row: PetitionRow;
  events: PetitionEventRow[];
  petition: Petition;
}

/**
 * The row, first event (received) and creation history of a petition received under `org`,
 * due after `sla`'s days for its channel; without checks, which the callers make first.
 */
function newPetitionRecord(
  actor: Actor,
  org: { id: string; name: string; streetId: string | null },
  fields: PetitionFields,
  sla: PetitionSla,
): PetitionRecord & { change: Change } {
  const { assigneeName, requesterName, subject, ...columns } = fields;
  const id = newId();
  const row: PetitionRow = {
    anonymisedAt: null,
    id,
    orgUnitId: org.id,
    streetId: org.streetId,
    ...columns,
    // Stored sealed (docs/SECURITY.md); toPetition opens them for the answer.
    requesterName: sealNullable('petition.requester_name', id, requesterName),
    subject: seal('petition.subject', id, subject),
    status: 'received',
    responseDate: null,
    handlingDays: null,
    dueDate: addDays(fields.receivedDate, sla.days[fields.channel]),
    ...newRecordStamps(actor),
  };
  const event = eventRow(actor, row.id, null, 'received', row.receivedDate, null);
  const petition = toPetition({ ...row, orgUnitName: org.name, assigneeName }, [event]);
  const change = creation(
    'petition',
    row.id,
    { orgUnitId: org.id, streetId: org.streetId },
    snapshot(petition),
  );
  return { row, events: [event], petition, change };
}

/**
 * The same petition moved to `status` on `date`, as `changePetitionStatus` leaves it: the row
 * (a closing status sets the response date and handling days), the event and the history entry
 * of the changed fields. The caller has checked the move and the date.
 */
function movedPetitionRecord(
  actor: Actor,
  current: PetitionRecord,
  status: PetitionStatus,
  date: string,
  notes: string | null,
): PetitionRecord & { change: Change } {
  const from = current.row.status as PetitionStatus;
  const closing = closedPetitionStatuses.includes(status);
  const row: PetitionRow = {
    ...current.row,
    status,
    responseDate: closing ? date : current.row.responseDate,
    handlingDays: closing ? daysBetween(current.row.receivedDate, date) : current.row.handlingDays,
    version: current.row.version + 1,
    updatedAt: nowIso(),
    updatedBy: actor.userId,
  };
  const events = [...current.events, eventRow(actor, row.id, from, status, date, notes)];
  const petition = toPetition(
    { ...row, orgUnitName: current.petition.orgUnitName, assigneeName: current.petition.assigneeName },
    events,
  );
  const change: Change = {
    entityType: 'petition',
    entityId: row.id,
    orgUnitId: row.orgUnitId,
    streetId: row.streetId,
    action: 'update',
    version: row.version,
    ...diffSnapshots(snapshot(current.petition), snapshot(petition)),
  };
  return { row, events, petition, change };
}

/** The requester and assignee a petition input names, checked in the actor's scope. */
async function resolvePetitionFields(
  db: Executor,
  actor: Actor,
  input: PetitionInput,
): Promise<PetitionFields> {
  const requester = input.requesterResidentId
    ? await requireRequester(db, actor, input.requesterResidentId)
    : null;
  const assignee = input.assigneeId ? await requireAssignee(db, actor, input.assigneeId) : null;
  return {
    channel: input.channel,
    receivedDate: input.receivedDate,
    requesterResidentId: requester?.id ?? null,
    requesterName: requester ? requester.name : (input.requesterName ?? null),
    subject: input.subject,
    assigneeId: assignee?.id ?? null,
    assigneeName: assignee?.displayName ?? null,
  };
}

/** Records a petition or hotline call as received (已受理); its due date follows the unit's SLA. */
async function recordPetition(db: Executor, actor: Actor, input: PetitionInput): Promise<Petition> {
  if (!canRecordCasework(actor)) throw forbidden();
  return inTransaction(db, async (trx) => {
    const org = await orgUnitService.requireOrgUnit(trx, actor, input.orgUnitId);
    const fields = await resolvePetitionFields(trx, actor, input);
    const record = newPetitionRecord(actor, org, fields, await resolveSla(trx, org));
    await petitionRepository.insertPetition(trx, record.row);
    await petitionRepository.insertEvent(trx, record.events[0]!);
    await historyService.recordChange(trx, actor, record.change);
    return record.petition;
  });
}

/** A petition for `recordPetitions`: as received, and optionally moved on at once. */
export interface PetitionToRecord {
  input: PetitionInput;
  then?: { status: PetitionStatus; date: string; notes?: string | null };
}

/**
 * Records many petitions at once (demo data, a register taken over): the same checks, rows,
 * events and history as `recordPetition` followed by `changePetitionStatus` for each, written
 * with multi-row statements in one transaction. Returns how many were written.
 */
async function recordPetitions(db: Executor, actor: Actor, items: PetitionToRecord[]): Promise<number> {
  if (!canRecordCasework(actor)) throw forbidden();
  return inTransaction(db, async (trx) => {
    const units = new Map<string, { org: OrgUnitRow; sla: PetitionSla }>();
    const rows: PetitionRow[] = [];
    const events: PetitionEventRow[] = [];
    const changes: Change[] = [];
    for (const { input, then } of items) {
      let unit = units.get(input.orgUnitId);
      if (!unit) {
        const org = await orgUnitService.requireOrgUnit(trx, actor, input.orgUnitId);
        unit = { org, sla: await resolveSla(trx, org) };
        units.set(input.orgUnitId, unit);
      }
      const fields = await resolvePetitionFields(trx, actor, input);
      let record = newPetitionRecord(actor, unit.org, fields, unit.sla);
      changes.push(record.change);
      if (then) {
        if (!canMovePetition('received', then.status)) throw conflict('petition_transition_invalid');
        if (then.date < input.receivedDate) throw invalidInput('date_before_intake');
        record = movedPetitionRecord(actor, record, then.status, then.date, then.notes ?? null);
        changes.push(record.change);
      }
      rows.push(record.row);
      events.push(...record.events);
    }
    await petitionRepository.insertPetitionsWithEvents(trx, rows, events);
    await historyService.recordChanges(trx, actor, changes);
    return rows.length;
  });
}

/** Changes subject, requester or assignee of a petition still open. */
async function updatePetition(
  db: Executor,
  actor: Actor,
  id: string,
  patch: PetitionPatch,
): Promise<Petition> {
  const { version, ...fields } = patch;
  return inTransaction(db, async (trx) => {
    const current = await requireLive(trx, actor, petitionSpec, id);
    if (!canRecordCasework(actor)) throw forbidden();
    if (closedPetitionStatuses.includes(current.status as PetitionStatus)) throw conflict('petition_closed');
    const changes: Record<string, unknown> = {};
    if (fields.subject !== undefined) changes.subject = seal('petition.subject', id, fields.subject);
    if (fields.assigneeId !== undefined)
      changes.assigneeId = fields.assigneeId
        ? (await requireAssignee(trx, actor, fields.assigneeId)).id
        : null;
    if (fields.requesterResidentId) {
      const resident = await requireRequester(trx, actor, fields.requesterResidentId);
      changes.requesterResidentId = resident.id;
      changes.requesterName = seal('petition.requester_name', id, resident.name);
    } else if (fields.requesterName !== undefined || fields.requesterResidentId === null) {
      changes.requesterResidentId = null;
      changes.requesterName = sealNullable('petition.requester_name', id, fields.requesterName);
    }
    return updateRecord(trx, actor, petitionSpec, current, id, version, changes);
  });
}

/**
 * Moves a petition along received → handling → done / not accepted / transferred. A closing
 * status sets the response date (today unless given, never before receipt) and the handling days;
 * a closed petition moves nowhere.
 */
async function changePetitionStatus(
  db: Executor,
  actor: Actor,
  id: string,
  change: PetitionStatusChange,
): Promise<Petition> {
  return inTransaction(db, async (trx) => {
    const current = await requireLive(trx, actor, petitionSpec, id);
    if (!canRecordCasework(actor)) throw forbidden();
    const from = current.status as PetitionStatus;
    if (!canMovePetition(from, change.status)) throw conflict('petition_transition_invalid');
    const date = change.date ?? localDateText();
    if (date < current.receivedDate) throw invalidInput('date_before_intake');
    const changes: Record<string, unknown> = { status: change.status };
    if (closedPetitionStatuses.includes(change.status)) {
      changes.responseDate = date;
      changes.handlingDays = daysBetween(current.receivedDate, date);
    }
    const updated = await updateRecord(trx, actor, petitionSpec, current, id, change.version, changes);
    await petitionRepository.insertEvent(
      trx,
      eventRow(actor, id, from, change.status, date, change.notes ?? null),
    );
    return getPetition(trx, actor, updated.id);
  });
}

async function listPetitionHistory(db: Executor, actor: Actor, id: string): Promise<ChangeEntry[]> {
  await getPetition(db, actor, id);
  return historyService.listChanges(db, 'petition', id);
}

export const petitionService = Object.freeze({
  getPetition,
  listPetitions,
  recordPetition,
  recordPetitions,
  updatePetition,
  changePetitionStatus,
  getPetitionSla,
  setPetitionSla,
  listPetitionHistory,
  deletePetition: petitionLifecycle.remove,
  restorePetition: petitionLifecycle.restore,
});
