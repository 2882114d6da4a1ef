import { sql } from 'kysely';
import type { PageQuery } from '@shiliuzi/shared/api';
import type {
  DisputeCategory,
  DisputeLevel,
  DisputeOutcome,
  DisputeRiskLevel,
} from '@shiliuzi/shared/casework-disputes';
import type { Executor } from '../../db/database.ts';
import { dialectOf } from '../../db/dialect-of.ts';
import { pageWithTotal } from '../../db/paging.ts';
import type { DisputeRow } from '../../db/schema.ts';
import { inOrgScope, orgSubtreeIds, type OrgScope } from '../../db/scope.ts';
import { offsetOf } from '../../lib/pagination.ts';

export interface DisputeFilter {
  outcome?: DisputeOutcome | undefined;
  handlingLevel?: DisputeLevel | undefined;
  category?: DisputeCategory | undefined;
  riskLevel?: DisputeRiskLevel | undefined;
  isEthnicFactor?: boolean | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** Summary or a party's name contains this. */
  q?: string | undefined;
  includeDeleted?: boolean | undefined;
}

export type DisputeSort = 'intakeDate' | 'createdAt';

export type DisputeWithUnit = DisputeRow & { orgUnitName: string };

export interface DisputePartyRow {
  id: string;
  disputeId: string;
  position: number;
  residentId: string | null;
  name: string;
  ethnicityCode: string | null;
}

export interface DisputeStepRow {
  id: string;
  disputeId: string;
  stepDate: string;
  notes: string;
  handledBy: string | null;
  createdAt: string;
  createdBy: string | null;
  createdByName: string | null;
}

function selectDisputes(db: Executor) {
  return db
    .selectFrom('dispute')
    .innerJoin('orgUnit', 'orgUnit.id', 'dispute.orgUnitId')
    .selectAll('dispute')
    .select('orgUnit.name as orgUnitName');
}

/** One dispute inside the subtree at `scopePath`, deleted or not. */
async function findDisputeById(
  db: Executor,
  scopePath: string,
  id: string,
): Promise<DisputeWithUnit | undefined> {
  return selectDisputes(db)
    .where('dispute.id', '=', id)
    .where('dispute.orgUnitId', 'in', orgSubtreeIds(db, scopePath))
    .executeTakeFirst();
}

/** Disputes of the scope matching every filter but `q` (which reads sealed text; see the service). */
function filteredDisputes(db: Executor, scope: OrgScope, filter: Omit<DisputeFilter, 'q'>) {
  const dialect = dialectOf(db);
  return db
    .selectFrom('dispute')
    .where(inOrgScope(db, 'dispute.orgUnitId', scope))
    .$if(!filter.includeDeleted, (qb) => qb.where('dispute.deletedAt', 'is', null))
    .$if(filter.outcome !== undefined, (qb) => qb.where('dispute.outcome', '=', filter.outcome!))
    .$if(filter.handlingLevel !== undefined, (qb) =>
      qb.where('dispute.handlingLevel', '=', filter.handlingLevel!),
    )
    .$if(filter.category !== undefined, (qb) => qb.where('dispute.category', '=', filter.category!))
    .$if(filter.riskLevel !== undefined, (qb) => qb.where('dispute.riskLevel', '=', filter.riskLevel!))
    .$if(filter.isEthnicFactor !== undefined, (qb) =>
      qb.where('dispute.isEthnicFactor', '=', dialect.bool(filter.isEthnicFactor!)),
    )
    .$if(filter.from !== undefined, (qb) => qb.where('dispute.intakeDate', '>=', filter.from!))
    .$if(filter.to !== undefined, (qb) => qb.where('dispute.intakeDate', '<=', filter.to!));
}

/** A page of the disputes matching the filters (without `q`), with the total. */
async function findDisputes(
  db: Executor,
  scope: OrgScope,
  filter: Omit<DisputeFilter, 'q'>,
  sort: DisputeSort,
  page: PageQuery,
): Promise<{ rows: DisputeWithUnit[]; total: number }> {
  const base = filteredDisputes(db, scope, filter);
  return pageWithTotal(
    db,
    page,
    () =>
      base
        .innerJoin('orgUnit', 'orgUnit.id', 'dispute.orgUnitId')
        .selectAll('dispute')
        .select('orgUnit.name as orgUnitName')
        .orderBy(`dispute.${sort}`, page.order)
        .orderBy('dispute.id')
        .limit(page.pageSize)
        .offset(offsetOf(page))
        .execute(),
    () => base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  );
}

/**
 * Every dispute matching the filters, in list order, with its sealed summary and whether a party's
 * name (plain) contains `q`: the service opens the summaries to match `q` against them.
 */
async function findDisputeSearchRows(
  db: Executor,
  scope: OrgScope,
  filter: Omit<DisputeFilter, 'q'>,
  sort: DisputeSort,
  order: PageQuery['order'],
  q: string,
): Promise<{ id: string; summary: string; partyMatches: number | boolean }[]> {
  const dialect = dialectOf(db);
  return filteredDisputes(db, scope, filter)
    .select(['dispute.id', 'dispute.summary'])
    .select((eb) =>
      eb
        .exists(
          eb
            .selectFrom('disputeParty')
            .select('disputeParty.id')
            .whereRef('disputeParty.disputeId', '=', 'dispute.id')
            .where(dialect.contains(sql.ref<string>('disputeParty.name'), q)),
        )
        .as('partyMatches'),
    )
    .orderBy(`dispute.${sort}`, order)
    .orderBy('dispute.id')
    .execute();
}

/** These disputes (already known to be in scope), in the order of `ids`. */
async function findDisputesByIds(db: Executor, ids: string[]): Promise<DisputeWithUnit[]> {
  if (ids.length === 0) return [];
  const rows = await selectDisputes(db).where('dispute.id', 'in', ids).execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

async function findParties(db: Executor, disputeIds: string[]): Promise<DisputePartyRow[]> {
  if (disputeIds.length === 0) return [];
  return db
    .selectFrom('disputeParty')
    .selectAll()
    .where('disputeId', 'in', disputeIds)
    .orderBy('disputeId')
    .orderBy('position')
    .execute();
}

async function findSteps(db: Executor, disputeIds: string[]): Promise<DisputeStepRow[]> {
  if (disputeIds.length === 0) return [];
  return db
    .selectFrom('disputeStep')
    .leftJoin('appUser', 'appUser.id', 'disputeStep.createdBy')
    .selectAll('disputeStep')
    .select('appUser.displayName as createdByName')
    .where('disputeStep.disputeId', 'in', disputeIds)
    .orderBy('disputeStep.stepDate')
    .orderBy('disputeStep.createdAt')
    .execute();
}

async function insertDispute(db: Executor, row: DisputeRow): Promise<void> {
  await db.insertInto('dispute').values(row).execute();
}

async function replaceParties(db: Executor, disputeId: string, parties: DisputePartyRow[]): Promise<void> {
  await db.deleteFrom('disputeParty').where('disputeId', '=', disputeId).execute();
  if (parties.length > 0) await db.insertInto('disputeParty').values(parties).execute();
}

async function insertStep(db: Executor, row: Omit<DisputeStepRow, 'createdByName'>): Promise<void> {
  await db.insertInto('disputeStep').values(row).execute();
}

export const disputeRepository = Object.freeze({
  findDisputeById,
  findDisputes,
  findDisputeSearchRows,
  findDisputesByIds,
  findParties,
  findSteps,
  insertDispute,
  replaceParties,
  insertStep,
});
