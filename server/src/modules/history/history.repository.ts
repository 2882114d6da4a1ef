import { insertMany } from '../../db/bulk-insert.ts';
import type { Executor } from '../../db/database.ts';
import type { ChangeLogRow } from '../../db/schema.ts';

async function insertChange(db: Executor, row: ChangeLogRow): Promise<void> {
  await db.insertInto('changeLog').values(row).execute();
}

async function insertChanges(db: Executor, rows: ChangeLogRow[]): Promise<void> {
  await insertMany(db, 'changeLog', rows);
}

async function findChanges(db: Executor, entityType: string, entityId: string, limit: number) {
  return db
    .selectFrom('changeLog')
    .selectAll()
    .where('entityType', '=', entityType)
    .where('entityId', '=', entityId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

/** Empties the snapshots of these records' history: who changed them and when stays. */
async function clearSnapshots(db: Executor, entityType: string, entityIds: readonly string[]): Promise<void> {
  if (entityIds.length === 0) return;
  await db
    .updateTable('changeLog')
    .set({ before: null, after: null })
    .where('entityType', '=', entityType)
    .where('entityId', 'in', entityIds)
    .execute();
}

async function deleteChanges(db: Executor, entityType: string, entityIds: readonly string[]): Promise<void> {
  if (entityIds.length === 0) return;
  await db
    .deleteFrom('changeLog')
    .where('entityType', '=', entityType)
    .where('entityId', 'in', entityIds)
    .execute();
}

export const historyRepository = Object.freeze({
  insertChange,
  insertChanges,
  findChanges,
  clearSnapshots,
  deleteChanges,
});
