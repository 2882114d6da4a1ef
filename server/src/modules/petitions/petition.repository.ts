import type { PageQuery } from '@shiliuzi/shared/api';
import type { PetitionChannel, PetitionStatus } from '@shiliuzi/shared/casework-petitions';
import { insertMany } from '../../db/bulk-insert.ts';
import type { Executor } from '../../db/database.ts';
import { dialectOf } from '../../db/dialect-of.ts';
import { pageWithTotal } from '../../db/paging.ts';
import type { PetitionRow } from '../../db/schema.ts';
import { inOrgScope, orgSubtreeIds, type OrgScope } from '../../db/scope.ts';
import { offsetOf } from '../../lib/pagination.ts';

export interface PetitionFilter {
  channel?: PetitionChannel | undefined;
  /** Hotline calls only (true) or every other channel (false). */
  hotline?: boolean | undefined;
  status?: PetitionStatus | undefined;
  assigneeId?: string | undefined;
  /** Open past the due date on `today`, or closed after it. */
  overdueOn?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** Subject or requester name contains this. */
  q?: string | undefined;
  includeDeleted?: boolean | undefined;
}

export type PetitionSort = 'receivedDate' | 'dueDate' | 'createdAt';

export type PetitionWithNames = PetitionRow & { orgUnitName: string; assigneeName: string | null };

export interface PetitionEventRow {
  id: string;
  petitionId: string;
  fromStatus: string | null;
  toStatus: string;
  eventDate: string;
  notes: string | null;
  actorId: string | null;
  actorName: string;
  at: string;
}

function selectPetitions(db: Executor) {
  return db
    .selectFrom('petition')
    .innerJoin('orgUnit', 'orgUnit.id', 'petition.orgUnitId')
    .leftJoin('appUser', 'appUser.id', 'petition.assigneeId')
    .selectAll('petition')
    .select(['orgUnit.name as orgUnitName', 'appUser.displayName as assigneeName']);
}

async function findPetitionById(
  db: Executor,
  scopePath: string,
  id: string,
): Promise<PetitionWithNames | undefined> {
  return selectPetitions(db)
    .where('petition.id', '=', id)
    .where('petition.orgUnitId', 'in', orgSubtreeIds(db, scopePath))
    .executeTakeFirst();
}

/** Petitions of the scope matching every filter but `q` (which reads sealed text; see the service). */
function filteredPetitions(db: Executor, scope: OrgScope, filter: Omit<PetitionFilter, 'q'>) {
  return db
    .selectFrom('petition')
    .where(inOrgScope(db, 'petition.orgUnitId', scope))
    .$if(!filter.includeDeleted, (qb) => qb.where('petition.deletedAt', 'is', null))
    .$if(filter.channel !== undefined, (qb) => qb.where('petition.channel', '=', filter.channel!))
    .$if(filter.hotline === true, (qb) => qb.where('petition.channel', '=', 'hotline'))
    .$if(filter.hotline === false, (qb) => qb.where('petition.channel', '<>', 'hotline'))
    .$if(filter.status !== undefined, (qb) => qb.where('petition.status', '=', filter.status!))
    .$if(filter.assigneeId !== undefined, (qb) => qb.where('petition.assigneeId', '=', filter.assigneeId!))
    .$if(filter.overdueOn !== undefined, (qb) =>
      qb.where((eb) =>
        eb.or([
          eb.and([eb('petition.responseDate', 'is', null), eb('petition.dueDate', '<', filter.overdueOn!)]),
          eb('petition.responseDate', '>', eb.ref('petition.dueDate')),
        ]),
      ),
    )
    .$if(filter.from !== undefined, (qb) => qb.where('petition.receivedDate', '>=', filter.from!))
    .$if(filter.to !== undefined, (qb) => qb.where('petition.receivedDate', '<=', filter.to!));
}

