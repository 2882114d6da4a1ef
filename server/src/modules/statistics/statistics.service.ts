import { isMinority } from '@shiliuzi/shared/ethnicity';
import type { RegistryStatistics } from '@shiliuzi/shared/statistics';
import type { Database, Executor } from '../../db/database.ts';
import { WorkerPool } from '../../lib/worker-pool.ts';
import type { StatisticsTask } from './statistics.worker.ts';
import type { Actor } from '../../lib/actor.ts';
import { orgUnitService, scopeOf } from '../org-units/org-unit.service.ts';
import { statisticsRepository } from './statistics.repository.ts';

export interface StatisticsPeriod {
  /** Start of the period for moves in and out; defaults to 1 January of `to`'s year. */
  from?: string | undefined;
  /** The date the figures are taken on; defaults to today. */
  to?: string | undefined;
}

/** Registry figures for the subtree of one org unit (visible to the actor), counted in SQL. */
async function computeRegistryStatistics(
  db: Executor,
  actor: Actor,
  orgUnitId: string,
  period: StatisticsPeriod = {},
  today: string = new Date().toISOString().slice(0, 10),
): Promise<RegistryStatistics> {
  const org = await orgUnitService.requireOrgUnit(db, actor, orgUnitId);
  const asOf = period.to ?? today;
  const from = period.from ?? `${asOf.slice(0, 4)}-01-01`;
  const scope = scopeOf(org);
  const [byEthnicityRows, households, couples, moves, units, places] = await Promise.all([
    statisticsRepository.countResidentsByEthnicity(db, scope, asOf),
    statisticsRepository.countHouseholds(db, scope),
    statisticsRepository.countInterEthnicCouples(db, scope, asOf),
    statisticsRepository.countMoves(db, scope, from, asOf),
    statisticsRepository.countOrgUnitsByType(db, scope),
    statisticsRepository.countPlacesByKind(db, scope),
  ]);
  // Rows come per org unit and ethnicity; the figures add them up by ethnicity.
  const counted: Record<string, number> = {};
  let floating = 0;
  for (const row of byEthnicityRows) {
    counted[row.ethnicityCode] = (counted[row.ethnicityCode] ?? 0) + Number(row.n);
    floating += Number(row.floating);
  }
  const byEthnicity: Record<string, number> = {};
  let residents = 0;
  let minorityResidents = 0;
  let minorityGroups = 0;
  for (const code of Object.keys(counted).sort()) {
    const n = counted[code]!;
    byEthnicity[code] = n;
    residents += n;
    if (isMinority(code)) {
      minorityResidents += n;
      minorityGroups += 1;
    }
  }
  const unitCount = (type: string) => Number(units.find((u) => u.type === type)?.n ?? 0);
  const placeCount = (kind: string, rentalOnly = false) =>
    places
      .filter((p) => p.kind === kind && (!rentalOnly || Boolean(p.isRental)))
      .reduce((sum, p) => sum + Number(p.n), 0);
  return {
    orgUnitId: org.id,
    orgCode: org.code,
    orgName: org.name,
    from,
    asOf,
    residents,
    households,
    minorityResidents,
    minorityShare: residents === 0 ? 0 : minorityResidents / residents,
    minorityGroups,
    byEthnicity,
    interEthnicCouples: couples,
    floatingResidents: floating,
    movedIn: moves.movedIn,
    movedOut: moves.movedOut,
    grids: unitCount('grid'),
    memberUnits: unitCount('unit'),
    buildings: placeCount('building'),
    entrances: placeCount('entrance'),
    dwellings: placeCount('dwelling'),
    rentalDwellings: placeCount('dwelling', true),
  };
}

export const statisticsService = Object.freeze({ computeRegistryStatistics });

/** Computes statistics on a worker thread with its own connection (see statistics.worker.ts). */
export function createStatisticsRunner(database: Database) {
  const pool = new WorkerPool<StatisticsTask>(
    new URL('./statistics.worker.ts', import.meta.url),
    database.options,
  );
  return {
    computeRegistryStatistics: (actor: Actor, orgUnitId: string, period: StatisticsPeriod = {}) =>
      pool.run<RegistryStatistics>({ kind: 'registry', actor, orgUnitId, period }),
    close: () => pool.close(),
  };
}
export type StatisticsRunner = ReturnType<typeof createStatisticsRunner>;
