import { parentPort, workerData } from 'node:worker_threads';
import { openAuditWriterDatabase, type DatabaseOptions } from '../../db/database.ts';
import { runAsSystem } from '../../db/row-security.ts';
import { toWorkerError, type WorkerReply } from '../../lib/worker-pool.ts';
import { auditService, type AuditEvent } from './audit.service.ts';

/** Events to append, as the main thread sends them. */
export interface AuditTask {
  events: AuditEvent[];
}

/** How long events wait for a busy database (a long import on the embedded one) before failing. */
const BUSY_RETRY_MS = 10 * 60_000;

// Its own connection (on SQLite to the audit file alone): waiting for the write lock blocks this
// thread, never the one answering requests.
const database = openAuditWriterDatabase((workerData as { data: DatabaseOptions }).data);

parentPort!.on('message', async ({ id, task }: { id: number; task: AuditTask }) => {
  let reply: WorkerReply;
  const started = Date.now();
  for (;;) {
    try {
      // The server records what happened, whoever did it: the trail is written as the system.
      await runAsSystem(() => auditService.append(database.db, task.events));
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
