import type { ChangeEntry, Page, PageQuery } from '@shiliuzi/shared/api';
import { maskAddress } from '@shiliuzi/shared/masking';
import { localDateText } from '@shiliuzi/shared/dates';
import {
  addDays,
  MAX_VISIT_PHOTOS,
  defaultMustVisitDueDays,
  mustVisitKinds,
  mustVisitState,
  type MustVisitInput,
  type MustVisitKind,
  type MustVisitRule,
  type MustVisitRuleInput,
  type MustVisitTask,
  type Visit,
  type VisitInput,
  type VisitPatch,
  type VisitPhoto,
} from '@shiliuzi/shared/casework-visits';
import { photoFileName } from '@shiliuzi/shared/image-type';
import type { Readable } from 'node:stream';
import { canConfigureMustVisits } from '@shiliuzi/shared/permissions';
import { inTransaction, type Executor } from '../../db/database.ts';
import type { MustVisitTaskRow, VisitPhotoRow, VisitRow } from '../../db/schema.ts';
import { forbidden, invalidInput, notFound } from '../../errors.ts';
import { photoMessages } from '../../locales/zh-CN.ts';
import type { Actor } from '../../lib/actor.ts';
import { newId, nowIso } from '../../lib/ids.ts';
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
import { pairingService } from '../pairings/pairing.service.ts';
import {
  visitRepository,
  type MustVisitFilter,
  type MustVisitTaskListRow,
  type VisitFilter,
  type VisitPhotoListRow,
  type VisitSort,
} from './visit.repository.ts';
import type { PhotoStore } from './visit-photo.store.ts';
import { visitCampaignService } from './visit-campaign.service.ts';

// ---------------------------------------------------------------------------------------------
// Visits

type VisitLinks = Awaited<ReturnType<typeof visitRepository.findVisitLinks>>;

function toPhoto(row: VisitPhotoListRow): VisitPhoto {
  return {
    id: row.id,
    visitId: row.visitId,
    fileName: row.fileName,
    contentType: row.contentType as VisitPhoto['contentType'],
    size: row.sizeBytes,
    createdAt: row.createdAt,
  };
}

function toVisit(row: VisitRow, links: VisitLinks): Visit {
  return {
    id: row.id,
    orgUnitId: row.orgUnitId,
    streetId: row.streetId,
    visitedOn: row.visitedOn,
    purpose: row.purpose as Visit['purpose'],
    visitors: links.visitors
      .filter((v) => v.visitId === row.id)
      .map((v) => ({ id: v.id, displayName: v.displayName })),
    residents: links.residents.filter((r) => r.visitId === row.id).map((r) => ({ id: r.id, name: r.name })),
    households: links.households
      .filter((h) => h.visitId === row.id)
      .map((h) => ({
        id: h.id,
        label: h.householdNumber ?? (h.address === null ? '' : maskAddress(h.address)),
      })),
    location: row.location,
    gifts: row.gifts,
    amountFen: row.amountFen,
    fundSource: row.fundSource as Visit['fundSource'],
    notes: row.notes,
    photos: links.photos.filter((p) => p.visitId === row.id).map(toPhoto),
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
  };
}

async function withLinks(db: Executor, row: VisitRow): Promise<Visit> {
  return toVisit(row, await visitRepository.findVisitLinks(db, [row.id]));
}

function visitSnapshot(visit: Visit) {
  return {
    ...visit,
    visitors: visit.visitors.map((v) => v.id),
    residents: visit.residents.map((r) => r.id),
    households: visit.households.map((h) => h.id),
    photos: visit.photos.map((p) => ({ id: p.id, fileName: p.fileName })),
  };
}

const visitSpec: RecordSpec<VisitRow, Visit> = {
  table: 'visit',
  entityType: 'visit',
  notFoundCode: 'visit_not_found',
  find: visitRepository.findVisitRow,
  toDomain: withLinks,
  snapshot: visitSnapshot,
  owner: (row) => ({ orgUnitId: row.orgUnitId, streetId: row.streetId }),
  canWrite: (actor) => canEditRegistry(actor),
};

const visitLifecycle = deleteAndRestore(visitSpec);

