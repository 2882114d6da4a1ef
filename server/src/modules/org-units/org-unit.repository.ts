import { sql } from 'kysely';
import type { PageQuery } from '@shiliuzi/shared/api';
import type { OrgUnitType } from '@shiliuzi/shared/registry';
import type { Executor } from '../../db/database.ts';
import { dialectOf } from '../../db/dialect-of.ts';
import type { OrgUnitRow } from '../../db/schema.ts';
import { offsetOf } from '../../lib/pagination.ts';
import { pageWithTotal } from '../../db/paging.ts';
import { compiledOnce } from '../../db/compiled-queries.ts';

export interface OrgUnitFilter {
  type?: OrgUnitType | undefined;
  parentId?: string | undefined;
  /** Substring of the name or code. */
  q?: string | undefined;
  includeDeleted?: boolean | undefined;
}

export type OrgUnitSort = 'code' | 'name' | 'type' | 'createdAt';

function inScope(db: Executor, scopePath: string) {
  return dialectOf(db).startsWith(sql.ref('orgUnit.path'), scopePath);
}

// Every list or figure narrowed to an org unit looks it up first: compiled once per unit and scope.
const orgUnitById = compiledOnce((db, scopePath: string, id: string) =>
  db.selectFrom('orgUnit').selectAll().where('id', '=', id).where(inScope(db, scopePath)),
);

async function findOrgUnitById(db: Executor, scopePath: string, id: string): Promise<OrgUnitRow | undefined> {
  return (await orgUnitById(db, scopePath, id))[0];
}

async function findOrgUnitByCode(
  db: Executor,
  scopePath: string,
  code: string,
): Promise<OrgUnitRow | undefined> {
  return db
    .selectFrom('orgUnit')
    .selectAll()
    .where('code', '=', code)
    .where(inScope(db, scopePath))
    .executeTakeFirst();
}

async function findOrgUnitsByIds(db: Executor, ids: string[]): Promise<OrgUnitRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('orgUnit').selectAll().where('id', 'in', ids).execute();
}

async function findOrgUnits(
  db: Executor,
  scopePath: string,
  filter: OrgUnitFilter,
  sort: OrgUnitSort,
  page: PageQuery,
): Promise<{ rows: OrgUnitRow[]; total: number }> {
  const base = db
    .selectFrom('orgUnit')
    .where(inScope(db, scopePath))
    .$if(!filter.includeDeleted, (qb) => qb.where('deletedAt', 'is', null))
    .$if(filter.type !== undefined, (qb) => qb.where('type', '=', filter.type!))
    .$if(filter.parentId !== undefined, (qb) => qb.where('parentId', '=', filter.parentId!))
    .$if(Boolean(filter.q), (qb) =>
      qb.where((eb) =>
        eb.or([
          dialectOf(db).contains(eb.ref('name'), filter.q!),
          dialectOf(db).contains(eb.ref('code'), filter.q!),
        ]),
      ),
    );
  return pageWithTotal(
    db,
    page,
    () =>
      base
        .selectAll()
        .orderBy(sort, page.order)
        .orderBy('id')
        .limit(page.pageSize)
        .offset(offsetOf(page))
        .execute(),
    () => base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  );
}

/** Every live unit of the whole tree (no scope): the CLI's `org list`. */
async function findAllOrgUnits(db: Executor): Promise<OrgUnitRow[]> {
  return db.selectFrom('orgUnit').selectAll().where('deletedAt', 'is', null).orderBy('path').execute();
}

async function insertOrgUnit(db: Executor, row: OrgUnitRow): Promise<void> {
  await db.insertInto('orgUnit').values(row).execute();
}

/** Live child units and live records attached to the unit: a unit with any cannot be deleted. */
async function countDependents(db: Executor, id: string): Promise<number> {
  const counts = await Promise.all(
    (['orgUnit', 'place', 'household', 'resident', 'appUser', 'dispute', 'petition'] as const).map((table) =>
      db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where(table === 'orgUnit' ? 'parentId' : 'orgUnitId', '=', id)
        .where('deletedAt', 'is', null)
        .executeTakeFirstOrThrow(),
    ),
  );
  return counts.reduce((sum, c) => sum + Number(c.n), 0);
}

export const orgUnitRepository = Object.freeze({
  findOrgUnitById,
  findOrgUnitByCode,
  findOrgUnitsByIds,
  findOrgUnits,
  findAllOrgUnits,
  insertOrgUnit,
  countDependents,
});
