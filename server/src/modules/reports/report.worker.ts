import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase, type DatabaseOptions } from '../../db/database.ts';
import type { Actor } from '../../lib/actor.ts';
import { inSenderScope, toWorkerError, type WorkerMessage, type WorkerReply } from '../../lib/worker-pool.ts';
import type { StatisticsPeriod } from '../statistics/statistics.service.ts';
import { reportService } from './report.service.ts';

/** A report task as the main thread sends it. */
export interface ReportTask {
  kind: 'basic';
  actor: Actor;
  orgUnitId: string;
  period: StatisticsPeriod;
}

// Its own connection: SQLite in WAL mode lets it read beside the main thread's writes.
const database = openDatabase((workerData as { data: DatabaseOptions }).data);

parentPort!.on('message', (message: WorkerMessage<ReportTask>) => inSenderScope(message, () => run(message)));

async function run({ id, task }: WorkerMessage<ReportTask>): Promise<void> {
  try {
    const report = await reportService.generateBasicReport(
      database.db,
      task.actor,
      task.orgUnitId,
      task.period,
    );
    const reply: WorkerReply = { id, ok: true, value: report };
    // The document's bytes move to the main thread instead of being copied.
    parentPort!.postMessage(reply, [report.buffer.buffer as ArrayBuffer]);
  } catch (error) {
    const reply: WorkerReply = { id, ok: false, error: toWorkerError(error) };
    parentPort!.postMessage(reply);
  }
}
