import { z } from 'zod';
import { isoDate } from './api.ts';
import { localDateText } from './dates.ts';
import { ethnicityCodeSchema } from './ethnicity.ts';

// Disputes (矛盾纠纷排查调处): intake, parties with their ethnicities, mediation steps, outcome.

/** How the dispute came to light: found in a sweep (排查), reported (报告), or a walk-in (来访). */
export const disputeSources = ['survey', 'report', 'walk_in'] as const;
export type DisputeSource = (typeof disputeSources)[number];

export const disputeCategories = [
  'neighbour',
  'family',
  'property',
  'labour',
  'housing',
  'debt',
  'business',
  'other',
] as const;
export type DisputeCategory = (typeof disputeCategories)[number];

export const disputeRiskLevels = ['low', 'medium', 'high'] as const;
export type DisputeRiskLevel = (typeof disputeRiskLevels)[number];

/** Where it is handled: 小事不出网格、大事不出社区. */
export const disputeLevels = ['grid', 'community', 'street'] as const;
export type DisputeLevel = (typeof disputeLevels)[number];

export const disputeOutcomes = ['ongoing', 'resolved', 'transferred'] as const;
export type DisputeOutcome = (typeof disputeOutcomes)[number];

/** Chinese labels of every code list above (also used by the register export). */
export const disputeLabels = {
  sources: { survey: '排查', report: '报告', walk_in: '来访' },
  categories: {
    neighbour: '邻里纠纷',
    family: '婚姻家庭纠纷',
    property: '物业纠纷',
    labour: '劳动争议',
    housing: '房屋土地纠纷',
    debt: '债务纠纷',
    business: '经营纠纷',
    other: '其他',
  },
  riskLevels: { low: '低', medium: '中', high: '高' },
  levels: { grid: '网格', community: '社区', street: '街道' },
  outcomes: { ongoing: '调处中', resolved: '已化解', transferred: '已移交' },
} as const satisfies {
  sources: Record<DisputeSource, string>;
  categories: Record<DisputeCategory, string>;
  riskLevels: Record<DisputeRiskLevel, string>;
  levels: Record<DisputeLevel, string>;
  outcomes: Record<DisputeOutcome, string>;
};

/** A date that is not after today (local time): intake, steps and closing happen in the past. */
export const pastDate = isoDate.refine((value) => value <= localDateText(), { message: 'date_in_future' });

/**
 * A party: a registered resident (name and ethnicity come from the register) or free text
 * (someone not registered here), with an ethnicity when known.
 */
export const disputePartyInput = z
  .strictObject({
    residentId: z.uuid().nullable().optional(),
    name: z.string().trim().min(1).max(50).nullable().optional(),
    ethnicityCode: ethnicityCodeSchema.nullable().optional(),
  })
  .refine((p) => Boolean(p.residentId) !== Boolean(p.name), { message: 'dispute_party_invalid' });
export type DisputePartyInput = z.infer<typeof disputePartyInput>;

export const disputeInput = z.strictObject({
  orgUnitId: z.uuid(),
  intakeDate: pastDate,
  source: z.enum(disputeSources),
  category: z.enum(disputeCategories),
  isEthnicFactor: z.boolean().default(false),
  riskLevel: z.enum(disputeRiskLevels),
  handlingLevel: z.enum(disputeLevels),
  /** What the dispute is about (sensitive free text). */
  summary: z.string().trim().min(1).max(2000),
  parties: z.array(disputePartyInput).min(1).max(20),
  followUp: z.string().trim().max(2000).nullable().optional(),
});
export type DisputeInput = z.infer<typeof disputeInput>;

export const disputePatch = z.strictObject({
  version: z.number().int().min(1),
  intakeDate: pastDate.optional(),
  source: z.enum(disputeSources).optional(),
  category: z.enum(disputeCategories).optional(),
  isEthnicFactor: z.boolean().optional(),
  riskLevel: z.enum(disputeRiskLevels).optional(),
  handlingLevel: z.enum(disputeLevels).optional(),
  summary: z.string().trim().min(1).max(2000).optional(),
  parties: z.array(disputePartyInput).min(1).max(20).optional(),
  followUp: z.string().trim().max(2000).nullable().optional(),
  outcome: z.enum(disputeOutcomes).optional(),
  /** The day it was resolved or transferred; required with those outcomes, defaults to today. */
  closedOn: pastDate.nullable().optional(),
});
export type DisputePatch = z.infer<typeof disputePatch>;

export const disputeStepInput = z.strictObject({
  version: z.number().int().min(1),
  stepDate: pastDate,
  /** What was done (sensitive free text). */
  notes: z.string().trim().min(1).max(2000),
  handledBy: z.string().trim().max(50).nullable().optional(),
});
export type DisputeStepInput = z.infer<typeof disputeStepInput>;

export const disputeParty = z.object({
  id: z.string(),
  residentId: z.string().nullable(),
  name: z.string(),
  ethnicityCode: z.string().nullable(),
});
export type DisputeParty = z.infer<typeof disputeParty>;

export const disputeStep = z.object({
  id: z.string(),
  stepDate: z.string(),
  notes: z.string(),
  handledBy: z.string().nullable(),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
});
export type DisputeStep = z.infer<typeof disputeStep>;

export const dispute = z.object({
  id: z.string(),
  orgUnitId: z.string(),
  orgUnitName: z.string(),
  streetId: z.string().nullable(),
  intakeDate: z.string(),
  source: z.enum(disputeSources),
  category: z.enum(disputeCategories),
  isEthnicFactor: z.boolean(),
  riskLevel: z.enum(disputeRiskLevels),
  handlingLevel: z.enum(disputeLevels),
  outcome: z.enum(disputeOutcomes),
  closedOn: z.string().nullable(),
  summary: z.string(),
  followUp: z.string().nullable(),
  parties: z.array(disputeParty),
  steps: z.array(disputeStep),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type Dispute = z.infer<typeof dispute>;

export const disputeSortFields = ['intakeDate', 'createdAt'] as const;

/** Dispute figures for an org subtree and period (counted in SQL). */
export const disputeStatistics = z.object({
  /** Disputes taken in during the period (排查发现). */
  found: z.number().int(),
  /** Of those, resolved (化解). */
  resolved: z.number().int(),
  /** resolved / found as a fraction 0–1; 0 when nothing was found. */
  resolutionRate: z.number(),
  byLevel: z.record(z.string(), z.number().int()),
  byCategory: z.record(z.string(), z.number().int()),
});
export type DisputeStatistics = z.infer<typeof disputeStatistics>;

/** resolved / found, 0 when nothing was found (never NaN). */
export function resolutionRateOf(found: number, resolved: number): number {
  return found === 0 ? 0 : resolved / found;
}
