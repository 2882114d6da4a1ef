import { sql, type ExpressionBuilder } from 'kysely';
import type { PageQuery } from '@shiliuzi/shared/api';
import type { Executor } from '../../db/database.ts';
import { dialectOf } from '../../db/dialect-of.ts';
import type { DB, HouseholdRow } from '../../db/schema.ts';
import { orgSubtreeIds } from '../../db/scope.ts';
import { offsetOf } from '../../lib/pagination.ts';
import { pageWithTotal } from '../../db/paging.ts';

export interface HouseholdFilter {
  dwellingId?: string | undefined;
  /** Household number, address or the head's name contains this. */
  q?: string | undefined;
  /** Whether `q` may match the address (see householdService.listHouseholds); default true. */
  qMatchesAddress?: boolean | undefined;
  includeDeleted?: boolean | undefined;
}

export type HouseholdSort = 'householdNumber' | 'address' | 'createdAt';

export type HouseholdListRow = HouseholdRow & {
  headName: string | null;
  memberCount: number;
  spouseEthnicities: number;
};

/** Head's name, member count and head/spouse ethnicities, counting only members inside the scope. */
function withMemberFigures(db: Executor, scopePath: string) {
  return (eb: ExpressionBuilder<DB, 'household'>) => memberFigures(eb, orgSubtreeIds(db, scopePath));
}

function memberFigures(eb: ExpressionBuilder<DB, 'household'>, subtree: ReturnType<typeof orgSubtreeIds>) {
  return [
    eb
      .selectFrom('resident')
      .select('resident.name')
      .whereRef('resident.householdId', '=', 'household.id')
      .where('resident.relationToHead', '=', 'head')
      .where('resident.deletedAt', 'is', null)
      .where('resident.orgUnitId', 'in', subtree)
      .limit(1)
      .as('headName'),
    eb
      .selectFrom('resident')
      .select((e) => e.fn.countAll<number>().as('n'))
      .whereRef('resident.householdId', '=', 'household.id')
      .where('resident.deletedAt', 'is', null)
      .where('resident.orgUnitId', 'in', subtree)
      .as('memberCount'),
    // Distinct ethnicities among head and spouse: 2 means an inter-ethnic marriage.
    eb
      .selectFrom('resident')
      .select((e) => e.fn.count<number>('resident.ethnicityCode').distinct().as('n'))
      .whereRef('resident.householdId', '=', 'household.id')
      .where('resident.relationToHead', 'in', ['head', 'spouse'])
      .where('resident.deletedAt', 'is', null)
      .where('resident.orgUnitId', 'in', subtree)
      .as('spouseEthnicities'),
  ] as const;
}

async function findHouseholdById(db: Executor, scopePath: string, id: string) {
  const row = await db
    .selectFrom('household')
    .selectAll('household')
    .select(withMemberFigures(db, scopePath))
    .where('household.id', '=', id)
    .where('household.orgUnitId', 'in', orgSubtreeIds(db, scopePath))
    .executeTakeFirst();
  return row as HouseholdListRow | undefined;
}

/** The household row alone, without member figures (for checks before a write). */
async function findHouseholdRow(
  db: Executor,
  scopePath: string,
  id: string,
): Promise<HouseholdRow | undefined> {
  return db
    .selectFrom('household')
    .selectAll()
    .where('id', '=', id)
    .where('orgUnitId', 'in', orgSubtreeIds(db, scopePath))
    .executeTakeFirst();
}

async function findHouseholds(
  db: Executor,
  scopePath: string,
  filter: HouseholdFilter,
  sort: HouseholdSort,
  page: PageQuery,
): Promise<{ rows: HouseholdListRow[]; total: number }> {
  const dialect = dialectOf(db);
  const base = db
    .selectFrom('household')
    .where('household.orgUnitId', 'in', orgSubtreeIds(db, scopePath))
    .$if(!filter.includeDeleted, (qb) => qb.where('household.deletedAt', 'is', null))
    .$if(filter.dwellingId !== undefined, (qb) => qb.where('household.dwellingId', '=', filter.dwellingId!))
    .$if(Boolean(filter.q), (qb) =>
      qb.where((eb) =>
        eb.or([
          dialect.contains(eb.ref('household.householdNumber'), filter.q!),
          ...(filter.qMatchesAddress === false
            ? []
            : [dialect.contains(eb.ref('household.address'), filter.q!)]),
          eb.exists(
            eb
              .selectFrom('resident')
              .select('resident.id')
              .whereRef('resident.householdId', '=', 'household.id')
              .where('resident.relationToHead', '=', 'head')
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
        .selectAll('household')
        .select(withMemberFigures(db, scopePath))
        .orderBy(`household.${sort}`, page.order)
        .orderBy('household.id')
        .limit(page.pageSize)
        .offset(offsetOf(page))
        .execute() as Promise<HouseholdListRow[]>,
    () => base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  );
}

async function insertHousehold(db: Executor, row: HouseholdRow): Promise<void> {
  await db.insertInto('household').values(row).execute();
}

async function countMembers(db: Executor, id: string): Promise<number> {
  const { n } = await db
    .selectFrom('resident')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('householdId', '=', id)
    .where('deletedAt', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(n);
}

export const householdRepository = Object.freeze({
  findHouseholdById,
  findHouseholdRow,
  findHouseholds,
  insertHousehold,
  countMembers,
});
