import { sql, type JoinBuilder, type Nullable, type SelectQueryBuilder } from 'kysely';
import type { Executor } from './database.ts';
import type { DB, PlaceTable } from './schema.ts';
import { inOrgScope, type OrgScope } from './scope.ts';

// The places above a dwelling (entrance, building, estate or courtyard, …), up to four, nearest
// first, each only if it is live and the reader's scope sees it: the joins and columns shared by
// the registers (exports) and the dwelling addresses of households and residents (places).

/** Kind and name of the places above a dwelling, nearest first (null where there is none). */
export interface AncestorColumns {
  p1Kind: string | null;
  p1Name: string | null;
  p2Kind: string | null;
  p2Name: string | null;
  p3Kind: string | null;
  p3Name: string | null;
  p4Kind: string | null;
  p4Name: string | null;
}

/** Join condition of a live row of `alias` visible to the actor whose id is `idRef`. */
export function visibleRow(db: Executor, visible: OrgScope, alias: string, idRef: string) {
  return <JDB, JTB extends keyof JDB>(join: JoinBuilder<JDB, JTB>) =>
    join
      .onRef(sql.ref(`${alias}.id`), '=', sql.ref(idRef))
      .on(sql.ref(`${alias}.deletedAt`), 'is', null)
      .on(inOrgScope(db, `${alias}.orgUnitId`, visible));
}

/** The places above a dwelling, nearest first, as the query gains them from joinAncestors. */
interface AncestorTables {
  p1: Nullable<PlaceTable>;
  p2: Nullable<PlaceTable>;
  p3: Nullable<PlaceTable>;
  p4: Nullable<PlaceTable>;
}

/** Left-joins p1…p4, the live visible places above the dwelling aliased `dwelling`, nearest first. */
export function joinAncestors<QDB, TB extends keyof QDB, O>(
  qb: SelectQueryBuilder<QDB, TB, O>,
  db: Executor,
  visible: OrgScope,
  dwelling: string,
): SelectQueryBuilder<QDB & AncestorTables, TB | keyof AncestorTables, O> {
  // The parent references are plain refs, so the joins need nothing of the query's own tables.
  return (qb as unknown as SelectQueryBuilder<DB, keyof DB, O>)
    .leftJoin('place as p1', visibleRow(db, visible, 'p1', `${dwelling}.parentId`))
    .leftJoin('place as p2', visibleRow(db, visible, 'p2', 'p1.parentId'))
    .leftJoin('place as p3', visibleRow(db, visible, 'p3', 'p2.parentId'))
    .leftJoin('place as p4', visibleRow(db, visible, 'p4', 'p3.parentId')) as unknown as SelectQueryBuilder<
    QDB & AncestorTables,
    TB | keyof AncestorTables,
    O
  >;
}

/** The select list of AncestorColumns. */
export const ancestorColumns = [
  'p1.kind as p1Kind',
  'p1.name as p1Name',
  'p2.kind as p2Kind',
  'p2.name as p2Name',
  'p3.kind as p3Kind',
  'p3.name as p3Name',
  'p4.kind as p4Kind',
  'p4.name as p4Name',
] as const;
