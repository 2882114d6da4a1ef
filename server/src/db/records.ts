import { sql, type Kysely, type UpdateQueryBuilder, type UpdateResult } from 'kysely';
import type { DB } from './schema.ts';
import type { Executor } from './database.ts';

/** Tables whose rows carry `version`, audit stamps and a soft-delete `deleted_at`. */
export type VersionedTable =
  | 'orgUnit'
  | 'place'
  | 'household'
  | 'resident'
  | 'appUser'
  | 'dispute'
  | 'petition'
  | 'visit'
  | 'mustVisitTask'
  | 'pairing'
  | 'assistance';

export type WriteOutcome = 'ok' | 'stale';

// Kysely cannot type a table chosen at run time; the columns used here exist on every
// VersionedTable (see RecordColumns in schema.ts), so narrowing to one of them is sound.
type AnyDb = Kysely<Pick<DB, 'resident'>> & {
  updateTable(
    table: VersionedTable,
  ): UpdateQueryBuilder<Pick<DB, 'resident'>, 'resident', 'resident', UpdateResult>;
};

/**
 * Updates one live row if its version is still `expectedVersion`, bumping the version.
 * Returns 'stale' when someone else changed or deleted it first.
 */
export async function updateVersioned(
  db: Executor,
  table: VersionedTable,
  id: string,
  expectedVersion: number,
  patch: Record<string, unknown>,
  actorId: string | null,
  now: string,
): Promise<WriteOutcome> {
  const result = await (db as unknown as AnyDb)
    .updateTable(table)
    .set({ ...patch, version: sql`version + 1`, updatedAt: now, updatedBy: actorId })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? 'ok' : 'stale';
}

/** Soft-deletes (or, with `deleted: false`, restores) one row at `expectedVersion`. */
export async function setDeleted(
  db: Executor,
  table: VersionedTable,
  id: string,
  expectedVersion: number,
  deleted: boolean,
  actorId: string | null,
  now: string,
): Promise<WriteOutcome> {
  const result = await (db as unknown as AnyDb)
    .updateTable(table)
    .set({ deletedAt: deleted ? now : null, version: sql`version + 1`, updatedAt: now, updatedBy: actorId })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .where('deletedAt', deleted ? 'is' : 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? 'ok' : 'stale';
}
