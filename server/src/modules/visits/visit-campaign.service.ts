import type { Page, PageQuery } from '@shiliuzi/shared/api';
import { maskAddress } from '@shiliuzi/shared/masking';
import { caseworkLabels } from '@shiliuzi/shared/casework-labels.zh-CN';
import { mustVisitState } from '@shiliuzi/shared/casework-visits';
import { localDateText } from '@shiliuzi/shared/dates';
import { canPlanVisitCampaigns } from '@shiliuzi/shared/permissions';
import {
  campaignTarget,
  type CampaignPreview,
  type CampaignTarget,
  type Festival,
  type PlannedVisit,
  type VisitCampaign,
  type VisitCampaignInput,
} from '@shiliuzi/shared/visit-campaigns';
import { inTransaction, type Executor } from '../../db/database.ts';
import type { CampaignVisitRow, VisitCampaignRow, VisitRow } from '../../db/schema.ts';
import type { OrgScope } from '../../db/scope.ts';
import { conflict, forbidden, invalidInput, notFound } from '../../errors.ts';
import type { Actor } from '../../lib/actor.ts';
import { newId, nowIso } from '../../lib/ids.ts';
import { toPage } from '../../lib/pagination.ts';
import { newRecordStamps, recordCreated } from '../../lib/record-lifecycle.ts';
import { campaignDefaultName } from '../../locales/zh-CN.ts';
import { historyService } from '../history/history.service.ts';
import { orgUnitService, scopeOf } from '../org-units/org-unit.service.ts';
import {
  visitCampaignRepository as repo,
  type CampaignListRow,
  type CandidateRow,
  type PlannedVisitFilter,
  type PlannedVisitListRow,
} from './visit-campaign.repository.ts';

type Progress = VisitCampaign['progress'];
const noProgress: Progress = { planned: 0, done: 0, open: 0, overdue: 0 };

function toCampaign(row: CampaignListRow, progress: Progress): VisitCampaign {
  return {
    id: row.id,
    orgUnitId: row.orgUnitId,
    orgUnitName: row.orgUnitName,
    festival: row.festival as Festival,
    name: row.name,
    startsOn: row.startsOn,
    plannedOn: row.plannedOn,
    target: campaignTarget.parse(JSON.parse(row.targetFilter)),
    note: row.note,
    progress,
    createdAt: row.createdAt,
    version: row.version,
  };
}

/** Progress of these campaigns as the actor's scope sees them (its own households only). */
async function progressOf(db: Executor, campaignIds: string[], scope: OrgScope, today: string) {
  const counted = await repo.countProgress(db, campaignIds, scope, today);
  return new Map(
    counted.map((c) => [
      c.campaignId,
      { planned: c.planned, done: c.done, overdue: c.overdue, open: c.planned - c.done - c.overdue },
    ]),
  );
}

function toPlannedVisit(row: PlannedVisitListRow, today: string): PlannedVisit {
  const household =
    row.householdNumber ?? (row.householdAddress === null ? null : maskAddress(row.householdAddress));
  return {
    id: row.id,
    campaignId: row.campaignId,
    campaignName: row.campaignName,
    festival: row.festival as Festival,
    plannedOn: row.plannedOn,
    orgUnitId: row.orgUnitId,
    orgUnitName: row.orgUnitName,
    householdId: row.householdId,
    householdLabel: row.householdId
      ? [household, row.headName].filter(Boolean).join(' · ') || row.householdId.slice(0, 8)
      : null,
    residentId: row.residentId,
    residentName: row.residentName,
    assigneeId: row.assigneeId,
    assigneeName: row.assigneeName,
    assignedByPairing: Number(row.assignedByPairing) === 1,
    // The same rule as the four must-visits: open until the planned date, then overdue, done by a visit.
    state: mustVisitState(row.plannedOn, row.doneOn, today),
    visitId: row.visitId,
    doneOn: row.doneOn,
  };
}

/** A unit in the actor's scope that the actor may plan a campaign for. */
async function requirePlannableUnit(db: Executor, actor: Actor, orgUnitId: string) {
  const org = await orgUnitService.requireOrgUnit(db, actor, orgUnitId);
  if (!canPlanVisitCampaigns(actor.roles)) throw forbidden();
  return org;
}

