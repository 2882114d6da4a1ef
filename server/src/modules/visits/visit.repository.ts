import { sql } from 'kysely';
import type { PageQuery } from '@shiliuzi/shared/api';
import type { Executor } from '../../db/database.ts';
import { dialectOf } from '../../db/dialect-of.ts';
import { pageWithTotal } from '../../db/paging.ts';
import type { MustVisitTaskRow, VisitPhotoRow, VisitRow } from '../../db/schema.ts';
import { inOrgScope, orgSubtreeIds, type OrgScope } from '../../db/scope.ts';
import { offsetOf } from '../../lib/pagination.ts';

export interface VisitFilter {
  purpose?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  residentId?: string | undefined;
  householdId?: string | undefined;
  /** Location, notes, gifts or the name of a resident visited contains this. */
  q?: string | undefined;
  includeDeleted?: boolean | undefined;
}

export type VisitSort = 'visitedOn' | 'createdAt';

async function findVisitRow(db: Executor, scopePath: string, id: string): Promise<VisitRow | undefined> {
  return db
    .selectFrom('visit')
    .selectAll()
    .where('id', '=', id)
    .where('orgUnitId', 'in', orgSubtreeIds(db, scopePath))
    .executeTakeFirst();
}

async function findVisits(
  db: Executor,
  scope: OrgScope,
  filter: VisitFilter,
  sort: VisitSort,
  page: PageQuery,
): Promise<{ rows: VisitRow[]; total: number }> {
  const dialect = dialectOf(db);
  const base = db
    .selectFrom('visit')
    .where(inOrgScope(db, 'visit.orgUnitId', scope))
    .$if(!filter.includeDeleted, (qb) => qb.where('visit.deletedAt', 'is', null))
    .$if(filter.purpose !== undefined, (qb) => qb.where('visit.purpose', '=', filter.purpose!))
    .$if(filter.from !== undefined, (qb) => qb.where('visit.visitedOn', '>=', filter.from!))
    .$if(filter.to !== undefined, (qb) => qb.where('visit.visitedOn', '<=', filter.to!))
    .$if(filter.residentId !== undefined, (qb) =>
      qb.where((eb) =>
        eb.exists(
          eb
            .selectFrom('visitSubject')
            .select('visitSubject.visitId')
            .whereRef('visitSubject.visitId', '=', 'visit.id')
            .where('visitSubject.residentId', '=', filter.residentId!),
        ),
      ),
    )
    .$if(filter.householdId !== undefined, (qb) =>
      qb.where((eb) =>
        eb.exists(
          eb
            .selectFrom('visitSubject')
            .select('visitSubject.visitId')
            .whereRef('visitSubject.visitId', '=', 'visit.id')
            .where('visitSubject.householdId', '=', filter.householdId!),
        ),
      ),
    )
    .$if(Boolean(filter.q), (qb) =>
      qb.where((eb) =>
        eb.or([
          dialect.contains(eb.ref('visit.location'), filter.q!),
          dialect.contains(eb.ref('visit.notes'), filter.q!),
          dialect.contains(eb.ref('visit.gifts'), filter.q!),
          eb.exists(
            eb
              .selectFrom('visitSubject')
              .innerJoin('resident', 'resident.id', 'visitSubject.residentId')
              .select('visitSubject.visitId')
              .whereRef('visitSubject.visitId', '=', 'visit.id')
              .where(dialect.contains(sql.ref<string>('resident.name'), filter.q!)),
          ),
        ]),
      ),
    );
  return pageWithTotal(
    db,
    page,
    () =>
      base
        .selectAll('visit')
        .orderBy(`visit.${sort}`, page.order)
        .orderBy('visit.id')
        .limit(page.pageSize)
        .offset(offsetOf(page))
        .execute(),
    () => base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  );
}

/** Visitors, people or households visited, and live photos of these visits. */
async function findVisitLinks(db: Executor, visitIds: string[]) {
  if (visitIds.length === 0) return { visitors: [], residents: [], households: [], photos: [] };
  const [visitors, residents, households, photos] = await Promise.all([
    db
      .selectFrom('visitVisitor')
      .innerJoin('appUser', 'appUser.id', 'visitVisitor.userId')
      .select(['visitVisitor.visitId', 'appUser.id', 'appUser.displayName'])
      .where('visitVisitor.visitId', 'in', visitIds)
      .orderBy('appUser.displayName')
      .execute(),
    db
      .selectFrom('visitSubject')
      .innerJoin('resident', 'resident.id', 'visitSubject.residentId')
      .select(['visitSubject.visitId', 'resident.id', 'resident.name'])
      .where('visitSubject.visitId', 'in', visitIds)
      .orderBy('resident.name')
      .execute(),
    db
      .selectFrom('visitSubject')
      .innerJoin('household', 'household.id', 'visitSubject.householdId')
      .select(['visitSubject.visitId', 'household.id', 'household.householdNumber', 'household.address'])
      .where('visitSubject.visitId', 'in', visitIds)
      .orderBy('household.householdNumber')
      .execute(),
    photoSelect(db)
      .where('visitPhoto.visitId', 'in', visitIds)
      .where('visitPhoto.deletedAt', 'is', null)
      .orderBy('visitPhoto.createdAt')
      .orderBy('visitPhoto.id')
      .execute(),
  ]);
  return { visitors, residents, households, photos };
}