/** Deletes a visit (soft); the must-visits it fulfilled are open again. */
async function deleteVisit(db: Executor, actor: Actor, id: string, version: number): Promise<Visit> {
  return inTransaction(db, async (trx) => {
    const visit = await visitLifecycle.remove(trx, actor, id, version);
    await visitCampaignService.reopenPlannedVisits(trx, id);
    const now = nowIso();
    for (const task of await visitRepository.findTasksOfVisit(trx, id)) {
      await visitRepository.setTaskDone(trx, task.id, null, actor.userId, now);
      await historyService.recordChange(trx, actor, {
        entityType: 'mustVisitTask',
        entityId: task.id,
        orgUnitId: task.orgUnitId,
        streetId: task.streetId,
        action: 'update',
        version: task.version + 1,
        before: { visitId: task.visitId, doneOn: task.doneOn },
        after: { visitId: null, doneOn: null },
      });
    }
    return visit;
  });
}

/** Restores a visit; it fulfils again the must-visits still open. */
async function restoreVisit(db: Executor, actor: Actor, id: string, version: number): Promise<Visit> {
  return inTransaction(db, async (trx) => {
    const visit = await visitLifecycle.restore(trx, actor, id, version);
    const row = (await visitRepository.findVisitRow(trx, '/', id))!;
    await closeTasksByVisit(trx, actor, row, await visitRepository.findVisitLinks(trx, [id]));
    return visit;
  });
}

function checkVisitFields(
  fields: {
    visitedOn?: string | undefined;
    amountFen?: number | null | undefined;
    fundSource?: string | null | undefined;
  },
  today: string,
) {
  if (fields.visitedOn !== undefined && fields.visitedOn > today) throw invalidInput('visit_date_in_future');
  if (fields.amountFen != null && fields.amountFen > 0 && !fields.fundSource)
    throw invalidInput('fund_source_required');
}

/**
 * Checks the visitors (users of the actor's subtree) and the residents and households visited (all
 * inside the visit's org unit subtree, so that nobody outside it is named on the record).
 */
async function checkLinks(
  db: Executor,
  actor: Actor,
  orgPath: string,
  links: {
    visitorIds?: string[] | undefined;
    residentIds?: string[] | undefined;
    householdIds?: string[] | undefined;
  },
) {
  const unique = (ids: string[] | undefined) => (ids === undefined ? undefined : [...new Set(ids)]);
  const visitorIds = unique(links.visitorIds);
  const residentIds = unique(links.residentIds);
  const householdIds = unique(links.householdIds);
  if (
    visitorIds &&
    (await visitRepository.findUsersInScope(db, actor.scopePath, visitorIds)).length !== visitorIds.length
  )
    throw notFound('user_not_found');
  if (
    residentIds &&
    (await visitRepository.findResidentsInScope(db, orgPath, residentIds)).length !== residentIds.length
  )
    throw notFound('resident_not_found');
  if (
    householdIds &&
    (await visitRepository.findHouseholdsInScope(db, orgPath, householdIds)).length !== householdIds.length
  )
    throw notFound('household_not_found');
  return { visitorIds, residentIds, householdIds };
}

/**
 * Closes what this visit fulfils: the open must-visits of its purpose (each with a history entry)
 * and, for a festival visit, the open planned visits of festival campaigns.
 */
async function closeTasksByVisit(db: Executor, actor: Actor, row: VisitRow, links: VisitLinks) {
  await visitCampaignService.closePlannedVisits(db, row, {
    residentIds: links.residents.map((r) => r.id),
    householdIds: links.households.map((h) => h.id),
  });
  const tasks = await visitRepository.findTasksClosedBy(
    db,
    row.purpose,
    row.visitedOn,
    links.residents.map((r) => r.id),
    links.households.map((h) => h.id),
  );
  const now = nowIso();
  for (const task of tasks) {
    await visitRepository.setTaskDone(
      db,
      task.id,
      { visitId: row.id, doneOn: row.visitedOn },
      actor.userId,
      now,
    );
    await historyService.recordChange(db, actor, {
      entityType: 'mustVisitTask',
      entityId: task.id,
      orgUnitId: task.orgUnitId,
      streetId: task.streetId,
      action: 'update',
      version: task.version + 1,
      before: { visitId: null, doneOn: null },
      after: { visitId: row.id, doneOn: row.visitedOn },
    });
  }
}

