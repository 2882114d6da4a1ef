import type { Insertable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { AuditLogTable } from '../../db/schema.ts';

export type AuditRow = Insertable<AuditLogTable>;

/**
 * Takes the next `count` sequence numbers and the hash to chain from. Updating the head first takes
 * the write lock (SQLite) or the row lock (PostgreSQL), so writers in other processes wait their turn.
 */
async function claimSequence(db: Executor, count: number): Promise<{ firstSeq: number; prevHash: string }> {
  const head = await db
    .updateTable('auditHead')
    .set((eb) => ({ lastSeq: eb('lastSeq', '+', count) }))
    .where('id', '=', 1)
    .returning(['lastSeq', 'lastHash'])
    .executeTakeFirstOrThrow();
  return { firstSeq: Number(head.lastSeq) - count + 1, prevHash: head.lastHash };
}

async function appendRows(db: Executor, rows: readonly AuditRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('auditLog').values(rows).execute();
  const last = rows[rows.length - 1]!;
  await db.updateTable('auditHead').set({ lastHash: last.hash }).where('id', '=', 1).execute();
}

async function findHead(db: Executor) {
  return db.selectFrom('auditHead').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
}

/** Rows in sequence order, from `afterSeq` on. */
async function findRows(db: Executor, afterSeq: number, limit: number) {
  return db
    .selectFrom('auditLog')
    .selectAll()
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export const auditRepository = Object.freeze({ claimSequence, appendRows, findHead, findRows });
