import {
  disputeCategories,
  disputeLevels,
  resolutionRateOf,
  type DisputeStatistics,
} from '@shiliuzi/shared/casework-disputes';
import { completionRateOf, type PetitionFigures } from '@shiliuzi/shared/casework-petitions';
import { localDateText } from '@shiliuzi/shared/dates';
import type { Executor } from '../../db/database.ts';
import type { Actor } from '../../lib/actor.ts';
import { orgUnitService, scopeOf } from '../org-units/org-unit.service.ts';
import { disputePetitionStatisticsRepository as repository } from './dispute-petition.repository.ts';

/** Dispute, petition and hotline figures; the keys `shiliuzi stats --json` prints them under. */
export interface DisputePetitionStatistics {
  disputes: DisputeStatistics;
  petitions: PetitionFigures;
  hotline: PetitionFigures;
}

/** The period: `to` defaults to today, `from` to 1 January of `to`'s year (as the registry figures). */
export function periodOf(
  period: { from?: string | undefined; to?: string | undefined },
  today = localDateText(),
) {
  const to = period.to ?? today;
  return { from: period.from ?? `${to.slice(0, 4)}-01-01`, to };
}

/**
 * The figures of one channel group from rows (channel, status, n, handlingDays) already counted
 * in SQL. 办结率 (completionRate) = handled / received, handled being the done ones: the way the
 * reference reports compute it (356 received, 346 done → 97 %); nothing received → 0.
 */
export function toPetitionFigures(
  rows: { status: string; n: number; handlingDays: number | string | null }[],
): PetitionFigures {
  let received = 0;
  let handled = 0;
  let inProgress = 0;
  let handlingDays = 0;
  for (const row of rows) {
    const n = Number(row.n);
    received += n;
    if (row.status === 'done') {
      handled += n;
      handlingDays += Number(row.handlingDays ?? 0);
    } else if (row.status === 'received' || row.status === 'handling') inProgress += n;
  }
  return {
    received,
    handled,
    inProgress,
    otherOutcomes: received - handled - inProgress,
    completionRate: completionRateOf(received, handled),
    averageHandlingDays: handled === 0 ? null : Math.round((handlingDays / handled) * 10) / 10,
  };
}

/** Dispute, petition and hotline figures for the subtree of one org unit (visible to the actor). */
async function computeDisputePetitionStatistics(
  db: Executor,
  actor: Actor,
  orgUnitId: string,
  period: { from?: string | undefined; to?: string | undefined } = {},
): Promise<DisputePetitionStatistics> {
  const org = await orgUnitService.requireOrgUnit(db, actor, orgUnitId);
  const { from, to } = periodOf(period);
  const scope = scopeOf(org);
  const [disputeRows, petitionRows] = await Promise.all([
    repository.countDisputes(db, scope, from, to),
    repository.countPetitions(db, scope, from, to),
  ]);
  const byLevel = Object.fromEntries(disputeLevels.map((level) => [level, 0])) as Record<string, number>;
  const byCategory = Object.fromEntries(disputeCategories.map((c) => [c, 0])) as Record<string, number>;
  let found = 0;
  let resolved = 0;
  for (const row of disputeRows) {
    const n = Number(row.n);
    found += n;
    if (row.outcome === 'resolved') resolved += n;
    byLevel[row.handlingLevel] = (byLevel[row.handlingLevel] ?? 0) + n;
    byCategory[row.category] = (byCategory[row.category] ?? 0) + n;
  }
  return {
    disputes: { found, resolved, resolutionRate: resolutionRateOf(found, resolved), byLevel, byCategory },
    petitions: toPetitionFigures(petitionRows.filter((r) => r.channel !== 'hotline')),
    hotline: toPetitionFigures(petitionRows.filter((r) => r.channel === 'hotline')),
  };
}

export const disputePetitionStatisticsService = Object.freeze({ computeDisputePetitionStatistics });