/** Records a visit; a visit of a must-visit purpose closes the matching open tasks. */
async function createVisit(
  db: Executor,
  actor: Actor,
  input: VisitInput,
  today = localDateText(),
): Promise<Visit> {
  if (!canEditRegistry(actor)) throw forbidden();
  checkVisitFields(input, today);
  return inTransaction(db, async (trx) => {
    const org = await orgUnitService.requireOrgUnit(trx, actor, input.orgUnitId);
    const links = await checkLinks(trx, actor, org.path, input);
    const visitorIds =
      links.visitorIds && links.visitorIds.length > 0 ? links.visitorIds : actor.userId ? [actor.userId] : [];
    const row: VisitRow = {
      anonymisedAt: null,
      id: newId(),
      orgUnitId: org.id,
      streetId: org.streetId,
      visitedOn: input.visitedOn,
      purpose: input.purpose,
      location: input.location ?? null,
      gifts: input.gifts ?? null,
      amountFen: input.amountFen ?? null,
      fundSource: input.fundSource ?? null,
      notes: input.notes ?? null,
      ...newRecordStamps(actor),
    };
    await visitRepository.insertVisit(trx, row);
    await visitRepository.saveVisitLinks(trx, row.id, {
      visitorIds,
      residentIds: links.residentIds ?? [],
      householdIds: links.householdIds ?? [],
    });
    const visitLinks = await visitRepository.findVisitLinks(trx, [row.id]);
    const visit = toVisit(row, visitLinks);
    await recordCreated(trx, actor, 'visit', row.id, row, visitSnapshot(visit));
    await closeTasksByVisit(trx, actor, row, visitLinks);
    return visit;
  });
}

async function updateVisit(
  db: Executor,
  actor: Actor,
  id: string,
  patch: VisitPatch,
  today = localDateText(),
): Promise<Visit> {
  const { version, visitorIds, residentIds, householdIds, ...changes } = patch;
  checkVisitFields(changes, today);
  return inTransaction(db, async (trx) => {
    const current = await requireLive(trx, actor, visitSpec, id);
    if (!canEditRegistry(actor)) throw forbidden();
    const amountFen = changes.amountFen === undefined ? current.amountFen : changes.amountFen;
    const fundSource = changes.fundSource === undefined ? current.fundSource : changes.fundSource;
    checkVisitFields({ amountFen, fundSource }, today);
    const org = await orgUnitService.requireOrgUnit(trx, actor, current.orgUnitId);
    const links = await checkLinks(trx, actor, org.path, { visitorIds, residentIds, householdIds });
    const before = await withLinks(trx, current);
    await visitRepository.saveVisitLinks(trx, id, links);
    // The links are part of the record: compare the whole snapshot, with the links as they were.
    const updated = await updateRecord(
      trx,
      actor,
      { ...visitSpec, toDomain: async (d, r) => (r === current ? before : withLinks(d, r)) },
      current,
      id,
      version,
      changes,
    );
    const row = (await visitRepository.findVisitRow(trx, '/', id))!;
    await closeTasksByVisit(trx, actor, row, await visitRepository.findVisitLinks(trx, [id]));
    return updated;
  });
}

async function getVisit(db: Executor, actor: Actor, id: string): Promise<Visit> {
  const row = await visitRepository.findVisitRow(db, actor.scopePath, id);
  if (!row) throw notFound('visit_not_found');
  return withLinks(db, row);
}

async function listVisits(
  db: Executor,
  actor: Actor,
  orgUnitId: string | undefined,
  filter: VisitFilter,
  sort: VisitSort,
  page: PageQuery,
): Promise<Page<Visit>> {
  const scope = await orgUnitService.resolveScope(db, actor, orgUnitId);
  const { rows, total } = await visitRepository.findVisits(db, scope, filter, sort, page);
  const links = await visitRepository.findVisitLinks(
    db,
    rows.map((r) => r.id),
  );
  return toPage(
    rows.map((row) => toVisit(row, links)),
    total,
    page,
  );
}

async function listVisitHistory(db: Executor, actor: Actor, id: string): Promise<ChangeEntry[]> {
  await getVisit(db, actor, id);
  return historyService.listChanges(db, 'visit', id);
}

// ---------------------------------------------------------------------------------------------
// Photos

