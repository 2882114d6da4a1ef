import type { Executor } from '../../db/database.ts';
import { inOrgScope, type OrgScope } from '../../db/scope.ts';

// Casework figures (disputes, petitions and hotline) counted in SQL for an org subtree and a
// period: a record counts in the period its intake (receipt) date falls in. Each query reads only
// the live partial indexes of its table (dispute_org_intake_idx, petition_org_received_idx).

/** Disputes taken in during the period, by handling level, category and outcome. */
async function countDisputes(db: Executor, scope: OrgScope, from: string, to: string) {
  return db
    .selectFrom('dispute')
    .select([
      'dispute.handlingLevel',
      'dispute.category',
      'dispute.outcome',
      (eb) => eb.fn.countAll<number>().as('n'),
    ])
    .where(inOrgScope(db, 'dispute.orgUnitId', scope))
    .where('dispute.deletedAt', 'is', null)
    .where('dispute.intakeDate', '>=', from)
    .where('dispute.intakeDate', '<=', to)
    .groupBy(['dispute.handlingLevel', 'dispute.category', 'dispute.outcome'])
    .execute();
}

/**
 * Petitions and hotline calls received during the period, by channel and status, with the sum of
 * handling days of the done ones (the mean is the sum over the done count).
 */
async function countPetitions(db: Executor, scope: OrgScope, from: string, to: string) {
  return db
    .selectFrom('petition')
    .select((eb) => [
      'petition.channel',
      'petition.status',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number | null>('petition.handlingDays').as('handlingDays'),
    ])
    .where(inOrgScope(db, 'petition.orgUnitId', scope))
    .where('petition.deletedAt', 'is', null)
    .where('petition.receivedDate', '>=', from)
    .where('petition.receivedDate', '<=', to)
    .groupBy(['petition.channel', 'petition.status'])
    .execute();
}

export const disputePetitionStatisticsRepository = Object.freeze({ countDisputes, countPetitions });
