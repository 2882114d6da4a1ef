import type SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import { sql, type Insertable } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { insertMany } from '../../db/bulk-insert.ts';
import { toSnakeCase } from '../../db/camel-case.ts';
import { dialectOf } from '../../db/dialect-of.ts';
import type { AuditLogTable } from '../../db/schema.ts';
import type { orgSubtreeIds } from '../../db/scope.ts';

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
  // One statement text per batch size, bound, not rebuilt by the query builder for every read audited.
  await insertMany(db, 'auditLog', rows);
  const last = rows[rows.length - 1]!;
  await db.updateTable('auditHead').set({ lastHash: last.hash }).where('id', '=', 1).execute();
}

/** The columns of `audit_log`, in the order the appender binds them. */
const auditColumns = [
  'seq',
  'at',
  'userId',
  'username',
  'roles',
  'orgUnitId',
  'ip',
  'action',
  'objectType',
  'objectId',
  'result',
  'reason',
  'detail',
  'prevHash',
  'hash',
] as const satisfies readonly (keyof AuditLogTable)[];

/**
 * SQLite, on a connection of its own to the audit file: `claimSequence` and `appendRows` as one
 * synchronous transaction of prepared statements (about half the time of the same through the query
 * builder, which matters on the thread answering requests). `rowsFor` builds the rows from the
 * sequence and hash the head gives. Throws SQLITE_BUSY at once when the file is locked (the
 * connection's busy timeout is 0); the transaction then wrote nothing.
 */
function sqliteAppender(sqlite: SqliteDatabase.Database) {
  const claim = sqlite.prepare<[number], { lastSeq: number; lastHash: string }>(
    'update audit_head set last_seq = last_seq + ? where id = 1 returning last_seq as lastSeq, last_hash as lastHash',
  );
  const insert = sqlite.prepare(
    `insert into audit_log (${auditColumns.map(toSnakeCase).join(', ')}) values (${auditColumns.map(() => '?').join(', ')})`,
  );
  const setHead = sqlite.prepare<[string]>('update audit_head set last_hash = ? where id = 1');
  const append = sqlite.transaction(
    (count: number, rowsFor: (firstSeq: number, prevHash: string) => AuditRow[]) => {
      const head = claim.get(count);
      if (!head) throw new Error('audit_head has no row 1');
      const rows = rowsFor(head.lastSeq - count + 1, head.lastHash);
      for (const row of rows) insert.run(auditColumns.map((column) => row[column] ?? null));
      setHead.run(rows[rows.length - 1]!.hash);
    },
  );
  return (count: number, rowsFor: (firstSeq: number, prevHash: string) => AuditRow[]): void =>
    append.immediate(count, rowsFor);
}

/** PostgreSQL: this transaction's commit does not wait for its WAL to reach the disk. */
async function deferCommitSync(trx: Executor): Promise<void> {
  if (dialectOf(trx).name === 'postgres') await sql`set local synchronous_commit = off`.execute(trx);
}

async function findHead(db: Executor) {
  return db.selectFrom('auditHead').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
}

/**
 * The last row the retention job may remove: every row up to it is older than `cutoff` (rows are
 * numbered as they are written, so a row a little out of time order stops the prefix).
 */
async function findPruneBoundary(db: Executor, cutoff: string): Promise<number> {
  const { firstYoung } = await db
    .selectFrom('auditLog')
    .select((eb) => eb.fn.min('seq').as('firstYoung'))
    .where('at', '>=', cutoff)
    .executeTakeFirstOrThrow();
  if (firstYoung !== null) return Number(firstYoung) - 1;
  const head = await findHead(db);
  return Number(head.lastSeq);
}

/**
 * Removes the rows from where the chain starts up to `uptoSeq` (at most `limit` of them) and moves
 * the start of the chain past them; answers how many went.
 */
async function removeOldest(db: Executor, uptoSeq: number, limit: number): Promise<number> {
  const head = await findHead(db);
  const first = Number(head.firstSeq);
  const last = Math.min(uptoSeq, first + limit - 1);
  if (last < first) return 0;
  const lastRow = await db
    .selectFrom('auditLog')
    .select(['seq', 'hash'])
    .where('seq', '<=', last)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!lastRow) return 0;
  const removed = await db.deleteFrom('auditLog').where('seq', '<=', last).executeTakeFirst();
  await db
    .updateTable('auditHead')
    .set({ firstSeq: Number(lastRow.seq) + 1, firstPrevHash: lastRow.hash })
    .where('id', '=', 1)
    .execute();
  return Number(removed.numDeletedRows);
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

export interface AuditQuery {
  /** Org units whose users' acts are shown; `includeUnattributed`: also acts by no known user (failed logins). */
  orgUnitIds: ReturnType<typeof orgSubtreeIds>;
  includeUnattributed: boolean;
  fromAt?: string | undefined;
  toAt?: string | undefined;
  username?: string | undefined;
  action?: string | undefined;
  result?: string | undefined;
}

function filtered(db: Executor, q: AuditQuery) {
  let query = db
    .selectFrom('auditLog')
    .where((eb) =>
      q.includeUnattributed
        ? eb.or([eb('auditLog.orgUnitId', 'in', q.orgUnitIds), eb('auditLog.orgUnitId', 'is', null)])
        : eb('auditLog.orgUnitId', 'in', q.orgUnitIds),
    );
  if (q.fromAt) query = query.where('auditLog.at', '>=', q.fromAt);
  if (q.toAt) query = query.where('auditLog.at', '<', q.toAt);
  if (q.username) query = query.where('auditLog.username', '=', q.username);
  if (q.action) query = query.where('auditLog.action', '=', q.action);
  if (q.result) query = query.where('auditLog.result', '=', q.result);
  return query;
}

/** A page of the log, newest first. */
async function findEntries(db: Executor, q: AuditQuery, page: { offset: number; limit: number }) {
  const [rows, count] = await Promise.all([
    filtered(db, q)
      .selectAll('auditLog')
      .orderBy('auditLog.seq', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    filtered(db, q)
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}

/** Every entry of the query, oldest first, a page at a time (for the export). */
async function* streamEntries(db: Executor, q: AuditQuery) {
  let after = 0;
  for (;;) {
    const rows = await filtered(db, q)
      .selectAll('auditLog')
      .where('auditLog.seq', '>', after)
      .orderBy('auditLog.seq')
      .limit(2000)
      .execute();
    if (rows.length === 0) return;
    yield* rows;
    after = Number(rows[rows.length - 1]!.seq);
  }
}

export const auditRepository = Object.freeze({
  claimSequence,
  appendRows,
  sqliteAppender,
  deferCommitSync,
  findHead,
  findPruneBoundary,
  removeOldest,
  findRows,
  findEntries,
  streamEntries,
});