/** A live visit in the actor's scope that the actor may change (its photos included). */
async function requireEditableVisit(db: Executor, actor: Actor, visitId: string): Promise<VisitRow> {
  const row = await visitRepository.findVisitRow(db, actor.scopePath, visitId);
  if (!row || row.deletedAt !== null) throw notFound('visit_not_found');
  if (!canEditRegistry(actor)) throw forbidden();
  return row;
}

/** The photos before and after a change, as the visit's history keeps them. */
async function recordPhotoChange(
  trx: Executor,
  actor: Actor,
  row: VisitRow,
  before: Visit['photos'],
  after: Visit['photos'],
) {
  const names = (photos: Visit['photos']) => photos.map((p) => ({ id: p.id, fileName: p.fileName }));
  await historyService.recordChange(trx, actor, {
    entityType: 'visit',
    entityId: row.id,
    orgUnitId: row.orgUnitId,
    streetId: row.streetId,
    action: 'update',
    version: row.version,
    before: { photos: names(before) },
    after: { photos: names(after) },
  });
}

/**
 * Adds a photo to a visit: the body is streamed to disk and refused unless it is a JPEG, PNG or
 * WebP by content and within the size limit; at most MAX_VISIT_PHOTOS live photos per visit. The
 * row, the visit's new version and its history entry commit together; a refusal or a failed commit
 * leaves no file behind.
 */
async function addVisitPhoto(
  db: Executor,
  store: PhotoStore,
  actor: Actor,
  visitId: string,
  /** The raw request body; undefined when the request sent something else (JSON, a form). */
  body: Readable | undefined,
  fileName: string | undefined,
): Promise<VisitPhoto> {
  // Checked before the body is read, so an upload that cannot be kept is not written at all.
  await requireEditableVisit(db, actor, visitId);
  if (!body) throw invalidInput('visit_photo_body');
  if ((await visitRepository.countLivePhotos(db, visitId)) >= MAX_VISIT_PHOTOS)
    throw invalidInput('visit_photo_limit');
  const received = await store.receive(body);
  try {
    return await inTransaction(db, async (trx) => {
      const before = (await visitRepository.findVisitLinks(trx, [visitId])).photos.map(toPhoto);
      const now = nowIso();
      const row = await visitRepository.touchVisit(trx, visitId, actor.userId, now);
      if (!row) throw notFound('visit_not_found');
      if ((await visitRepository.countLivePhotos(trx, visitId)) >= MAX_VISIT_PHOTOS)
        throw invalidInput('visit_photo_limit');
      const id = newId();
      const photoRow: VisitPhotoRow = {
        id,
        visitId,
        orgUnitId: row.orgUnitId,
        streetId: row.streetId,
        fileName: photoFileName(fileName, received.contentType, photoMessages.unnamed),
        contentType: received.contentType,
        sizeBytes: received.size,
        sha256: received.sha256,
        storageKey: `${localDateText().slice(0, 4)}/${id}`,
        createdAt: now,
        createdBy: actor.userId,
        deletedAt: null,
        deletedBy: null,
      };
      await visitRepository.insertPhoto(trx, photoRow);
      const photo = toPhoto((await visitRepository.findPhoto(trx, visitId, id))!);
      await recordPhotoChange(trx, actor, row, before, [...before, photo]);
      // Last: a file kept here belongs to a row about to commit.
      await store.keep(received, photoRow.storageKey);
      return photo;
    });
  } catch (error) {
    await store.discard(received);
    throw error;
  }
}

/** A live photo of a visit in the actor's scope (the visit may be deleted), with where its file is. */
async function findVisitPhoto(
  db: Executor,
  actor: Actor,
  visitId: string,
  photoId: string,
): Promise<{ photo: VisitPhoto; storageKey: string }> {
  const visit = await visitRepository.findVisitRow(db, actor.scopePath, visitId);
  if (!visit) throw notFound('visit_photo_not_found');
  const row = await visitRepository.findPhoto(db, visitId, photoId);
  if (!row || row.deletedAt !== null) throw notFound('visit_photo_not_found');
  return { photo: toPhoto(row), storageKey: row.storageKey };
}

