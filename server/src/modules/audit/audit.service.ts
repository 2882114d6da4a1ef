import { createHash } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { Page, PageQuery } from '@shiliuzi/shared/api';
import type { AuditEntry, AuditFilter } from '@shiliuzi/shared/audit';
import { maskNumbersInText } from '@shiliuzi/shared/masking';
import type SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import {
  inTransaction,
  openSqliteAuditAppendConnection,
  type Database,
  type Executor,
} from '../../db/database.ts';
import { sqliteDialect } from '../../db/dialect.ts';
import { runAsSystem } from '../../db/row-security.ts';
import { orgSubtreeIds } from '../../db/scope.ts';
import { forbidden } from '../../errors.ts';
import { offsetOf, toPage } from '../../lib/pagination.ts';
import { canReadAudit } from '../../lib/permissions.ts';
import { WorkerPool } from '../../lib/worker-pool.ts';
import { auditCsvHeader, auditResultLabels } from '../../locales/audit.zh-CN.ts';
import { csvRecord } from '../exports/register-writers.ts';
import type { AuditTask, AuditWriterOptions } from './audit.worker.ts';
import type { AuditSync } from '../../config.ts';
import type { Actor } from '../../lib/actor.ts';
import { nowIso } from '../../lib/ids.ts';
import { auditRepository, type AuditQuery, type AuditRow } from './audit.repository.ts';
import { scheduleDaily } from '../../lib/daily-job.ts';

/** What happened: an act by someone (or an attempt), as the audit log keeps it. */
export interface AuditEvent {
  /** When it happened (UTC); default: when it is written. */
  at?: string;
  actor?: Pick<Actor, 'userId' | 'name' | 'roles' | 'orgUnitId'> | undefined;
  /** The user name typed at a login, when there is no actor yet. */
  username?: string | undefined;
  ip?: string | null | undefined;
  /** e.g. 'auth.login', 'resident.read', 'resident.reveal', 'export.register'. */
  action: string;
  objectType?: string | undefined;
  objectId?: string | undefined;
  result: 'ok' | 'denied' | 'failed';
  /** The user's stated reason (a reveal), or the refusal's error code. */
  reason?: string | undefined;
  /** Anything else worth keeping (query, status, counts); ID numbers and phones in it are masked. */
  detail?: Record<string, unknown> | undefined;
}

function redactValue(value: unknown): unknown {
  if (typeof value === 'string') return maskNumbersInText(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v)]));
  return value;
}

/** The content a row's hash covers, in a fixed order. */
function contentOf(row: Omit<AuditRow, 'hash' | 'prevHash'>): string {
  return JSON.stringify([
    Number(row.seq),
    row.at,
    row.userId ?? null,
    row.username ?? null,
    row.roles ?? null,
    row.orgUnitId ?? null,
    row.ip ?? null,
    row.action,
    row.objectType ?? null,
    row.objectId ?? null,
    row.result,
    row.reason ?? null,
    row.detail ?? null,
  ]);
}

export function chainHash(prevHash: string, row: Omit<AuditRow, 'hash' | 'prevHash'>): string {
  return createHash('sha256').update(prevHash).update('\n').update(contentOf(row)).digest('hex');
}

function toRow(event: AuditEvent, seq: number, at: string): Omit<AuditRow, 'hash' | 'prevHash'> {
  return {
    seq,
    at: event.at ?? at,
    userId: event.actor?.userId ?? null,
    username: event.actor?.name ?? (event.username === undefined ? null : maskNumbersInText(event.username)),
    roles: event.actor ? event.actor.roles.join(',') : null,
    orgUnitId: event.actor?.orgUnitId ?? null,
    ip: event.ip ?? null,
    action: event.action,
    objectType: event.objectType ?? null,
    objectId: event.objectId === undefined ? null : maskNumbersInText(event.objectId),
    result: event.result,
    reason: event.reason === undefined ? null : maskNumbersInText(event.reason),
    detail: event.detail === undefined ? null : JSON.stringify(redactValue(event.detail)),
  };
}

