import { sql, type ExpressionBuilder } from 'kysely';
import type { PageQuery } from '@shiliuzi/shared/api';
import type { CampaignTarget } from '@shiliuzi/shared/visit-campaigns';
import type { Executor } from '../../db/database.ts';
import { dialectOf } from '../../db/dialect-of.ts';
import { pageWithTotal } from '../../db/paging.ts';
import type { CampaignVisitRow, DB, VisitCampaignRow } from '../../db/schema.ts';
import { inOrgScope, orgSubtreeIds, type OrgScope } from '../../db/scope.ts';
import { offsetOf } from '../../lib/pagination.ts';
import { flagColumns } from '../residents/resident.repository.ts';

/** Who a campaign would visit: a household (or a resident without one), and who is responsible. */
export interface CandidateRow {
  householdId: string | null;
  residentId: string | null;
  orgUnitId: string;
  streetId: string | null;
  /** The cadre paired with the household on the planned date. */
  pairedCadreId: string | null;
  /** The first grid worker of the unit (by user name), when nobody is paired. */
  gridWorkerId: string | null;
}

/** Residents of the target group: live, of the ethnic groups (or any minority), with any of the flags. */
function isTargetResident(eb: ExpressionBuilder<DB, 'resident'>, db: Executor, target: CampaignTarget) {
  const dialect = dialectOf(db);
  const conditions = [eb('resident.deletedAt', 'is', null)];
  if (target.ethnicityCodes.length > 0)
    conditions.push(eb('resident.ethnicityCode', 'in', target.ethnicityCodes));
  else if (target.minorityOnly)
    conditions.push(eb('resident.ethnicityCode', '>=', '02'), eb('resident.ethnicityCode', '<=', '56'));
  if (target.flags.length > 0)
    conditions.push(
      eb.or(target.flags.map((flag) => eb(`resident.${flagColumns[flag]}`, '=', dialect.bool(true)))),
    );
  return eb.and(conditions);
}

/** The grid worker of the unit in `unitColumn`: a live, enabled one, first by user name. */
function gridWorkerOf(
  eb: ExpressionBuilder<DB, 'household'> | ExpressionBuilder<DB, 'resident'>,
  db: Executor,
  unitColumn: 'household.orgUnitId' | 'resident.orgUnitId',
) {
  return (eb as ExpressionBuilder<DB, 'household' | 'resident'>)
    .selectFrom('appUser as gw')
    .innerJoin('userRole as gwRole', 'gwRole.userId', 'gw.id')
    .select('gw.id')
    .whereRef('gw.orgUnitId', '=', unitColumn)
    .where('gwRole.role', '=', 'grid_worker')
    .where('gw.deletedAt', 'is', null)
    .where('gw.isDisabled', '=', dialectOf(db).bool(false))
    .orderBy('gw.username')
    .limit(1);
}

/**
 * The households of the subtree with a member in the target group, and the residents of the group
 * without a household, each with the cadre paired on `on` and the unit's grid worker.
 */
function candidates(db: Executor, scope: OrgScope, target: CampaignTarget, on: string) {
  const households = db
    .selectFrom('household')
    .where(inOrgScope(db, 'household.orgUnitId', scope))
    .where('household.deletedAt', 'is', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('resident')
          .select('resident.id')
          .whereRef('resident.householdId', '=', 'household.id')
          .where((rb) => isTargetResident(rb, db, target)),
      ),
    )
    .select((eb) => [
      eb.ref('household.id').$castTo<string | null>().as('householdId'),
      sql<string | null>`null`.as('residentId'),
      'household.orgUnitId as orgUnitId',
      'household.streetId as streetId',
      eb
        .selectFrom('pairing')
        .select('pairing.cadreId')
        .whereRef('pairing.householdId', '=', 'household.id')
        .where('pairing.deletedAt', 'is', null)
        .where('pairing.startedOn', '<=', on)
        .where((pb) => pb.or([pb('pairing.endedOn', 'is', null), pb('pairing.endedOn', '>=', on)]))
        .orderBy('pairing.startedOn', 'desc')
        .limit(1)
        .as('pairedCadreId'),
      gridWorkerOf(eb, db, 'household.orgUnitId').as('gridWorkerId'),
    ]);
  const alone = db
    .selectFrom('resident')
    .where(inOrgScope(db, 'resident.orgUnitId', scope))
    .where('resident.householdId', 'is', null)
    .where((eb) => isTargetResident(eb, db, target))
    .select((eb) => [
      sql<string | null>`null`.as('householdId'),
      eb.ref('resident.id').$castTo<string | null>().as('residentId'),
      'resident.orgUnitId as orgUnitId',
      'resident.streetId as streetId',
      sql<string | null>`null`.as('pairedCadreId'),
      gridWorkerOf(eb, db, 'resident.orgUnitId').as('gridWorkerId'),
    ]);
  return households.unionAll(alone);
}

