import { parentPort, workerData } from 'node:worker_threads';
import type { AuditSync } from '../../config.ts';
import { openAuditWriterDatabase, syncSqliteWal, type DatabaseOptions } from '../../db/database.ts';
import { runAsSystem } from '../../db/row-security.ts';
import { toWorkerError, type WorkerReply } from '../../lib/worker-pool.ts';
import { AUDIT_SYNC_DELAY_MS, auditService, type AuditEvent } from './audit.service.ts';

/**
 * Events to append, as the main thread sends them; or, with `sync`, nothing to append: the main
 * thread committed rows itself and asks for them to be synced to the disk now.
 */
export interface AuditTask {
  events: AuditEvent[];
  sync?: boolean;
}

/** What the writer thread is started with. */
export interface AuditWriterOptions {
  database: DatabaseOptions;
  sync: AuditSync;
}

/** How long events wait for a busy database (a long import on the embedded one) before failing. */
const BUSY_RETRY_MS = 10 * 60_000;

const options = (workerData as { data: AuditWriterOptions }).data;
const deferSync = options.sync === 'batched';

// Its own connection (on SQLite to the audit file alone): waiting for the write lock blocks this
// thread, never the one answering requests.
// SQLite in WAL mode with synchronous = NORMAL: a commit is written to the WAL (it survives the
// process) and the WAL is synced at the next checkpoint, which this thread runs within a second of
// any commit. A crash of the machine itself can lose at most that second of rows, never the chain.
const database = openAuditWriterDatabase(options.database, { deferSync });
const embedded = database.dialect.name === 'sqlite';

let syncTimer: NodeJS.Timeout | undefined;
const syncSoon = () => {
  syncTimer ??= setTimeout(() => {
    syncTimer = undefined;
    syncSqliteWal(database).catch((error: unknown) => {
      // A checkpoint that cannot run now (a reader holds the WAL) is retried after the next commit.
      console.error('audit: checkpoint failed', error);
    });
  }, AUDIT_SYNC_DELAY_MS);
};

parentPort!.on('message', async ({ id, task }: { id: number; task: AuditTask }) => {
  let reply: WorkerReply;
  const started = Date.now();
  if (task.sync) {
    await syncSqliteWal(database).then(
      () => parentPort!.postMessage({ id, ok: true, value: null } satisfies WorkerReply),
      (error: unknown) =>
        parentPort!.postMessage({ id, ok: false, error: toWorkerError(error) } satisfies WorkerReply),
    );
    return;
  }
  for (;;) {
    try {
      // The server records what happened, whoever did it: the trail is written as the system.
      await runAsSystem(() => auditService.append(database.db, task.events, { deferSync }));
      if (embedded && deferSync) syncSoon();
      reply = { id, ok: true, value: null };
      break;
    } catch (error) {
      if (database.dialect.isBusy(error) && Date.now() - started < BUSY_RETRY_MS) continue;
      reply = { id, ok: false, error: toWorkerError(error) };
      break;
    }
  }
  parentPort!.postMessage(reply);
});