/** Appends events to the chain, in one transaction of their own. */
async function append(
  db: Executor,
  events: readonly AuditEvent[],
  { deferSync = false }: { deferSync?: boolean } = {},
): Promise<void> {
  if (events.length === 0) return;
  await inTransaction(db, async (trx) => {
    // PostgreSQL: the commit returns once the rows are in its WAL buffers; the WAL writer flushes them
    // within 200 ms (wal_writer_delay). The embedded writer's connection is set up for it (audit.worker.ts).
    if (deferSync) await auditRepository.deferCommitSync(trx);
    const { firstSeq, prevHash } = await auditRepository.claimSequence(trx, events.length);
    await auditRepository.appendRows(trx, chainedRows(events, firstSeq, prevHash));
  });
}

/** The events as rows numbered from `firstSeq`, each hash chained to the one before. */
function chainedRows(events: readonly AuditEvent[], firstSeq: number, prevHash: string): AuditRow[] {
  const at = nowIso();
  let prev = prevHash;
  return events.map((event, i) => {
    const row = toRow(event, firstSeq + i, at);
    const hash = chainHash(prev, row);
    const full = { ...row, prevHash: prev, hash };
    prev = hash;
    return full;
  });
}

/** `batched` on the embedded database: the longest a committed row waits to be synced to the disk. */
export const AUDIT_SYNC_DELAY_MS = 1000;

/**
 * The audit trail of one database: events are queued and written together (one transaction for
 * whatever arrived meanwhile), so auditing every read costs a request little. `record` resolves once
 * the event is committed; acts that must not go unrecorded (a reveal, an export) wait for it.
 *
 * Where they are written: on the embedded database with `batched` sync, by this thread itself, on a
 * connection of its own to the audit file that never waits for a lock — the commit is a write to the
 * WAL (about 0.2 ms), less than handing the rows to a thread and back (about 0.8 ms a read on 2 cores);
 * the writer thread syncs the WAL to the disk within a second, off this thread. While other requests
 * are being answered (`othersWaiting`), whenever another connection holds the file (a CLI command, the
 * retention job), and always on PostgreSQL or with `full` sync, the rows go to the writer thread
 * (audit.worker.ts), whose own connection waits its turn, so a busy database never stalls the thread
 * answering requests.
 */
export function createAuditTrail(
  database: Database,
  onError: (error: unknown) => void,
  sync: AuditSync = 'batched',
  /**
   * Whether other requests are being answered meanwhile: rows then go to the writer thread, on the
   * other core, so that this thread answers them sooner (under load a commit here would cost every
   * request in line).
   */
  othersWaiting: () => boolean = () => false,
) {
  const writer: AuditWriterOptions = { database: database.options, sync };
  const pool = new WorkerPool<AuditTask>(new URL('./audit.worker.ts', import.meta.url), writer);
  const appendsHere = sync === 'batched' && database.dialect.name === 'sqlite';
  let here: SqliteDatabase.Database | undefined;
  let appendHere: ReturnType<typeof auditRepository.sqliteAppender> | undefined;
  let syncTimer: NodeJS.Timeout | undefined;
  let queue: { event: AuditEvent; done: () => void; fail: (e: unknown) => void }[] = [];
  let flushing: Promise<void> | undefined;

  // A sync that fails is logged; the next commit here asks for one again.
  const syncToDisk = () =>
    pool
      .run({ events: [], sync: true })
      .catch((error: unknown) =>
        onError(new Error('syncing the audit WAL to the disk failed', { cause: error })),
      );

  /** Commits the events on this thread; false when the audit file is locked by another connection. */
  const appendedHere = (events: AuditEvent[]): boolean => {
    if (!appendsHere || othersWaiting()) return false;
    try {
      here ??= openSqliteAuditAppendConnection(database.options);
      appendHere ??= auditRepository.sqliteAppender(here);
      appendHere(events.length, (firstSeq, prevHash) => chainedRows(events, firstSeq, prevHash));
    } catch (error) {
      if (sqliteDialect.isBusy(error)) return false;
      throw error;
    }
    syncTimer ??= setTimeout(() => {
      syncTimer = undefined;
      void syncToDisk();
    }, AUDIT_SYNC_DELAY_MS).unref();
    return true;
  };

  const flush = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      const events = batch.map((entry) => entry.event);
      try {
        if (!appendedHere(events)) await pool.run({ events });
        for (const entry of batch) entry.done();
      } catch (error) {
        onError(error);
        for (const entry of batch) entry.fail(error);
      }
    }
  };

  // An event queued after the flush loop found the queue empty but before it ended would wait for the
  // next event to be written: the end of each flush looks again.
  const schedule = () => {
    flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(flush).finally(() => {
      flushing = undefined;
      if (queue.length > 0) schedule();
    });
  };

  return {
    record(event: AuditEvent): Promise<void> {
      const written = new Promise<void>((resolve, reject) =>
        queue.push({ event: { ...event, at: event.at ?? nowIso() }, done: resolve, fail: reject }),
      );
      schedule();
      return written;
    },
    /** Writes everything recorded so far, syncs what this thread committed, then stops the worker. */
    async close(): Promise<void> {
      while (flushing) await flushing;
      clearTimeout(syncTimer);
      syncTimer = undefined;
      if (here) {
        // Closing, nothing is waiting for this thread: it syncs its own rows.
        try {
          here.pragma('wal_checkpoint(PASSIVE)');
        } finally {
          here.close();
        }
      }
      await pool.close();
    },
  };
}
export type AuditTrail = ReturnType<typeof createAuditTrail>;

