import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Executor } from './database.ts';
import { dialectOf } from './dialect-of.ts';

/**
 * The one org-scope helper: the ids of every org unit in the subtree at `scopePath`. Every query
 * that reads records restricts `org_unit_id` to this set, so nothing outside the subtree is seen.
 */
export function orgSubtreeIds(db: Executor, scopePath: string) {
  return db
    .selectFrom('orgUnit as scopeUnit')
    .select('scopeUnit.id')
    .where(dialectOf(db).startsWith(sql.ref('scopeUnit.path'), scopePath))
    .where('scopeUnit.deletedAt', 'is', null);
}

/** An org subtree: the path of its root, and the root's id when the root is a leaf (grid, member unit). */
export interface OrgScope {
  path: string;
  leafUnitId?: string | undefined;
}

/**
 * `column` lies in the scope. A leaf scope is a plain equality, which lets an index on
 * (org_unit_id, …, name) return rows already in order, so a page stops after its last row.
 */
export function inOrgScope(db: Executor, column: string, scope: OrgScope): RawBuilder<SqlBool> {
  return scope.leafUnitId !== undefined
    ? sql<SqlBool>`${sql.ref(column)} = ${scope.leafUnitId}`
    : sql<SqlBool>`${sql.ref(column)} in (${orgSubtreeIds(db, scope.path)})`;
}
