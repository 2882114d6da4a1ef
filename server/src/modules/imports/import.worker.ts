import { parentPort, workerData } from 'node:worker_threads';
import type { SheetLayout } from '@shiliuzi/shared/imports';
import { openDatabase, type DatabaseOptions } from '../../db/database.ts';
import type { Actor } from '../../lib/actor.ts';
import { fromFieldKeysMessage, installFieldKeys, type FieldKeysMessage } from '../../lib/field-crypto.ts';
import { inSenderScope, toWorkerError, type WorkerMessage, type WorkerReply } from '../../lib/worker-pool.ts';
import { importRegisterFile } from './import-file.ts';
import type { ImportTemplate } from './reading/layout.ts';

/** An import as the main thread sends it. */
export interface ImportTask {
  actor: Actor;
  filePath: string;
  fileName: string;
  fileSha256: string;
  orgUnitId: string;
  dryRun: boolean;
  holdInvalidIdNumbers: boolean;
  /** Layouts the user corrected after a dry run (by sheet name). */
  layouts?: SheetLayout[];
  /** A saved mapping applied to the detected layouts. */
  template?: ImportTemplate;
}

/** What the import worker starts with: how to open the database, and the keys to seal fields with. */
export interface ImportWorkerData {
  database: DatabaseOptions;
  fieldKeys: FieldKeysMessage;
}

const data = (workerData as { data: ImportWorkerData }).data;
installFieldKeys(fromFieldKeysMessage(data.fieldKeys));
// Its own connection: the import's transaction never holds the one the API answers with.
const database = openDatabase(data.database);

parentPort!.on('message', (message: WorkerMessage<ImportTask>) => inSenderScope(message, () => run(message)));

async function run({ id, task }: WorkerMessage<ImportTask>): Promise<void> {
  let reply: WorkerReply;
  try {
    const value = await importRegisterFile(database.db, task.actor, {
      filePath: task.filePath,
      fileName: task.fileName,
      fileSha256: task.fileSha256,
      orgUnitId: task.orgUnitId,
      dryRun: task.dryRun,
      holdInvalidIdNumbers: task.holdInvalidIdNumbers,
      ...(task.layouts ? { layouts: task.layouts } : {}),
      ...(task.template ? { template: task.template } : {}),
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
}
