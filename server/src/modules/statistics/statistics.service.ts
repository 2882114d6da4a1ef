import { localDateText, yearsBefore } from '@shiliuzi/shared/dates';
import { isMinority } from '@shiliuzi/shared/ethnicity';
import { ageBandStarts, type ChildStatistics, type RegistryStatistics } from '@shiliuzi/shared/statistics';
import type { Database, Executor } from '../../db/database.ts';
import { WorkerPool } from '../../lib/worker-pool.ts';
import type { StatisticsTask } from './statistics.worker.ts';
import type { Actor } from '../../lib/actor.ts';
import { orgUnitService, scopeOf } from '../org-units/org-unit.service.ts';
import { statisticsRepository } from './statistics.repository.ts';
import type { DisputePetitionStatistics } from './dispute-petition.service.ts';
import { ratio, type CaseworkStatistics } from '@shiliuzi/shared/casework-visits';
import { caseworkStatisticsRepository } from './casework-statistics.repository.ts';

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
  today: string = localDateText(),
): Promise<RegistryStatistics> {
  const org = await orgUnitService.requireOrgUnit(db, actor, orgUnitId);
  const asOf = period.to ?? today;
  const from = period.from ?? `${asOf.slice(0, 4)}-01-01`;
  const scope = scopeOf(org);
  const [byEthnicityRows, householdRows, couples, moves, units, places, bandRows, scopeUnits] =
    await Promise.all([
      statisticsRepository.countResidentsByEthnicity(db, scope, asOf),
      statisticsRepository.countHouseholds(db, scope),
      statisticsRepository.countInterEthnicCouples(db, scope, asOf),
      statisticsRepository.countMoves(db, scope, from, asOf),
      statisticsRepository.countOrgUnitsByType(db, scope),
      statisticsRepository.countPlacesByKind(db, scope),
      statisticsRepository.countResidentsByAgeBand(
        db,
        scope,
        asOf,
        ageBandStarts.map((start) => yearsBefore(asOf, start)),
      ),
      statisticsRepository.findScopeUnits(db, scope),
    ]);
  const children = rollUpToChildren(org, scopeUnits);
  // Rows come per org unit and ethnicity; the figures add them up by ethnicity and by child unit.
  const counted: Record<string, number> = {};
  let floating = 0;
  for (const row of byEthnicityRows) {
    const n = Number(row.n);
    counted[row.ethnicityCode] = (counted[row.ethnicityCode] ?? 0) + n;
    floating += Number(row.floating);
    const child = children.rowOf(row.orgUnitId);
    child.residents += n;
    child.floatingResidents += Number(row.floating);
    if (isMinority(row.ethnicityCode)) child.minorityResidents += n;
  }
  let households = 0;
  for (const row of householdRows) {
    households += Number(row.n);
    children.rowOf(row.orgUnitId).households += Number(row.n);
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
    byChild: children.rows(),
    ageBands: toAgeBands(bandRows),
  };
}

/**
 * Rows for the direct children of `org`, each collecting the figures of its whole subtree, plus a
 * row without an org unit for records kept on `org` itself (shown only when it holds any).
 */
function rollUpToChildren(
  org: { id: string; path: string },
  scopeUnits: { id: string; code: string; name: string; type: string; path: string }[],
) {
  const depth = org.path.split('/').filter(Boolean).length;
  const byChildId = new Map<string, ChildStatistics>();
  const childOf = new Map<string, ChildStatistics>();
  const empty = (unit: (typeof scopeUnits)[number] | null): ChildStatistics => ({
    orgUnitId: unit?.id ?? null,
    code: unit?.code ?? null,
    name: unit?.name ?? null,
    type: unit?.type ?? null,
    residents: 0,
    households: 0,
    minorityResidents: 0,
    floatingResidents: 0,
  });
  for (const unit of scopeUnits) {
    const ids = unit.path.split('/').filter(Boolean);
    if (ids.length === depth + 1) byChildId.set(unit.id, empty(unit));
  }
  for (const unit of scopeUnits) {
    const childId = unit.path.split('/').filter(Boolean)[depth];
    const row = childId === undefined ? undefined : byChildId.get(childId);
    if (row) childOf.set(unit.id, row);
  }
  const own = empty(null);
  return {
    rowOf: (orgUnitId: string) => childOf.get(orgUnitId) ?? own,
    rows: () => {
      const rows = [...byChildId.values()];
      return own.residents > 0 || own.households > 0 ? [...rows, own] : rows;
    },
  };
}