async function findCandidates(
  db: Executor,
  scope: OrgScope,
  target: CampaignTarget,
  on: string,
): Promise<CandidateRow[]> {
  return (await candidates(db, scope, target, on).execute()) as CandidateRow[];
}

/** How many households and lone residents a target group holds, and how many fall to each assignee. */
async function countCandidates(db: Executor, scope: OrgScope, target: CampaignTarget, on: string) {
  const rows = await db
    .selectFrom(candidates(db, scope, target, on).as('c'))
    .leftJoin('appUser', (join) =>
      join.on((eb) => eb('appUser.id', '=', eb.fn.coalesce('c.pairedCadreId', 'c.gridWorkerId'))),
    )
    .select((eb) => [
      eb.fn.coalesce('c.pairedCadreId', 'c.gridWorkerId').as('assigneeId'),
      'appUser.displayName as assigneeName',
      eb.fn.count<number>('c.householdId').as('households'),
      eb.fn.count<number>('c.residentId').as('residents'),
    ])
    .groupBy([(eb) => eb.fn.coalesce('c.pairedCadreId', 'c.gridWorkerId'), 'appUser.displayName'])
    .orderBy('assigneeName')
    .execute();
  return rows.map((r) => ({
    assigneeId: r.assigneeId as string | null,
    assigneeName: r.assigneeName,
    households: Number(r.households),
    residents: Number(r.residents),
  }));
}

// ---------------------------------------------------------------------------------------------
// Campaigns

export type CampaignListRow = VisitCampaignRow & { orgUnitName: string };

function campaignSelect(db: Executor) {
  return db
    .selectFrom('visitCampaign')
    .innerJoin('orgUnit', 'orgUnit.id', 'visitCampaign.orgUnitId')
    .selectAll('visitCampaign')
    .select('orgUnit.name as orgUnitName');
}

async function findCampaignRow(
  db: Executor,
  scopePath: string,
  id: string,
): Promise<CampaignListRow | undefined> {
  return campaignSelect(db)
    .where('visitCampaign.id', '=', id)
    .where('visitCampaign.orgUnitId', 'in', orgSubtreeIds(db, scopePath))
    .where('visitCampaign.deletedAt', 'is', null)
    .executeTakeFirst();
}

async function findCampaignByKey(db: Executor, orgUnitId: string, festival: string, plannedOn: string) {
  return db
    .selectFrom('visitCampaign')
    .select('id')
    .where('orgUnitId', '=', orgUnitId)
    .where('festival', '=', festival)
    .where('plannedOn', '=', plannedOn)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
}

async function findCampaigns(
  db: Executor,
  scope: OrgScope,
  filter: { festival?: string | undefined; year?: number | undefined },
  page: PageQuery,
): Promise<{ rows: CampaignListRow[]; total: number }> {
  const base = db
    .selectFrom('visitCampaign')
    .where(inOrgScope(db, 'visitCampaign.orgUnitId', scope))
    .where('visitCampaign.deletedAt', 'is', null)
    .$if(filter.festival !== undefined, (qb) => qb.where('visitCampaign.festival', '=', filter.festival!))
    .$if(filter.year !== undefined, (qb) =>
      qb
        .where('visitCampaign.plannedOn', '>=', `${filter.year}-01-01`)
        .where('visitCampaign.plannedOn', '<=', `${filter.year}-12-31`),
    );
  return pageWithTotal(
    db,
    page,
    () =>
      base
        .innerJoin('orgUnit', 'orgUnit.id', 'visitCampaign.orgUnitId')
        .selectAll('visitCampaign')
        .select('orgUnit.name as orgUnitName')
        .orderBy('visitCampaign.plannedOn', page.order)
        .orderBy('visitCampaign.id')
        .limit(page.pageSize)
        .offset(offsetOf(page))
        .execute(),
    () => base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  );
}

async function insertCampaign(db: Executor, row: VisitCampaignRow): Promise<void> {
  await db.insertInto('visitCampaign').values(row).execute();
}

/** Bumps a campaign's version (its planned visits changed); answers the new one. */
async function touchCampaign(db: Executor, id: string, actorId: string | null, now: string): Promise<number> {
  const row = await db
    .updateTable('visitCampaign')
    .set({ version: sql`version + 1`, updatedAt: now, updatedBy: actorId })
    .where('id', '=', id)
    .returning('version')
    .executeTakeFirstOrThrow();
  return row.version;
}

