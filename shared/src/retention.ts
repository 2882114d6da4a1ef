import { z } from 'zod';
import { isoDate } from './api.ts';

// Retention of records by type (数据保留期限): how long each kind of record keeps its personal
// content, counted from a date that says the record is finished with, and what happens then.

/** The kinds of record a retention period is set for. */
export const retentionRecordTypes = [
  'visit',
  'visit_photo',
  'assistance',
  'dispute',
  'petition',
  'hotline',
  'pairing',
  'must_visit',
  'moved_out_resident',
  'deleted_record',
  'import_report',
  'session',
] as const;
export type RetentionRecordType = (typeof retentionRecordTypes)[number];

/**
 * What happens to an expired record: `anonymise` keeps the row for the figures (dates, org unit,
 * categories, ethnicity, amounts) and clears names, ID numbers, phones, addresses and free text;
 * `delete` removes the row, its history and its files.
 */
export const retentionActions = ['anonymise', 'delete'] as const;
export type RetentionAction = (typeof retentionActions)[number];

/** The default period and action of a record type, the shortest period allowed, and the actions it offers. */
export interface RetentionRule {
  readonly defaultDays: number;
  readonly defaultAction: RetentionAction;
  readonly minDays: number;
  readonly actions: readonly RetentionAction[];
}

const both = ['anonymise', 'delete'] as const;

/**
 * Defaults and minimums (docs/SECURITY.md, "Retention of records"). Casework is kept whole for at
 * least two years (this year's and last year's registers and evidence); anonymised, it still counts
 * in the figures of every past period. A resident who moved out cannot be deleted (assistance and
 * must-visit records name them), only anonymised.
 */
export const retentionRules: Readonly<Record<RetentionRecordType, RetentionRule>> = {
  visit: { defaultDays: 1825, defaultAction: 'anonymise', minDays: 730, actions: both },
  visit_photo: { defaultDays: 1095, defaultAction: 'delete', minDays: 365, actions: ['delete'] },
  assistance: { defaultDays: 1825, defaultAction: 'anonymise', minDays: 730, actions: both },
  dispute: { defaultDays: 1825, defaultAction: 'anonymise', minDays: 730, actions: both },
  petition: { defaultDays: 1825, defaultAction: 'anonymise', minDays: 730, actions: both },
  hotline: { defaultDays: 1095, defaultAction: 'anonymise', minDays: 365, actions: both },
  pairing: { defaultDays: 1825, defaultAction: 'anonymise', minDays: 730, actions: both },
  must_visit: { defaultDays: 1825, defaultAction: 'anonymise', minDays: 730, actions: both },
  moved_out_resident: { defaultDays: 1095, defaultAction: 'anonymise', minDays: 365, actions: ['anonymise'] },
  deleted_record: { defaultDays: 180, defaultAction: 'delete', minDays: 30, actions: ['delete'] },
  import_report: { defaultDays: 365, defaultAction: 'anonymise', minDays: 30, actions: both },
  session: { defaultDays: 30, defaultAction: 'delete', minDays: 1, actions: ['delete'] },
};

/** The longest period that can be set (a hundred years: in effect, kept). */
export const MAX_RETENTION_DAYS = 36_500;

/** A record type's period and action in force, with its default and limits. */
export const retentionPolicy = z.object({
  recordType: z.enum(retentionRecordTypes),
  days: z.number().int(),
  action: z.enum(retentionActions),
  /** Whether the default is in force (nothing has been set). */
  isDefault: z.boolean(),
  defaultDays: z.number().int(),
  defaultAction: z.enum(retentionActions),
  minDays: z.number().int(),
  actions: z.array(z.enum(retentionActions)),
  updatedAt: z.string().nullable(),
  /** Who set it (display name), or null for the default. */
  updatedBy: z.string().nullable(),
});
export type RetentionPolicy = z.infer<typeof retentionPolicy>;

export const retentionSettings = z.object({
  /** Whether the server runs the job every day (RETENTION_SCHEDULE). */
  scheduled: z.boolean(),
  policies: z.array(retentionPolicy),
});
export type RetentionSettings = z.infer<typeof retentionSettings>;

/** A new period and action for one record type (the minimum is checked by the server, per type). */
export const retentionPolicyInput = z.strictObject({
  days: z.number().int().min(0).max(MAX_RETENTION_DAYS),
  action: z.enum(retentionActions),
});
export type RetentionPolicyInput = z.infer<typeof retentionPolicyInput>;

export const retentionRecordTypeParam = z.object({ recordType: z.enum(retentionRecordTypes) });

export const retentionRunInput = z.strictObject({ dryRun: z.boolean().default(false) });

/** Who started a run. */
export const retentionTriggers = ['schedule', 'cli', 'api'] as const;
export type RetentionTrigger = (typeof retentionTriggers)[number];

/** What a run did (or, dry, would do) to one record type. */
export const retentionReportItem = z.object({
  recordType: z.enum(retentionRecordTypes),
  action: z.enum(retentionActions),
  days: z.number().int(),
  /** Records whose date (China's calendar) is on or before this day had expired. */
  cutoff: isoDate,
  anonymised: z.number().int(),
  deleted: z.number().int(),
  /** Photo files removed from the attachments folder. */
  filesRemoved: z.number().int(),
});
export type RetentionReportItem = z.infer<typeof retentionReportItem>;

/** One run of the retention job and its report. */
export const retentionRun = z.object({
  id: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  trigger: z.enum(retentionTriggers),
  dryRun: z.boolean(),
  /** Who asked for it (a user's name, `cli`), or `system` for the daily run. */
  actorName: z.string(),
  status: z.enum(['ok', 'failed']),
  items: z.array(retentionReportItem),
  /** Why a failed run stopped (what it did before that is in `items`). */
  error: z.string().nullable(),
});
export type RetentionRun = z.infer<typeof retentionRun>;
