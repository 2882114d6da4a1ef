import type { PageQuery } from '@shiliuzi/shared/api';
import type { PlaceKind } from '@shiliuzi/shared/registry';
import type { Executor } from '../../db/database.ts';
import { dialectOf } from '../../db/dialect-of.ts';
import type { PlaceRow } from '../../db/schema.ts';
import { orgSubtreeIds } from '../../db/scope.ts';
import { ancestorColumns, joinAncestors, type AncestorColumns } from '../../db/place-ancestors.ts';
import { offsetOf } from '../../lib/pagination.ts';
import { pageWithTotal } from '../../db/paging.ts';

export interface PlaceFilter {
  kind?: PlaceKind | undefined;
  /** `null` for top-level places only. */
  parentId?: string | null | undefined;
  isRental?: boolean | undefined;
  q?: string | undefined;
  /**
   * Whether `q` may match the names and addresses of entrances and dwellings. False for a reader
   * who sees them masked and searches by a part the mask hides: such a search would tell the room.
   */
  qMatchesDoors?: boolean | undefined;
  includeDeleted?: boolean | undefined;
}

/** Place kinds whose names and addresses are masked for readers who do not manage places. */
export const doorKinds = ['entrance', 'dwelling'] as const;

/** A dwelling with the live places above it that the scope sees, nearest first (null where none). */
export interface DwellingPathRow extends AncestorColumns {
  id: string;
  kind: string;
  name: string;
  address: string | null;
}

export type PlaceSort = 'name' | 'kind' | 'createdAt';

async function findPlaceById(db: Executor, scopePath: string, id: string): Promise<PlaceRow | undefined> {
  return db
    .selectFrom('place')
    .selectAll()
    .where('id', '=', id)
    .where('orgUnitId', 'in', orgSubtreeIds(db, scopePath))
    .executeTakeFirst();
}

async function findPlaces(
  db: Executor,
  scopePath: string,
  filter: PlaceFilter,
  sort: PlaceSort,
  page: PageQuery,
): Promise<{ rows: PlaceRow[]; total: number }> {
  const dialect = dialectOf(db);
  const base = db
    .selectFrom('place')
    .where('orgUnitId', 'in', orgSubtreeIds(db, scopePath))
    .$if(!filter.includeDeleted, (qb) => qb.where('deletedAt', 'is', null))
    .$if(filter.kind !== undefined, (qb) => qb.where('kind', '=', filter.kind!))
    .$if(filter.parentId === null, (qb) => qb.where('parentId', 'is', null))
    .$if(typeof filter.parentId === 'string', (qb) => qb.where('parentId', '=', filter.parentId!))
    .$if(filter.isRental !== undefined, (qb) => qb.where('isRental', '=', dialect.bool(filter.isRental!)))
    .$if(Boolean(filter.q), (qb) =>
      qb.where((eb) => {
        const matches = eb.or([
          dialect.contains(eb.ref('name'), filter.q!),
          dialect.contains(eb.ref('address'), filter.q!),
        ]);
        return filter.qMatchesDoors === false ? eb.and([matches, eb('kind', 'not in', doorKinds)]) : matches;
      }),
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

/**
 * The live dwellings among `ids` that the scope sees, each with up to four live places above it
 * that the scope sees too (an estate of the community is left out for a grid worker).
 */
async function findDwellingPaths(
  db: Executor,
  scopePath: string,
  ids: readonly string[],
): Promise<DwellingPathRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('place as d')
    .$call((qb) => joinAncestors(qb, db, { path: scopePath }, 'd'))
    .select(['d.id', 'd.kind', 'd.name', 'd.address', ...ancestorColumns])
    .where('d.id', 'in', [...ids])
    .where('d.deletedAt', 'is', null)
    .where('d.orgUnitId', 'in', orgSubtreeIds(db, scopePath))
    .execute();
}

async function insertPlace(db: Executor, row: PlaceRow): Promise<void> {
  await db.insertInto('place').values(row).execute();
}

/** Live child places, households and residents that point at the place. */
async function countDependents(db: Executor, id: string): Promise<number> {
  const [children, households, residents] = await Promise.all([
    db
      .selectFrom('place')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('parentId', '=', id)
      .where('deletedAt', 'is', null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('household')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('dwellingId', '=', id)
      .where('deletedAt', 'is', null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('resident')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('dwellingId', '=', id)
      .where('deletedAt', 'is', null)
      .executeTakeFirstOrThrow(),
  ]);
  return Number(children.n) + Number(households.n) + Number(residents.n);
}

export const placeRepository = Object.freeze({
  findPlaceById,
  findPlaces,
  findDwellingPaths,
  insertPlace,
  countDependents,
});
