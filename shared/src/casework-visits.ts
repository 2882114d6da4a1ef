import { z } from 'zod';
import { isoDate } from './api.ts';
import { photoContentTypes } from './image-type.ts';

// Visits and condolences (走访慰问), the four must-visits (四个必访), pairing (结对子) and
// assistance (帮困): the schemas server and web share, and the pure rules of the figures.

/** Why a visit was made; the four must-visit kinds are purposes too. */
export const visitPurposes = [
  'festival',
  'hospitalised',
  'hardship',
  'dispute',
  'special',
  'routine',
] as const;
export type VisitPurpose = (typeof visitPurposes)[number];

/** The four must-visits (四个必访): an event of one of these kinds creates a visit task. */
export const mustVisitKinds = ['hospitalised', 'hardship', 'dispute', 'special'] as const;
export type MustVisitKind = (typeof mustVisitKinds)[number];

/** Days to the due date when no org unit up the tree has configured its own. */
export const defaultMustVisitDueDays: Readonly<Record<MustVisitKind, number>> = {
  hospitalised: 3,
  hardship: 3,
  dispute: 3,
  special: 7,
};

/** Where money or goods came from. */
export const fundSources = [
  'charity_one_yuan',
  'street_budget',
  'community_budget',
  'civil_affairs',
  'donation',
  'other',
] as const;
export type FundSource = (typeof fundSources)[number];

export const assistanceKinds = [
  'cash',
  'goods',
  'service',
  'minimum_living',
  'housing_subsidy',
  'other_policy',
] as const;
export type AssistanceKind = (typeof assistanceKinds)[number];

export const assistanceStatuses = ['pending', 'approved', 'rejected'] as const;
export type AssistanceStatus = (typeof assistanceStatuses)[number];

/** Amounts are integer fen (分): never floats, never negative. */
export const amountFen = z.number().int().min(0).max(100_000_000_00);

const text = (max: number) => z.string().trim().max(max).nullable().optional();

// ---------------------------------------------------------------------------------------------
// Visits

export const visitInput = z.object({
  orgUnitId: z.uuid(),
  visitedOn: isoDate,
  purpose: z.enum(visitPurposes),
  /** Users who visited; the recording user when empty. */
  visitorIds: z.array(z.uuid()).max(20).optional(),
  residentIds: z.array(z.uuid()).max(50).optional(),
  householdIds: z.array(z.uuid()).max(50).optional(),
  location: text(200),
  gifts: text(200),
  amountFen: amountFen.nullable().optional(),
  fundSource: z.enum(fundSources).nullable().optional(),
  notes: text(2000),
});
export type VisitInput = z.infer<typeof visitInput>;

export const visitPatch = visitInput
  .omit({ orgUnitId: true })
  .partial()
  .extend({ version: z.number().int().min(1) });
export type VisitPatch = z.infer<typeof visitPatch>;

/** Photos one visit may carry (live ones; a removed photo no longer counts). */
export const MAX_VISIT_PHOTOS = 9;

/** Largest photo the server takes unless ATTACHMENT_MAX_MB says otherwise. */
export const DEFAULT_PHOTO_MAX_BYTES = 10 * 1024 * 1024;

export const visitPhoto = z.object({
  id: z.string(),
  visitId: z.string(),
  /** The name it was uploaded under, with the extension of its real type. */
  fileName: z.string(),
  contentType: z.enum(photoContentTypes),
  size: z.number().int(),
  createdAt: z.string(),
});
export type VisitPhoto = z.infer<typeof visitPhoto>;

