import { parentPort, workerData } from 'node:worker_threads';
import { KeyError } from '../../lib/keys.ts';
import type { WorkerReply } from '../../lib/worker-pool.ts';
import { BackupError } from './backup-error.ts';
import { backupService, type BackupConfig } from './backup.service.ts';

/** One scheduled backup, as the server's scheduler sends it. */
export interface BackupTask {
  file: string;
}

// A thread of its own: the SQLite copy and the manifest are synchronous and long, and must not
// stall the event loop that answers requests.
const config = (workerData as { data: BackupConfig }).data;

parentPort!.on('message', async ({ id, task }: { id: number; task: BackupTask }) => {
  let reply: WorkerReply;
  try {
    reply = { id, ok: true, value: await backupService.createBackup(config, task.file) };
  } catch (error) {
    reply = { id, ok: false, error: { message: describeFailure(error) } };
  }
  parentPort!.postMessage(reply);
});

/** Precise English for the log, with the Chinese a person would have been shown. */
function describeFailure(error: unknown): string {
  if (error instanceof BackupError) return `${error.code}: ${error.detail ?? ''} (${error.message})`;
  if (error instanceof KeyError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
