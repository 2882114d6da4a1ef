import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase, type DatabaseOptions } from '../../db/database.ts';
import type { Actor } from '../../lib/actor.ts';
import { inSenderScope, toWorkerError, type WorkerMessage, type WorkerReply } from '../../lib/worker-pool.ts';
import { disputePetitionStatisticsService } from './dispute-petition.service.ts';
import { statisticsService, type StatisticsPeriod } from './statistics.service.ts';

/** A statistics task as the main thread sends it. */
export interface StatisticsTask {
  kind: 'registry' | 'disputePetition' | 'casework';
  actor: Actor;
  orgUnitId: string;
  period: StatisticsPeriod;
}

// Its own connection: SQLite in WAL mode lets it read beside the main thread's writes.
const database = openDatabase((workerData as { data: DatabaseOptions }).data);

parentPort!.on('message', (message: WorkerMessage<StatisticsTask>) =>
  inSenderScope(message, () => run(message)),
);

async function run({ id, task }: WorkerMessage<StatisticsTask>): Promise<void> {
  let reply: WorkerReply;
  try {
    const compute =
      task.kind === 'disputePetition'
        ? disputePetitionStatisticsService.computeDisputePetitionStatistics
        : task.kind === 'casework'
          ? statisticsService.computeCaseworkStatistics
          : statisticsService.computeRegistryStatistics;
    const value = await compute(database.db, task.actor, task.orgUnitId, task.period);
    reply = { id, ok: true, value };
  } catch (error) {
    reply = { id, ok: false, error: toWorkerError(error) };
  }
  parentPort!.postMessage(reply);
}