/** How many households (and residents without one) a campaign would plan, and for whom. */
async function previewCampaign(
  db: Executor,
  actor: Actor,
  query: { orgUnitId: string; plannedOn: string; target: CampaignTarget },
): Promise<CampaignPreview> {
  const org = await requirePlannableUnit(db, actor, query.orgUnitId);
  const rows = await repo.countCandidates(db, scopeOf(org), query.target, query.plannedOn);
  const households = rows.reduce((sum, r) => sum + r.households, 0);
  const residents = rows.reduce((sum, r) => sum + r.residents, 0);
  return {
    households,
    residents,
    total: households + residents,
    byAssignee: rows.map((r) => ({
      id: r.assigneeId,
      name: r.assigneeName,
      count: r.households + r.residents,
    })),
  };
}

/**
 * Plans the visits of a campaign: one per household with a member in the target group (or per
 * such resident without a household) not planned yet, for the cadre paired with the household on
 * the planned date, else the grid's worker. Festival visits already made since the campaign began
 * close their planned visit at once. Answers how many were added.
 */
async function planVisits(trx: Executor, campaign: VisitCampaignRow, scope: OrgScope): Promise<number> {
  const target = campaignTarget.parse(JSON.parse(campaign.targetFilter));
  const planned = await repo.findPlannedKeys(trx, campaign.id);
  const known = new Set(planned.map((p) => p.householdId ?? p.residentId));
  const fresh = (await repo.findCandidates(trx, scope, target, campaign.plannedOn)).filter(
    (c: CandidateRow) => !known.has(c.householdId ?? c.residentId),
  );
  const now = nowIso();
  const rows: CampaignVisitRow[] = fresh.map((c) => ({
    id: newId(),
    campaignId: campaign.id,
    orgUnitId: c.orgUnitId,
    streetId: c.streetId,
    householdId: c.householdId,
    residentId: c.residentId,
    assigneeId: c.pairedCadreId ?? c.gridWorkerId,
    assignedByPairing: c.pairedCadreId ? 1 : 0,
    visitId: null,
    doneOn: null,
    createdAt: now,
  }));
  const inserted = await repo.insertPlannedVisits(trx, rows);

  // Festival visits made since the campaign began fulfil the new planned visits (the earliest one).
  const made = await repo.findFestivalVisitSubjects(trx, scope, campaign.startsOn);
  const byHousehold = new Map<string, (typeof made)[number]>();
  const byResident = new Map<string, (typeof made)[number]>();
  for (const visit of made) {
    if (visit.householdId && !byHousehold.has(visit.householdId)) byHousehold.set(visit.householdId, visit);
    if (visit.residentId && !byResident.has(visit.residentId)) byResident.set(visit.residentId, visit);
  }
  for (const row of rows) {
    const visit = row.householdId ? byHousehold.get(row.householdId) : byResident.get(row.residentId!);
    if (visit) await repo.setPlannedVisitDone(trx, row.id, visit.visitId, visit.visitedOn);
  }
  return inserted;
}

/** Creates a festival visit campaign and plans its visits, in one transaction. */
async function createCampaign(
  db: Executor,
  actor: Actor,
  input: VisitCampaignInput,
  today = localDateText(),
): Promise<VisitCampaign> {
  if (input.startsOn > input.plannedOn) throw invalidInput('visit_campaign_dates');
  return inTransaction(db, async (trx) => {
    const org = await requirePlannableUnit(trx, actor, input.orgUnitId);
    if (await repo.findCampaignByKey(trx, org.id, input.festival, input.plannedOn))
      throw conflict('visit_campaign_exists');
    const row: VisitCampaignRow = {
      id: newId(),
      orgUnitId: org.id,
      streetId: org.streetId,
      festival: input.festival,
      name:
        input.name?.trim() ||
        campaignDefaultName(input.plannedOn.slice(0, 4), caseworkLabels.festivals[input.festival]),
      startsOn: input.startsOn,
      plannedOn: input.plannedOn,
      targetFilter: JSON.stringify(input.target),
      note: input.note ?? null,
      ...newRecordStamps(actor),
    };
    await repo.insertCampaign(trx, row);
    const added = await planVisits(trx, row, scopeOf(org));
    const { targetFilter: _t, ...snapshot } = row;
    await recordCreated(
      trx,
      actor,
      'visitCampaign',
      row.id,
      { orgUnitId: org.id, streetId: org.streetId },
      {
        ...snapshot,
        target: input.target,
        plannedVisits: added,
      },
    );
    return getCampaign(trx, actor, row.id, today);
  });
}

