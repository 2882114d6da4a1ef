import { parentPort, workerData } from 'node:worker_threads';
import { localDateText } from '@shiliuzi/shared/dates';
import type { RegistryStatistics } from '@shiliuzi/shared/statistics';
import { openDatabase, type DatabaseOptions, type Executor } from '../../db/database.ts';
import type { Actor } from '../../lib/actor.ts';
import { inSenderScope, toWorkerError, type WorkerMessage, type WorkerReply } from '../../lib/worker-pool.ts';
import { disputePetitionStatisticsService } from './dispute-petition.service.ts';
import { orgUnitService } from '../org-units/org-unit.service.ts';
import { statisticsRepository } from './statistics.repository.ts';
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

/**
 * A community's or street's registry figures, kept while the registers stay unchanged: a dashboard
 * opened again, or by the next worker of the same unit, is answered without counting again. SQLite
 * only, where `registersVersion` tells this connection (which never writes) of any commit made
 * since by another connection or process; every change made anywhere empties it. The scope check
 * runs on every request all the same. The figures depend on the unit, the period and today's date
 * (the default `to`), never on who asks once allowed to.
 */
const registryFigures = new Map<string, RegistryStatistics>();
let registryFiguresVersion: number | undefined;
const REGISTRY_FIGURES_KEPT = 500;

async function registryStatistics(
  db: Executor,
  actor: Actor,
  orgUnitId: string,
  period: StatisticsPeriod,
): Promise<RegistryStatistics> {
  const version = await statisticsRepository.registersVersion(db);
  if (version === undefined) return statisticsService.computeRegistryStatistics(db, actor, orgUnitId, period);
  if (version !== registryFiguresVersion) {
    registryFigures.clear();
    registryFiguresVersion = version;
  }
  await orgUnitService.requireOrgUnit(db, actor, orgUnitId);
  const key = JSON.stringify([orgUnitId, period.from ?? null, period.to ?? null, localDateText()]);
  const kept = registryFigures.get(key);
  if (kept) return kept;
  const figures = await statisticsService.computeRegistryStatistics(db, actor, orgUnitId, period);
  if (registryFigures.size >= REGISTRY_FIGURES_KEPT)
    registryFigures.delete(registryFigures.keys().next().value!);
  registryFigures.set(key, figures);
  return figures;
}

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
          : registryStatistics;
    const value = await compute(database.db, task.actor, task.orgUnitId, task.period);
    reply = { id, ok: true, value };
  } catch (error) {
    reply = { id, ok: false, error: toWorkerError(error) };
  }
  parentPort!.postMessage(reply);
}