export const visit = z.object({
  id: z.string(),
  orgUnitId: z.string(),
  streetId: z.string().nullable(),
  visitedOn: z.string(),
  purpose: z.enum(visitPurposes),
  visitors: z.array(z.object({ id: z.string(), displayName: z.string() })),
  residents: z.array(z.object({ id: z.string(), name: z.string() })),
  households: z.array(z.object({ id: z.string(), label: z.string() })),
  location: z.string().nullable(),
  gifts: z.string().nullable(),
  amountFen: z.number().int().nullable(),
  fundSource: z.enum(fundSources).nullable(),
  notes: z.string().nullable(),
  /** Photos of the visit, oldest first (removed ones left out). */
  photos: z.array(visitPhoto),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type Visit = z.infer<typeof visit>;

export const visitSortFields = ['visitedOn', 'createdAt'] as const;

// ---------------------------------------------------------------------------------------------
// The four must-visits

export const mustVisitInput = z.object({
  residentId: z.uuid(),
  kind: z.enum(mustVisitKinds),
  eventOn: isoDate,
  note: text(500),
});
export type MustVisitInput = z.infer<typeof mustVisitInput>;

export const mustVisitStates = ['open', 'overdue', 'done'] as const;
export type MustVisitState = (typeof mustVisitStates)[number];

export const mustVisitTask = z.object({
  id: z.string(),
  orgUnitId: z.string(),
  residentId: z.string(),
  residentName: z.string(),
  kind: z.enum(mustVisitKinds),
  eventOn: z.string(),
  dueOn: z.string(),
  note: z.string().nullable(),
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  /** Whether the assignee is the resident's paired cadre (else the grid's worker). */
  assignedByPairing: z.boolean(),
  state: z.enum(mustVisitStates),
  visitId: z.string().nullable(),
  doneOn: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type MustVisitTask = z.infer<typeof mustVisitTask>;

/** Open and not yet due, open past its due date, or closed by a matching visit (as of `today`). */
export function mustVisitState(dueOn: string, doneOn: string | null, today: string): MustVisitState {
  if (doneOn !== null) return 'done';
  return dueOn < today ? 'overdue' : 'open';
}

export const mustVisitRuleInput = z.object({
  orgUnitId: z.uuid(),
  kind: z.enum(mustVisitKinds),
  dueDays: z.number().int().min(1).max(90),
});
export type MustVisitRuleInput = z.infer<typeof mustVisitRuleInput>;

export const mustVisitRule = z.object({
  kind: z.enum(mustVisitKinds),
  dueDays: z.number().int(),
  /** The org unit whose setting applies; null for the built-in default. */
  setOnOrgUnitId: z.string().nullable(),
});
export type MustVisitRule = z.infer<typeof mustVisitRule>;

/** Overdue tasks counted per assignee or per org unit. */
export const overdueCount = z.object({
  id: z.string().nullable(),
  name: z.string().nullable(),
  overdue: z.number().int(),
});

// ---------------------------------------------------------------------------------------------
// Pairing

export const pairingInput = z.object({
  householdId: z.uuid(),
  cadreId: z.uuid(),
  startedOn: isoDate,
  endedOn: isoDate.nullable().optional(),
  /** Expected contact: at least once every this many days. */
  frequencyDays: z.number().int().min(1).max(366),
  note: text(500),
});
export type PairingInput = z.infer<typeof pairingInput>;

export const pairingPatch = pairingInput
  .pick({ endedOn: true, frequencyDays: true, note: true })
  .partial()
  .extend({ version: z.number().int().min(1) });
export type PairingPatch = z.infer<typeof pairingPatch>;

export const pairing = z.object({
  id: z.string(),
  orgUnitId: z.string(),
  householdId: z.string(),
  householdLabel: z.string(),
  cadreId: z.string(),
  cadreName: z.string(),
  startedOn: z.string(),
  endedOn: z.string().nullable(),
  frequencyDays: z.number().int(),
  note: z.string().nullable(),
  /** Last visit by the cadre to the household or one of its members. */
  lastContactOn: z.string().nullable(),
  /** The date by which the next contact is expected: last contact (or start) + frequency. */
  contactDueOn: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type Pairing = z.infer<typeof pairing>;

/** `date` (YYYY-MM-DD) plus `days`, in the calendar (no time zone involved). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// Assistance

export const assistanceInput = z.object({
  orgUnitId: z.uuid(),
  residentId: z.uuid(),
  kind: z.enum(assistanceKinds),
  amountFen,
  fundSource: z.enum(fundSources),
  appliedOn: isoDate,
  description: text(500),
});
export type AssistanceInput = z.infer<typeof assistanceInput>;

export const assistancePatch = assistanceInput
  .omit({ orgUnitId: true, residentId: true })
  .partial()
  .extend({ version: z.number().int().min(1) });
export type AssistancePatch = z.infer<typeof assistancePatch>;

export const assistanceDecision = z.object({
  version: z.number().int().min(1),
  decision: z.enum(['approved', 'rejected']),
  decidedOn: isoDate,
});
export type AssistanceDecision = z.infer<typeof assistanceDecision>;

export const assistance = z.object({
  id: z.string(),
  orgUnitId: z.string(),
  residentId: z.string(),
  residentName: z.string(),
  kind: z.enum(assistanceKinds),
  amountFen: z.number().int(),
  fundSource: z.enum(fundSources),
  appliedOn: z.string(),
  description: z.string().nullable(),
  status: z.enum(assistanceStatuses),
  decidedBy: z.string().nullable(),
  decidedByName: z.string().nullable(),
  decidedOn: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type Assistance = z.infer<typeof assistance>;

export const assistanceTotals = z.object({
  count: z.number().int(),
  amountFen: z.number().int(),
  bySource: z.record(z.string(), z.object({ count: z.number().int(), amountFen: z.number().int() })),
});
export type AssistanceTotals = z.infer<typeof assistanceTotals>;

// ---------------------------------------------------------------------------------------------
// Figures

/**
 * Casework figures for an org subtree and period, as `shiliuzi stats --json` prints them.
 * Coverage = minority households with a pairing active on `asOf` ÷ minority households (a household
 * with at least one live minority member); compliance = pairings active on `asOf` with a visit by the
 * cadre within the last `frequencyDays` days ÷ pairings active on `asOf`; both 0 when nothing to divide.
 */
export const caseworkStatistics = z.object({
  visits: z.object({ total: z.number().int(), byPurpose: z.record(z.string(), z.number().int()) }),
  mustVisits: z.object({
    open: z.number().int(),
    overdue: z.number().int(),
    doneOnTime: z.number().int(),
    doneLate: z.number().int(),
  }),
  pairings: z.object({
    active: z.number().int(),
    minorityHouseholds: z.number().int(),
    pairedMinorityHouseholds: z.number().int(),
    contactedInTime: z.number().int(),
    coverage: z.number(),
    compliance: z.number(),
  }),
  assistance: z.object({
    count: z.number().int(),
    amountFen: z.number().int(),
    /** Approved amounts by source of funds, in fen. */
    amountBySource: z.record(z.string(), z.number().int()),
  }),
});
export type CaseworkStatistics = z.infer<typeof caseworkStatistics>;

/** numerator ÷ denominator, 0 when there is nothing to divide by (never NaN). */
export function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

/**
 * An amount typed in yuan ("322", "322.5", "1,000.00") as integer fen, read digit by digit (no
 * floating point); `undefined` when it is not a non-negative amount with at most two decimals.
 */
export function parseYuanToFen(text: string): number | undefined {
  const match = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(text.trim().replace(/[,，]/g, ''));
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** Integer fen as yuan with two decimals, e.g. 32200 → "322.00". */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