/**
 * Planned, done, open and overdue visits of each campaign (as of `today`), counted in SQL; only the
 * planned visits inside `scope` count, so a unit sees the progress of its own households.
 */
async function countProgress(db: Executor, campaignIds: string[], scope: OrgScope, today: string) {
  if (campaignIds.length === 0) return [];
  const rows = await db
    .selectFrom('campaignVisit')
    .innerJoin('visitCampaign', 'visitCampaign.id', 'campaignVisit.campaignId')
    .where('campaignVisit.campaignId', 'in', campaignIds)
    .where(inOrgScope(db, 'campaignVisit.orgUnitId', scope))
    .select((eb) => [
      'campaignVisit.campaignId',
      eb.fn.countAll<number>().as('planned'),
      eb.fn.count<number>('campaignVisit.doneOn').as('done'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb.and([eb('campaignVisit.doneOn', 'is', null), eb('visitCampaign.plannedOn', '<', today)]))
            .then(1)
            .else(0)
            .end(),
        )
        .as('overdue'),
    ])
    .groupBy('campaignVisit.campaignId')
    .execute();
  return rows.map((r) => ({
    campaignId: r.campaignId,
    planned: Number(r.planned),
    done: Number(r.done),
    overdue: Number(r.overdue ?? 0),
  }));
}

// ---------------------------------------------------------------------------------------------
// Planned visits

/** Households and residents a campaign already plans to visit. */
async function findPlannedKeys(db: Executor, campaignId: string) {
  return db
    .selectFrom('campaignVisit')
    .select(['householdId', 'residentId'])
    .where('campaignId', '=', campaignId)
    .execute();
}

/**
 * Inserts planned visits, skipping any household or resident the campaign already plans (the
 * unique indexes decide, so two runs at once cannot plan anyone twice); answers how many went in.
 */
async function insertPlannedVisits(db: Executor, rows: CampaignVisitRow[]): Promise<number> {
  let inserted = 0;
  const kinds = [
    ['householdId', rows.filter((r) => r.householdId !== null)],
    ['residentId', rows.filter((r) => r.residentId !== null)],
  ] as const;
  for (const [column, ofKind] of kinds) {
    // 12 columns a row: 200 rows stay far below either engine's limit of bound parameters.
    for (let i = 0; i < ofKind.length; i += 200) {
      const result = await db
        .insertInto('campaignVisit')
        .values(ofKind.slice(i, i + 200))
        .onConflict((oc) => oc.columns(['campaignId', column]).where(column, 'is not', null).doNothing())
        .executeTakeFirst();
      inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
    }
  }
  return inserted;
}

/**
 * Festival visits in the subtree on or after `from`, each with the households it reached (named,
 * or through a member visited) and the residents it named: what may fulfil a new campaign.
 */
async function findFestivalVisitSubjects(db: Executor, scope: OrgScope, from: string) {
  return db
    .selectFrom('visit')
    .innerJoin('visitSubject', 'visitSubject.visitId', 'visit.id')
    .leftJoin('resident', 'resident.id', 'visitSubject.residentId')
    .select([
      'visit.id as visitId',
      'visit.visitedOn',
      'visitSubject.residentId',
      (eb) => eb.fn.coalesce('visitSubject.householdId', 'resident.householdId').as('householdId'),
    ])
    .where(inOrgScope(db, 'visit.orgUnitId', scope))
    .where('visit.deletedAt', 'is', null)
    .where('visit.purpose', '=', 'festival')
    .where('visit.visitedOn', '>=', from)
    .orderBy('visit.visitedOn')
    .orderBy('visit.id')
    .execute();
}

async function setPlannedVisitDone(db: Executor, id: string, visitId: string, doneOn: string): Promise<void> {
  await db
    .updateTable('campaignVisit')
    .set({ visitId, doneOn })
    .where('id', '=', id)
    .where('visitId', 'is', null)
    .execute();
}

/**
 * Closes the open planned visits a festival visit on `visitedOn` fulfils: of a live campaign whose
 * window has begun, for a household named (or a member's), or a resident named. Answers how many.
 */