// ---------------------------------------------------------------------------------------------
// Photos

export type VisitPhotoListRow = VisitPhotoRow;

function photoSelect(db: Executor) {
  return db.selectFrom('visitPhoto').selectAll('visitPhoto');
}

/** One photo of a visit (removed or not); the caller has found the visit in scope. */
async function findPhoto(
  db: Executor,
  visitId: string,
  photoId: string,
): Promise<VisitPhotoListRow | undefined> {
  return photoSelect(db)
    .where('visitPhoto.id', '=', photoId)
    .where('visitPhoto.visitId', '=', visitId)
    .executeTakeFirst();
}

async function countLivePhotos(db: Executor, visitId: string): Promise<number> {
  const row = await db
    .selectFrom('visitPhoto')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('visitId', '=', visitId)
    .where('deletedAt', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function insertPhoto(db: Executor, row: VisitPhotoRow): Promise<void> {
  await db.insertInto('visitPhoto').values(row).execute();
}

async function markPhotoDeleted(db: Executor, id: string, actorId: string | null, now: string) {
  await db
    .updateTable('visitPhoto')
    .set({ deletedAt: now, deletedBy: actorId })
    .where('id', '=', id)
    .where('deletedAt', 'is', null)
    .execute();
}

/**
 * Bumps the version of a live visit whose photos change (and on PostgreSQL locks its row, so two
 * uploads to one visit count its photos one after the other); the row after, or undefined.
 */
async function touchVisit(
  db: Executor,
  id: string,
  actorId: string | null,
  now: string,
): Promise<VisitRow | undefined> {
  const touched = await db
    .updateTable('visit')
    .set({ version: sql`version + 1`, updatedAt: now, updatedBy: actorId })
    .where('id', '=', id)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  if (Number(touched.numUpdatedRows) === 0) return undefined;
  return db.selectFrom('visit').selectAll().where('id', '=', id).executeTakeFirst();
}

async function insertVisit(db: Executor, row: VisitRow): Promise<void> {
  await db.insertInto('visit').values(row).execute();
}

/** Replaces the visitors and subjects of a visit (each list only when given). */
async function saveVisitLinks(
  db: Executor,
  visitId: string,
  links: {
    visitorIds?: string[] | undefined;
    residentIds?: string[] | undefined;
    householdIds?: string[] | undefined;
  },
): Promise<void> {
  if (links.visitorIds) {
    await db.deleteFrom('visitVisitor').where('visitId', '=', visitId).execute();
    if (links.visitorIds.length > 0)
      await db
        .insertInto('visitVisitor')
        .values(links.visitorIds.map((userId) => ({ visitId, userId })))
        .execute();
  }
  if (links.residentIds) {
    await db
      .deleteFrom('visitSubject')
      .where('visitId', '=', visitId)
      .where('residentId', 'is not', null)
      .execute();
    if (links.residentIds.length > 0)
      await db
        .insertInto('visitSubject')
        .values(links.residentIds.map((residentId) => ({ visitId, residentId, householdId: null })))
        .execute();
  }
  if (links.householdIds) {
    await db
      .deleteFrom('visitSubject')
      .where('visitId', '=', visitId)
      .where('householdId', 'is not', null)
      .execute();
    if (links.householdIds.length > 0)
      await db
        .insertInto('visitSubject')
        .values(links.householdIds.map((householdId) => ({ visitId, residentId: null, householdId })))
        .execute();
  }
}

/** Live users of the subtree at `scopePath` among `ids`. */
async function findUsersInScope(db: Executor, scopePath: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('appUser')
    .select(['appUser.id', 'appUser.displayName'])
    .where('appUser.id', 'in', ids)
    .where('appUser.deletedAt', 'is', null)
    .where('appUser.orgUnitId', 'in', orgSubtreeIds(db, scopePath))
    .execute();
}

/** Live residents of the subtree at `scopePath` among `ids`. */
async function findResidentsInScope(db: Executor, scopePath: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('resident')
    .innerJoin('orgUnit', 'orgUnit.id', 'resident.orgUnitId')
    .select(['resident.id', 'resident.name', 'resident.householdId', 'resident.orgUnitId', 'orgUnit.path'])
    .where('resident.id', 'in', ids)
    .where('resident.deletedAt', 'is', null)
    .where('resident.orgUnitId', 'in', orgSubtreeIds(db, scopePath))
    .execute();
}

/** Live households of the subtree at `scopePath` among `ids`. */
async function findHouseholdsInScope(db: Executor, scopePath: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('household')
    .select(['household.id', 'household.orgUnitId'])
    .where('household.id', 'in', ids)
    .where('household.deletedAt', 'is', null)
    .where('household.orgUnitId', 'in', orgSubtreeIds(db, scopePath))
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Must-visit tasks

export type MustVisitTaskListRow = MustVisitTaskRow & { residentName: string; assigneeName: string | null };

export interface MustVisitFilter {
  state?: 'open' | 'overdue' | 'done' | 'pending' | undefined;
  kind?: string | undefined;
  assigneeId?: string | undefined;
  residentId?: string | undefined;
  /** Resident's name contains this. */
  q?: string | undefined;
  includeDeleted?: boolean | undefined;
}

function taskSelect(db: Executor) {
  return db
    .selectFrom('mustVisitTask')
    .innerJoin('resident', 'resident.id', 'mustVisitTask.residentId')
    .leftJoin('appUser', 'appUser.id', 'mustVisitTask.assigneeId')
    .selectAll('mustVisitTask')
    .select(['resident.name as residentName', 'appUser.displayName as assigneeName']);
}

async function findTaskRow(
  db: Executor,
  scopePath: string,
  id: string,
): Promise<MustVisitTaskListRow | undefined> {
  return taskSelect(db)
    .where('mustVisitTask.id', '=', id)
    .where('mustVisitTask.orgUnitId', 'in', orgSubtreeIds(db, scopePath))
    .executeTakeFirst();
}

async function findTasks(
  db: Executor,
  scope: OrgScope,
  filter: MustVisitFilter,
  today: string,
  page: PageQuery,
): Promise<{ rows: MustVisitTaskListRow[]; total: number }> {
  const dialect = dialectOf(db);
  const base = db
    .selectFrom('mustVisitTask')
    .innerJoin('resident', 'resident.id', 'mustVisitTask.residentId')
    .where(inOrgScope(db, 'mustVisitTask.orgUnitId', scope))
    .$if(!filter.includeDeleted, (qb) => qb.where('mustVisitTask.deletedAt', 'is', null))
    .$if(filter.state === 'done', (qb) => qb.where('mustVisitTask.doneOn', 'is not', null))
    .$if(filter.state === 'pending', (qb) => qb.where('mustVisitTask.doneOn', 'is', null))
    .$if(filter.state === 'open', (qb) =>
      qb.where('mustVisitTask.doneOn', 'is', null).where('mustVisitTask.dueOn', '>=', today),
    )
    .$if(filter.state === 'overdue', (qb) =>
      qb.where('mustVisitTask.doneOn', 'is', null).where('mustVisitTask.dueOn', '<', today),
    )
    .$if(filter.kind !== undefined, (qb) => qb.where('mustVisitTask.kind', '=', filter.kind!))
    .$if(filter.assigneeId !== undefined, (qb) =>
      qb.where('mustVisitTask.assigneeId', '=', filter.assigneeId!),
    )
    .$if(filter.residentId !== undefined, (qb) =>
      qb.where('mustVisitTask.residentId', '=', filter.residentId!),
    )
    .$if(Boolean(filter.q), (qb) => qb.where(dialect.contains(sql.ref<string>('resident.name'), filter.q!)));
  return pageWithTotal(
    db,
    page,
    () =>
      base
        .leftJoin('appUser', 'appUser.id', 'mustVisitTask.assigneeId')
        .selectAll('mustVisitTask')
        .select(['resident.name as residentName', 'appUser.displayName as assigneeName'])
        .orderBy('mustVisitTask.dueOn', page.order)
        .orderBy('mustVisitTask.id')
        .limit(page.pageSize)
        .offset(offsetOf(page))
        .execute(),
    () => base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  );
}

async function insertTask(db: Executor, row: MustVisitTaskRow): Promise<void> {
  await db.insertInto('mustVisitTask').values(row).execute();
}

/**
 * Open tasks that a visit of `purpose` on `visitedOn` to these residents (or to the households they
 * belong to) fulfils: same kind, event on or before the visit.
 */
async function findTasksClosedBy(
  db: Executor,
  purpose: string,
  visitedOn: string,
  residentIds: string[],
  householdIds: string[],
): Promise<MustVisitTaskListRow[]> {
  if (residentIds.length === 0 && householdIds.length === 0) return [];
  return taskSelect(db)
    .where('mustVisitTask.deletedAt', 'is', null)
    .where('mustVisitTask.doneOn', 'is', null)
    .where('mustVisitTask.kind', '=', purpose)
    .where('mustVisitTask.eventOn', '<=', visitedOn)
    .where((eb) =>
      eb.or([
        ...(residentIds.length > 0 ? [eb('mustVisitTask.residentId', 'in', residentIds)] : []),
        ...(householdIds.length > 0 ? [eb('resident.householdId', 'in', householdIds)] : []),
      ]),
    )
    .execute();
}

/** Marks a task done by a visit (or open again with `null`), bumping its version. */
async function setTaskDone(
  db: Executor,
  id: string,
  done: { visitId: string; doneOn: string } | null,
  actorId: string | null,
  now: string,
): Promise<void> {
  await db
    .updateTable('mustVisitTask')
    .set({
      visitId: done?.visitId ?? null,
      doneOn: done?.doneOn ?? null,
      version: sql`version + 1`,
      updatedAt: now,
      updatedBy: actorId,
    })
    .where('id', '=', id)
    .execute();
}

async function findTasksOfVisit(db: Executor, visitId: string): Promise<MustVisitTaskListRow[]> {
  return taskSelect(db).where('mustVisitTask.visitId', '=', visitId).execute();
}

/** Overdue tasks (open past their due date) counted per assignee or per org unit. */
async function countOverdue(db: Executor, scope: OrgScope, today: string, by: 'assignee' | 'orgUnit') {
  const base = db
    .selectFrom('mustVisitTask')
    .where(inOrgScope(db, 'mustVisitTask.orgUnitId', scope))
    .where('mustVisitTask.deletedAt', 'is', null)
    .where('mustVisitTask.doneOn', 'is', null)
    .where('mustVisitTask.dueOn', '<', today);
  if (by === 'assignee') {
    return base
      .leftJoin('appUser', 'appUser.id', 'mustVisitTask.assigneeId')
      .select(['mustVisitTask.assigneeId as id', 'appUser.displayName as name'])
      .select((eb) => eb.fn.countAll<number>().as('overdue'))
      .groupBy(['mustVisitTask.assigneeId', 'appUser.displayName'])
      .orderBy('overdue', 'desc')
      .execute();
  }
  return base
    .innerJoin('orgUnit', 'orgUnit.id', 'mustVisitTask.orgUnitId')
    .select(['mustVisitTask.orgUnitId as id', 'orgUnit.name as name'])
    .select((eb) => eb.fn.countAll<number>().as('overdue'))
    .groupBy(['mustVisitTask.orgUnitId', 'orgUnit.name'])
    .orderBy('overdue', 'desc')
    .execute();
}

/** The grid's worker: a live, enabled grid worker of exactly this org unit (first by user name). */
async function findGridWorker(db: Executor, orgUnitId: string): Promise<{ id: string } | undefined> {
  return db
    .selectFrom('appUser')
    .innerJoin('userRole', 'userRole.userId', 'appUser.id')
    .select('appUser.id')
    .where('appUser.orgUnitId', '=', orgUnitId)
    .where('userRole.role', '=', 'grid_worker')
    .where('appUser.deletedAt', 'is', null)
    .where('appUser.isDisabled', '=', dialectOf(db).bool(false))
    .orderBy('appUser.username')
    .executeTakeFirst();
}

/** Rules set on any of these org units (the ancestors of a resident's unit). */
async function findRules(db: Executor, orgUnitIds: string[]) {
  if (orgUnitIds.length === 0) return [];
  return db
    .selectFrom('mustVisitRule')
    .select(['orgUnitId', 'kind', 'dueDays'])
    .where('orgUnitId', 'in', orgUnitIds)
    .execute();
}

async function saveRule(
  db: Executor,
  rule: { orgUnitId: string; kind: string; dueDays: number; updatedBy: string | null; updatedAt: string },
): Promise<void> {
  await db
    .insertInto('mustVisitRule')
    .values(rule)
    .onConflict((oc) =>
      oc.columns(['orgUnitId', 'kind']).doUpdateSet({
        dueDays: rule.dueDays,
        updatedBy: rule.updatedBy,
        updatedAt: rule.updatedAt,
      }),
    )
    .execute();
}

export const visitRepository = Object.freeze({
  findVisitRow,
  findVisits,
  findVisitLinks,
  insertVisit,
  saveVisitLinks,
  findPhoto,
  countLivePhotos,
  insertPhoto,
  markPhotoDeleted,
  touchVisit,
  findUsersInScope,
  findResidentsInScope,
  findHouseholdsInScope,
  findTaskRow,
  findTasks,
  insertTask,
  findTasksClosedBy,
  setTaskDone,
  findTasksOfVisit,
  countOverdue,
  findGridWorker,
  findRules,
  saveRule,
});