/** The first row that breaks the chain, or none: the answer of `shiliuzi audit verify`. */
export interface AuditVerification {
  rows: number;
  firstBad?: { seq: number; problem: 'hash' | 'link' | 'gap' | 'head' };
}

async function verify(db: Executor): Promise<AuditVerification> {
  // The chain starts where the retention job left it (row 1 and the zero hash when nothing was removed).
  const start = await auditRepository.findHead(db);
  let prevHash = start.firstPrevHash;
  let expectedSeq = Number(start.firstSeq);
  let rows = 0;
  for (;;) {
    const page = await auditRepository.findRows(db, expectedSeq - 1, 5000);
    if (page.length === 0) break;
    for (const row of page) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) return { rows, firstBad: { seq: expectedSeq, problem: 'gap' } };
      if (row.prevHash !== prevHash) return { rows, firstBad: { seq, problem: 'link' } };
      const { hash, prevHash: _prev, ...content } = row;
      if (chainHash(prevHash, content) !== hash) return { rows, firstBad: { seq, problem: 'hash' } };
      prevHash = hash;
      expectedSeq += 1;
      rows += 1;
    }
  }
  const head = await auditRepository.findHead(db);
  if (Number(head.lastSeq) !== expectedSeq - 1 || head.lastHash !== prevHash)
    return { rows, firstBad: { seq: expectedSeq, problem: 'head' } };
  return { rows };
}

/** The shortest time audit rows are kept (GB/T 22239-2019 level 3: at least six months). */
export const MIN_AUDIT_RETENTION_DAYS = 180;

/**
 * The daily retention job of a server: a minute after start, then every day, removes audit rows
 * older than `retentionDays` in small batches, so requests wait little between them.
 */
export function startAuditRetention(
  database: Database,
  retentionDays: number,
  log: { info: (o: object, m: string) => void; error: (o: object, m: string) => void },
): { stop: () => void } {
  const run = async () => {
    try {
      // A job of the server's own: the system removes rows of every org unit.
      const { removed, cutoff } = await runAsSystem(() =>
        prune(database.db, retentionDays, new Date(), 2_000),
      );
      if (removed > 0) log.info({ removed, cutoff }, 'audit retention: old rows removed');
    } catch (error) {
      log.error({ err: error }, 'audit retention failed');
    }
  };
  return scheduleDaily(60_000, run);
}