async function closePlannedVisitsBy(
  db: Executor,
  visit: { id: string; visitedOn: string; residentIds: string[]; householdIds: string[] },
): Promise<number> {
  const { residentIds, householdIds } = visit;
  if (residentIds.length === 0 && householdIds.length === 0) return 0;
  const result = await db
    .updateTable('campaignVisit')
    .set({ visitId: visit.id, doneOn: visit.visitedOn })
    .where('campaignVisit.visitId', 'is', null)
    .where((eb) =>
      eb.or([
        ...(householdIds.length > 0 ? [eb('campaignVisit.householdId', 'in', householdIds)] : []),
        ...(residentIds.length > 0
          ? [
              eb('campaignVisit.residentId', 'in', residentIds),
              eb(
                'campaignVisit.householdId',
                'in',
                eb
                  .selectFrom('resident')
                  .select('resident.householdId')
                  .where('resident.id', 'in', residentIds),
              ),
            ]
          : []),
      ]),
    )
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('visitCampaign')
          .select('visitCampaign.id')
          .whereRef('visitCampaign.id', '=', 'campaignVisit.campaignId')
          .where('visitCampaign.deletedAt', 'is', null)
          .where('visitCampaign.startsOn', '<=', visit.visitedOn),
      ),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Opens again the planned visits a (deleted) visit had fulfilled. */
async function reopenPlannedVisitsOf(db: Executor, visitId: string): Promise<number> {
  const result = await db
    .updateTable('campaignVisit')
    .set({ visitId: null, doneOn: null })
    .where('visitId', '=', visitId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface PlannedVisitFilter {
  campaignId?: string | undefined;
  assigneeId?: string | undefined;
  state?: 'open' | 'overdue' | 'done' | 'pending' | undefined;
}

export type PlannedVisitListRow = CampaignVisitRow & {
  campaignName: string;
  festival: string;
  plannedOn: string;
  orgUnitName: string;
  householdNumber: string | null;
  householdAddress: string | null;
  headName: string | null;
  residentName: string | null;
  assigneeName: string | null;
};

async function findPlannedVisits(
  db: Executor,
  scope: OrgScope,
  filter: PlannedVisitFilter,
  today: string,
  page: PageQuery,
): Promise<{ rows: PlannedVisitListRow[]; total: number }> {
  const base = db
    .selectFrom('campaignVisit')
    .innerJoin('visitCampaign', 'visitCampaign.id', 'campaignVisit.campaignId')
    .where(inOrgScope(db, 'campaignVisit.orgUnitId', scope))
    .where('visitCampaign.deletedAt', 'is', null)
    .$if(filter.campaignId !== undefined, (qb) =>
      qb.where('campaignVisit.campaignId', '=', filter.campaignId!),
    )
    .$if(filter.assigneeId !== undefined, (qb) =>
      qb.where('campaignVisit.assigneeId', '=', filter.assigneeId!),
    )
    .$if(filter.state === 'done', (qb) => qb.where('campaignVisit.doneOn', 'is not', null))
    .$if(filter.state === 'pending', (qb) => qb.where('campaignVisit.doneOn', 'is', null))
    .$if(filter.state === 'open', (qb) =>
      qb.where('campaignVisit.doneOn', 'is', null).where('visitCampaign.plannedOn', '>=', today),
    )
    .$if(filter.state === 'overdue', (qb) =>
      qb.where('campaignVisit.doneOn', 'is', null).where('visitCampaign.plannedOn', '<', today),
    );
  return pageWithTotal(
    db,
    page,
    () =>
      base
        .innerJoin('orgUnit', 'orgUnit.id', 'campaignVisit.orgUnitId')
        .leftJoin('household', 'household.id', 'campaignVisit.householdId')
        .leftJoin('resident', 'resident.id', 'campaignVisit.residentId')
        .leftJoin('appUser', 'appUser.id', 'campaignVisit.assigneeId')
        .selectAll('campaignVisit')
        .select((eb) => [
          'visitCampaign.name as campaignName',
          'visitCampaign.festival',
          'visitCampaign.plannedOn',
          'orgUnit.name as orgUnitName',
          'household.householdNumber',
          'household.address as householdAddress',
          'resident.name as residentName',
          'appUser.displayName as assigneeName',
          eb
            .selectFrom('resident as head')
            .select('head.name')
            .whereRef('head.householdId', '=', 'campaignVisit.householdId')
            .where('head.relationToHead', '=', 'head')
            .where('head.deletedAt', 'is', null)
            .limit(1)
            .as('headName'),
        ])
        .orderBy('visitCampaign.plannedOn', page.order)
        .orderBy('orgUnit.name')
        .orderBy('household.householdNumber')
        .orderBy('campaignVisit.id')
        .limit(page.pageSize)
        .offset(offsetOf(page))
        .execute(),
    () => base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  );
}

export const visitCampaignRepository = Object.freeze({
  findCandidates,
  countCandidates,
  findCampaignRow,
  findCampaignByKey,
  findCampaigns,
  insertCampaign,
  touchCampaign,
  countProgress,
  findPlannedKeys,
  insertPlannedVisits,
  findFestivalVisitSubjects,
  setPlannedVisitDone,
  closePlannedVisitsBy,
  reopenPlannedVisitsOf,
  findPlannedVisits,
});
