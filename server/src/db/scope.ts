import { sql } from 'kysely';
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
