import { z } from 'zod';
import { isoDate } from './api.ts';
import { ethnicityCodeSchema } from './ethnicity.ts';
import { mustVisitStates } from './casework-visits.ts';
import { residentFlags } from './registry.ts';

// Festival visit campaigns (节日走访): a festival, an org unit, a target group of residents, and one
// planned visit per household (or per resident without a household), closed by the visit itself.

/** Festivals a campaign is planned for (labels in casework-labels.zh-CN.ts). */
export const festivals = [
  'spring_festival',
  'lantern_festival',
  'eid_al_adha',
  'eid_al_fitr',
  'mid_autumn',
  'national_day',
  'dragon_boat',
  'other',
] as const;
export type Festival = (typeof festivals)[number];

/**
 * Who is visited: residents of these ethnic groups (any of them), or of any minority when
 * `minorityOnly`, and among them those with any of `flags` (困难, 低保, 孤寡空巢, 残疾, 党员…);
 * an empty list does not narrow. A household is visited when one of its members is.
 */
export const campaignTarget = z.strictObject({
  ethnicityCodes: z.array(ethnicityCodeSchema).max(56).default([]),
  minorityOnly: z.boolean().default(false),
  flags: z.array(z.enum(residentFlags)).max(residentFlags.length).default([]),
});
export type CampaignTarget = z.infer<typeof campaignTarget>;

export const visitCampaignInput = z.object({
  orgUnitId: z.uuid(),
  festival: z.enum(festivals),
  /** The campaign's name; "<year><festival>走访" when left empty. */
  name: z.string().trim().max(100).nullable().optional(),
  /** Festival visits from this date on fulfil the planned visits. */
  startsOn: isoDate,
  /** The date the visits are planned for: a planned visit not made by then is overdue. */
  plannedOn: isoDate,
  target: campaignTarget,
  note: z.string().trim().max(500).nullable().optional(),
});
export type VisitCampaignInput = z.infer<typeof visitCampaignInput>;

/** Progress of a campaign, counted in SQL: planned = done + open + overdue. */
export const campaignProgress = z.object({
  planned: z.number().int(),
  done: z.number().int(),
  open: z.number().int(),
  overdue: z.number().int(),
});
export type CampaignProgress = z.infer<typeof campaignProgress>;

export const visitCampaign = z.object({
  id: z.string(),
  orgUnitId: z.string(),
  orgUnitName: z.string(),
  festival: z.enum(festivals),
  name: z.string(),
  startsOn: z.string(),
  plannedOn: z.string(),
  target: campaignTarget,
  note: z.string().nullable(),
  progress: campaignProgress,
  createdAt: z.string(),
  version: z.number().int(),
});
export type VisitCampaign = z.infer<typeof visitCampaign>;

/** What a campaign would plan, before it is created. */
export const campaignPreview = z.object({
  households: z.number().int(),
  /** Residents without a household, visited one by one. */
  residents: z.number().int(),
  total: z.number().int(),
  /** Planned visits per assignee (the paired cadre, else the grid's worker; null: nobody). */
  byAssignee: z.array(
    z.object({ id: z.string().nullable(), name: z.string().nullable(), count: z.number().int() }),
  ),
});
export type CampaignPreview = z.infer<typeof campaignPreview>;

export const plannedVisitStates = mustVisitStates;

export const plannedVisit = z.object({
  id: z.string(),
  campaignId: z.string(),
  campaignName: z.string(),
  festival: z.enum(festivals),
  plannedOn: z.string(),
  orgUnitId: z.string(),
  orgUnitName: z.string(),
  householdId: z.string().nullable(),
  /** Household number or address, with the head's name. */
  householdLabel: z.string().nullable(),
  residentId: z.string().nullable(),
  residentName: z.string().nullable(),
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  /** The assignee is the household's paired cadre (else the grid's worker). */
  assignedByPairing: z.boolean(),
  state: z.enum(plannedVisitStates),
  visitId: z.string().nullable(),
  doneOn: z.string().nullable(),
});
export type PlannedVisit = z.infer<typeof plannedVisit>;
