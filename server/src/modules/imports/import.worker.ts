import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase, type DatabaseOptions } from '../../db/database.ts';
import type { Actor } from '../../lib/actor.ts';
import { toWorkerError, type WorkerReply } from '../../lib/worker-pool.ts';
import { importRegisterFile } from './import-file.ts';

/** An import as the main thread sends it. */
export interface ImportTask {
  actor: Actor;
  filePath: string;
  fileName: string;
  fileSha256: string;
  orgUnitId: string;
  dryRun: boolean;
  holdInvalidIdNumbers: boolean;
}

// Its own connection: the import's transaction never holds the one the API answers with.
const database = openDatabase((workerData as { data: DatabaseOptions }).data);

parentPort!.on('message', async ({ id, task }: { id: number; task: ImportTask }) => {
  let reply: WorkerReply;
  try {
    const value = await importRegisterFile(database.db, task.actor, {
      filePath: task.filePath,
      fileName: task.fileName,
      fileSha256: task.fileSha256,
      orgUnitId: task.orgUnitId,
      dryRun: task.dryRun,
      holdInvalidIdNumbers: task.holdInvalidIdNumbers,
      // Every 500 rows is enough for a progress bar and cheap to send.
      onProgress: (done) => {
        if (done % 500 === 0) parentPort!.postMessage({ id, progress: done } satisfies WorkerReply);
      },
    });
    reply = { id, ok: true, value };
  } catch (error) {
    reply = { id, ok: false, error: toWorkerError(error) };
  }
  parentPort!.postMessage(reply);
});