/** A page of the petitions matching the filters (without `q`), with the total. */
async function findPetitions(
  db: Executor,
  scope: OrgScope,
  filter: Omit<PetitionFilter, 'q'>,
  sort: PetitionSort,
  page: PageQuery,
): Promise<{ rows: PetitionWithNames[]; total: number }> {
  const base = filteredPetitions(db, scope, filter);
  return pageWithTotal(
    db,
    page,
    () =>
      base
        .innerJoin('orgUnit', 'orgUnit.id', 'petition.orgUnitId')
        .leftJoin('appUser', 'appUser.id', 'petition.assigneeId')
        .selectAll('petition')
        .select(['orgUnit.name as orgUnitName', 'appUser.displayName as assigneeName'])
        .orderBy(`petition.${sort}`, page.order)
        .orderBy('petition.id')
        .limit(page.pageSize)
        .offset(offsetOf(page))
        .execute(),
    () => base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  );
}

/**
 * Every petition matching the filters, in list order, with its sealed subject and requester name:
 * the service opens them to match the search text.
 */
async function findPetitionSearchRows(
  db: Executor,
  scope: OrgScope,
  filter: Omit<PetitionFilter, 'q'>,
  sort: PetitionSort,
  order: PageQuery['order'],
): Promise<{ id: string; subject: string; requesterName: string | null }[]> {
  return filteredPetitions(db, scope, filter)
    .select(['petition.id', 'petition.subject', 'petition.requesterName'])
    .orderBy(`petition.${sort}`, order)
    .orderBy('petition.id')
    .execute();
}

/** These petitions (already known to be in scope), in the order of `ids`. */
async function findPetitionsByIds(db: Executor, ids: string[]): Promise<PetitionWithNames[]> {
  if (ids.length === 0) return [];
  const rows = await selectPetitions(db).where('petition.id', 'in', ids).execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

async function findEvents(db: Executor, petitionIds: string[]): Promise<PetitionEventRow[]> {
  if (petitionIds.length === 0) return [];
  return db
    .selectFrom('petitionEvent')
    .selectAll()
    .where('petitionId', 'in', petitionIds)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

async function insertPetition(db: Executor, row: PetitionRow): Promise<void> {
  await db.insertInto('petition').values(row).execute();
}

async function insertEvent(db: Executor, row: PetitionEventRow): Promise<void> {
  await db.insertInto('petitionEvent').values(row).execute();
}

/** Many petitions and their events at once, as the bulk insert helper writes them. */
async function insertPetitionsWithEvents(
  db: Executor,
  rows: PetitionRow[],
  events: PetitionEventRow[],
): Promise<void> {
  await insertMany(db, 'petition', rows);
  await insertMany(db, 'petitionEvent', events);
}

/** SLA settings of the given org units (the unit and its ancestors). */
async function findSlaSettings(db: Executor, orgUnitIds: string[]) {
  if (orgUnitIds.length === 0) return [];
  return db
    .selectFrom('petitionSla')
    .select(['orgUnitId', 'channel', 'days'])
    .where('orgUnitId', 'in', orgUnitIds)
    .execute();
}

async function upsertSla(
  db: Executor,
  row: { orgUnitId: string; channel: string; days: number; updatedAt: string; updatedBy: string | null },
): Promise<void> {
  await db
    .insertInto('petitionSla')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['orgUnitId', 'channel']).doUpdateSet({
        days: row.days,
        updatedAt: row.updatedAt,
        updatedBy: row.updatedBy,
      }),
    )
    .execute();
}

/** A live, enabled user of the subtree at `scopePath` (an assignee), by id. */
async function findUserInScope(db: Executor, scopePath: string, id: string) {
  return db
    .selectFrom('appUser')
    .select(['appUser.id', 'appUser.displayName'])
    .where('appUser.id', '=', id)
    .where('appUser.orgUnitId', 'in', orgSubtreeIds(db, scopePath))
    .where('appUser.deletedAt', 'is', null)
    .where('appUser.isDisabled', '=', dialectOf(db).bool(false))
    .executeTakeFirst();
}

export const petitionRepository = Object.freeze({
  findPetitionById,
  findPetitions,
  findPetitionSearchRows,
  findPetitionsByIds,
  findEvents,
  insertPetition,
  insertEvent,
  insertPetitionsWithEvents,
  findSlaSettings,
  upsertSla,
  findUserInScope,
});