/** Removes a photo from a visit (soft: the row and the file stay), recorded in the visit's history. */
async function removeVisitPhoto(
  db: Executor,
  actor: Actor,
  visitId: string,
  photoId: string,
): Promise<Visit> {
  return inTransaction(db, async (trx) => {
    await requireEditableVisit(trx, actor, visitId);
    const photo = await visitRepository.findPhoto(trx, visitId, photoId);
    if (!photo || photo.deletedAt !== null) throw notFound('visit_photo_not_found');
    const before = (await visitRepository.findVisitLinks(trx, [visitId])).photos.map(toPhoto);
    const now = nowIso();
    const row = (await visitRepository.touchVisit(trx, visitId, actor.userId, now))!;
    await visitRepository.markPhotoDeleted(trx, photoId, actor.userId, now);
    const visit = await withLinks(trx, row);
    await recordPhotoChange(trx, actor, row, before, visit.photos);
    return visit;
  });
}

// ---------------------------------------------------------------------------------------------
// The four must-visits

function toTask(row: MustVisitTaskListRow, today: string): MustVisitTask {
  return {
    id: row.id,
    orgUnitId: row.orgUnitId,
    residentId: row.residentId,
    residentName: row.residentName,
    kind: row.kind as MustVisitKind,
    eventOn: row.eventOn,
    dueOn: row.dueOn,
    note: row.note,
    assigneeId: row.assigneeId,
    assigneeName: row.assigneeName,
    assignedByPairing: Number(row.assignedByPairing) === 1,
    state: mustVisitState(row.dueOn, row.doneOn, today),
    visitId: row.visitId,
    doneOn: row.doneOn,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
  };
}

function taskSnapshot(task: MustVisitTask) {
  const { state: _s, residentName: _r, assigneeName: _a, ...rest } = task;
  return rest;
}

function taskSpec(today: string): RecordSpec<MustVisitTaskListRow, MustVisitTask> {
  return {
    table: 'mustVisitTask',
    entityType: 'mustVisitTask',
    notFoundCode: 'must_visit_not_found',
    find: visitRepository.findTaskRow,
    toDomain: (_db, row) => toTask(row, today),
    snapshot: taskSnapshot,
    owner: (row) => ({ orgUnitId: row.orgUnitId, streetId: row.streetId }),
    canWrite: (actor) => canEditRegistry(actor),
  };
}

/** Days a must-visit of `kind` may wait for a unit at `orgPath`: the nearest setting up the tree, else the default. */
async function effectiveRules(db: Executor, orgPath: string): Promise<MustVisitRule[]> {
  const ancestry = orgPath.split('/').filter(Boolean);
  const rules = await visitRepository.findRules(db, ancestry);
  return mustVisitKinds.map((kind) => {
    const nearest = rules
      .filter((r) => r.kind === kind)
      .sort((a, b) => ancestry.indexOf(b.orgUnitId) - ancestry.indexOf(a.orgUnitId))[0];
    return nearest
      ? { kind, dueDays: nearest.dueDays, setOnOrgUnitId: nearest.orgUnitId }
      : { kind, dueDays: defaultMustVisitDueDays[kind], setOnOrgUnitId: null };
  });
}

/**
 * Records a must-visit event (住院、受灾困难、矛盾纠纷、特殊情况) for a resident: a visit task for the
 * household's paired cadre on the event date, else the grid's worker, due after the configured days.
 */
async function recordMustVisitEvent(
  db: Executor,
  actor: Actor,
  input: MustVisitInput,
  today = localDateText(),
): Promise<MustVisitTask> {
  if (!canEditRegistry(actor)) throw forbidden();
  if (input.eventOn > today) throw invalidInput('event_date_in_future');
  return inTransaction(db, async (trx) => {
    const [resident] = await visitRepository.findResidentsInScope(trx, actor.scopePath, [input.residentId]);
    if (!resident) throw notFound('resident_not_found');
    const rule = (await effectiveRules(trx, resident.path)).find((r) => r.kind === input.kind)!;
    const cadreId = resident.householdId
      ? await pairingService.findActiveCadre(trx, resident.householdId, input.eventOn)
      : undefined;
    const assigneeId = cadreId ?? (await visitRepository.findGridWorker(trx, resident.orgUnitId))?.id ?? null;
    const org = await orgUnitService.requireOrgUnit(trx, actor, resident.orgUnitId);
    const row: MustVisitTaskRow = {
      anonymisedAt: null,
      id: newId(),
      orgUnitId: resident.orgUnitId,
      streetId: org.streetId,
      residentId: resident.id,
      kind: input.kind,
      eventOn: input.eventOn,
      dueOn: addDays(input.eventOn, rule.dueDays),
      note: input.note ?? null,
      assigneeId,
      assignedByPairing: cadreId ? 1 : 0,
      visitId: null,
      doneOn: null,
      ...newRecordStamps(actor),
    };
    await visitRepository.insertTask(trx, row);
    const task = toTask((await visitRepository.findTaskRow(trx, '/', row.id))!, today);
    await recordCreated(trx, actor, 'mustVisitTask', row.id, row, taskSnapshot(task));
    return task;
  });
}