function toAgeBands(rows: { band: number; gender: string; n: number }[]) {
  const bands = ageBandStarts.map((start, i) => ({
    from: start,
    to: i + 1 < ageBandStarts.length ? ageBandStarts[i + 1]! - 1 : null,
    male: 0,
    female: 0,
  }));
  for (const row of rows) {
    const band = bands[Number(row.band)]!;
    if (row.gender === 'male') band.male += Number(row.n);
    else if (row.gender === 'female') band.female += Number(row.n);
  }
  return bands;
}

/**
 * Casework figures (visits, must-visits, pairing, assistance) for the subtree of one org unit and
 * the period [from, asOf], counted in SQL. Coverage = minority households paired on `asOf` ÷
 * minority households; compliance = active pairings contacted within their frequency ÷ active
 * pairings; each 0 when there is nothing to divide by. Amounts are fen.
 */
async function computeCaseworkStatistics(
  db: Executor,
  actor: Actor,
  orgUnitId: string,
  period: StatisticsPeriod = {},
  today: string = localDateText(),
): Promise<CaseworkStatistics> {
  const org = await orgUnitService.requireOrgUnit(db, actor, orgUnitId);
  const asOf = period.to ?? today;
  const from = period.from ?? `${asOf.slice(0, 4)}-01-01`;
  const scope = scopeOf(org);
  const repo = caseworkStatisticsRepository;
  const [visitRows, mustVisits, households, pairings, assistanceRows] = await Promise.all([
    repo.countVisitsByPurpose(db, scope, from, asOf),
    repo.countMustVisits(db, scope, from, asOf),
    repo.countMinorityHouseholds(db, scope, asOf),
    repo.countPairingCompliance(db, scope, asOf),
    repo.sumApprovedAssistance(db, scope, from, asOf),
  ]);
  const byPurpose = Object.fromEntries(visitRows.map((r) => [r.purpose, Number(r.n)]));
  const amountBySource = Object.fromEntries(
    assistanceRows.map((r) => [r.fundSource, Number(r.amountFen ?? 0)]),
  );
  return {
    visits: { total: Object.values(byPurpose).reduce((a, b) => a + b, 0), byPurpose },
    mustVisits,
    pairings: {
      active: pairings.active,
      minorityHouseholds: households.minorityHouseholds,
      pairedMinorityHouseholds: households.paired,
      contactedInTime: pairings.contacted,
      coverage: ratio(households.paired, households.minorityHouseholds),
      compliance: ratio(pairings.contacted, pairings.active),
    },
    assistance: {
      count: assistanceRows.reduce((a, r) => a + Number(r.n), 0),
      amountFen: Object.values(amountBySource).reduce((a, b) => a + b, 0),
      amountBySource,
    },
  };
}

export const statisticsService = Object.freeze({ computeRegistryStatistics, computeCaseworkStatistics });

/** Computes statistics on a worker thread with its own connection (see statistics.worker.ts). */
export function createStatisticsRunner(database: Database) {
  const pool = new WorkerPool<StatisticsTask>(
    new URL('./statistics.worker.ts', import.meta.url),
    database.options,
  );
  return {
    computeRegistryStatistics: (actor: Actor, orgUnitId: string, period: StatisticsPeriod = {}) =>
      pool.run<RegistryStatistics>({ kind: 'registry', actor, orgUnitId, period }),
    computeDisputePetitionStatistics: (actor: Actor, orgUnitId: string, period: StatisticsPeriod = {}) =>
      pool.run<DisputePetitionStatistics>({ kind: 'disputePetition', actor, orgUnitId, period }),
    computeCaseworkStatistics: (actor: Actor, orgUnitId: string, period: StatisticsPeriod = {}) =>
      pool.run<CaseworkStatistics>({ kind: 'casework', actor, orgUnitId, period }),
    close: () => pool.close(),
  };
}
export type StatisticsRunner = ReturnType<typeof createStatisticsRunner>;