/**
 * Removes audit rows older than `retentionDays` (never fewer than 180: the database refuses to
 * delete a younger row), oldest first, a batch per transaction so writers wait little. The chain
 * start moves with them, so `verify` still checks every link that is left.
 */
async function prune(
  db: Executor,
  retentionDays: number,
  now = new Date(),
  batchSize = 10_000,
): Promise<{ removed: number; cutoff: string }> {
  if (retentionDays < MIN_AUDIT_RETENTION_DAYS)
    throw new RangeError(`audit retention must be at least ${MIN_AUDIT_RETENTION_DAYS} days`);
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
  const boundary = await auditRepository.findPruneBoundary(db, cutoff);
  let removed = 0;
  for (;;) {
    const batch = await inTransaction(db, (trx) => auditRepository.removeOldest(trx, boundary, batchSize));
    if (batch === 0) break;
    removed += batch;
  }
  return { removed, cutoff };
}

export const auditService = Object.freeze({ append, verify, prune });

/** The part of the log an auditor may see: acts by users of their subtree; at the top of the tree also acts by no known user. */
function auditScope(db: Executor, actor: Actor, filter: AuditFilter): AuditQuery {
  if (!canReadAudit(actor)) throw forbidden();
  // Dates are China's calendar days: [from 00:00, to + 1 day 00:00) in UTC+8.
  const dayStart = (date: string, plusDays = 0) =>
    new Date(Date.parse(`${date}T00:00:00+08:00`) + plusDays * 86_400_000).toISOString();
  return {
    orgUnitIds: orgSubtreeIds(db, actor.scopePath),
    includeUnattributed: actor.scopePath.split('/').filter(Boolean).length === 1,
    fromAt: filter.from ? dayStart(filter.from) : undefined,
    toAt: filter.to ? dayStart(filter.to, 1) : undefined,
    username: filter.username,
    action: filter.action,
    result: filter.result,
  };
}

function toEntry(row: Awaited<ReturnType<typeof auditRepository.findRows>>[number]): AuditEntry {
  return {
    seq: Number(row.seq),
    at: row.at,
    userId: row.userId,
    username: row.username,
    roles: row.roles,
    orgUnitId: row.orgUnitId,
    ip: row.ip,
    action: row.action,
    objectType: row.objectType,
    objectId: row.objectId,
    result: row.result as AuditEntry['result'],
    reason: row.reason,
    detail: row.detail,
  };
}

async function listEntries(
  db: Executor,
  actor: Actor,
  filter: AuditFilter,
  page: PageQuery,
): Promise<Page<AuditEntry>> {
  const query = auditScope(db, actor, filter);
  const { rows, total } = await auditRepository.findEntries(db, query, {
    offset: offsetOf(page),
    limit: page.pageSize,
  });
  return toPage(rows.map(toEntry), total, page);
}

/**
 * The log as CSV for Excel (UTF-8 with BOM), oldest first: checks the actor at once (throws when they
 * may not read it), then answers the writer that streams it to an output as it is read.
 */
function exportEntries(db: Executor, actor: Actor, filter: AuditFilter) {
  const query = auditScope(db, actor, filter);
  return (output: Writable) => writeEntries(db, query, output);
}

async function writeEntries(db: Executor, query: AuditQuery, output: Writable): Promise<void> {
  const write = (text: string) =>
    output.write(text) ? Promise.resolve() : new Promise<void>((resolve) => output.once('drain', resolve));
  await write(`\uFEFF${csvRecord(auditCsvHeader)}`);
  for await (const row of auditRepository.streamEntries(db, query)) {
    const e = toEntry(row);
    await write(
      csvRecord([
        e.seq,
        e.at,
        e.username,
        e.roles,
        e.orgUnitId,
        e.ip,
        e.action,
        e.objectType,
        e.objectId,
        auditResultLabels[e.result],
        e.reason,
        e.detail,
      ]),
    );
  }
  output.end();
}

export const auditReadService = Object.freeze({ listEntries, exportEntries });