/**
 * Plans the visits of a campaign again: households or residents that joined the target group
 * since are added, nobody planned already is planned twice. Answers how many were added.
 */
async function replanCampaign(
  db: Executor,
  actor: Actor,
  id: string,
  today = localDateText(),
): Promise<{ added: number; campaign: VisitCampaign }> {
  return inTransaction(db, async (trx) => {
    const row = await repo.findCampaignRow(trx, actor.scopePath, id);
    if (!row) throw notFound('visit_campaign_not_found');
    if (!canPlanVisitCampaigns(actor.roles)) throw forbidden();
    const org = await orgUnitService.requireOrgUnit(trx, actor, row.orgUnitId);
    const before = (await progressOf(trx, [id], scopeOf(org), today)).get(id) ?? noProgress;
    const added = await planVisits(trx, row, scopeOf(org));
    if (added > 0) {
      const version = await repo.touchCampaign(trx, id, actor.userId, nowIso());
      await historyService.recordChange(trx, actor, {
        entityType: 'visitCampaign',
        entityId: id,
        orgUnitId: row.orgUnitId,
        streetId: row.streetId,
        action: 'update',
        version,
        before: { plannedVisits: before.planned },
        after: { plannedVisits: before.planned + added },
      });
    }
    return { added, campaign: await getCampaign(trx, actor, id, today) };
  });
}

async function getCampaign(
  db: Executor,
  actor: Actor,
  id: string,
  today = localDateText(),
): Promise<VisitCampaign> {
  const row = await repo.findCampaignRow(db, actor.scopePath, id);
  if (!row) throw notFound('visit_campaign_not_found');
  const progress = await progressOf(db, [id], { path: actor.scopePath }, today);
  return toCampaign(row, progress.get(id) ?? noProgress);
}

async function listCampaigns(
  db: Executor,
  actor: Actor,
  orgUnitId: string | undefined,
  filter: { festival?: string | undefined; year?: number | undefined },
  page: PageQuery,
  today = localDateText(),
): Promise<Page<VisitCampaign>> {
  const scope = await orgUnitService.resolveScope(db, actor, orgUnitId);
  const { rows, total } = await repo.findCampaigns(db, scope, filter, page);
  const progress = await progressOf(
    db,
    rows.map((r) => r.id),
    { path: actor.scopePath },
    today,
  );
  return toPage(
    rows.map((row) => toCampaign(row, progress.get(row.id) ?? noProgress)),
    total,
    page,
  );
}

/** Planned visits in the actor's scope (of one campaign, one assignee or the caller's own). */
async function listPlannedVisits(
  db: Executor,
  actor: Actor,
  orgUnitId: string | undefined,
  filter: PlannedVisitFilter & { mine?: boolean | undefined },
  page: PageQuery,
  today = localDateText(),
): Promise<Page<PlannedVisit>> {
  const scope = await orgUnitService.resolveScope(db, actor, orgUnitId);
  const { mine, ...rest } = filter;
  const assigneeId = mine ? (actor.userId ?? '') : rest.assigneeId;
  const { rows, total } = await repo.findPlannedVisits(db, scope, { ...rest, assigneeId }, today, page);
  return toPage(
    rows.map((row) => toPlannedVisit(row, today)),
    total,
    page,
  );
}

/** A festival visit closes the open planned visits of its households and residents (in its transaction). */
async function closePlannedVisits(
  trx: Executor,
  visit: VisitRow,
  links: { residentIds: string[]; householdIds: string[] },
): Promise<number> {
  if (visit.purpose !== 'festival' || visit.deletedAt !== null) return 0;
  return repo.closePlannedVisitsBy(trx, { id: visit.id, visitedOn: visit.visitedOn, ...links });
}

/** A deleted visit no longer fulfils the planned visits it closed. */
async function reopenPlannedVisits(trx: Executor, visitId: string): Promise<number> {
  return repo.reopenPlannedVisitsOf(trx, visitId);
}

export const visitCampaignService = Object.freeze({
  previewCampaign,
  createCampaign,
  replanCampaign,
  getCampaign,
  listCampaigns,
  listPlannedVisits,
  closePlannedVisits,
  reopenPlannedVisits,
});