async function getMustVisit(
  db: Executor,
  actor: Actor,
  id: string,
  today = localDateText(),
): Promise<MustVisitTask> {
  const row = await visitRepository.findTaskRow(db, actor.scopePath, id);
  if (!row) throw notFound('must_visit_not_found');
  return toTask(row, today);
}

async function listMustVisits(
  db: Executor,
  actor: Actor,
  orgUnitId: string | undefined,
  filter: MustVisitFilter & { mine?: boolean | undefined },
  page: PageQuery,
  today = localDateText(),
): Promise<Page<MustVisitTask>> {
  const scope = await orgUnitService.resolveScope(db, actor, orgUnitId);
  const { mine, ...rest } = filter;
  const assigneeId = mine ? (actor.userId ?? '') : rest.assigneeId;
  const { rows, total } = await visitRepository.findTasks(db, scope, { ...rest, assigneeId }, today, page);
  return toPage(
    rows.map((row) => toTask(row, today)),
    total,
    page,
  );
}

async function countOverdueMustVisits(
  db: Executor,
  actor: Actor,
  orgUnitId: string | undefined,
  by: 'assignee' | 'orgUnit',
  today = localDateText(),
) {
  const scope = await orgUnitService.resolveScope(db, actor, orgUnitId);
  const rows = await visitRepository.countOverdue(db, scope, today, by);
  return rows.map((r) => ({ id: r.id, name: r.name, overdue: Number(r.overdue) }));
}

async function listMustVisitHistory(db: Executor, actor: Actor, id: string): Promise<ChangeEntry[]> {
  await getMustVisit(db, actor, id);
  return historyService.listChanges(db, 'mustVisitTask', id);
}

async function listMustVisitRules(db: Executor, actor: Actor, orgUnitId: string): Promise<MustVisitRule[]> {
  const org = await orgUnitService.requireOrgUnit(db, actor, orgUnitId);
  return effectiveRules(db, org.path);
}

/** Sets how many days a must-visit of one kind may wait, for an org unit and the units below it. */
async function setMustVisitRule(
  db: Executor,
  actor: Actor,
  input: MustVisitRuleInput,
): Promise<MustVisitRule[]> {
  return inTransaction(db, async (trx) => {
    const org = await orgUnitService.requireOrgUnit(trx, actor, input.orgUnitId);
    if (!canConfigureMustVisits(actor.roles)) throw forbidden();
    await visitRepository.saveRule(trx, { ...input, updatedBy: actor.userId, updatedAt: nowIso() });
    return effectiveRules(trx, org.path);
  });
}

const taskLifecycle = (today: string) => deleteAndRestore(taskSpec(today));

export const visitService = Object.freeze({
  createVisit,
  updateVisit,
  getVisit,
  listVisits,
  listVisitHistory,
  deleteVisit,
  restoreVisit,
  addVisitPhoto,
  findVisitPhoto,
  removeVisitPhoto,
  recordMustVisitEvent,
  getMustVisit,
  listMustVisits,
  countOverdueMustVisits,
  listMustVisitHistory,
  deleteMustVisit: (db: Executor, actor: Actor, id: string, version: number) =>
    taskLifecycle(localDateText()).remove(db, actor, id, version),
  restoreMustVisit: (db: Executor, actor: Actor, id: string, version: number) =>
    taskLifecycle(localDateText()).restore(db, actor, id, version),
  listMustVisitRules,
  setMustVisitRule,
});
