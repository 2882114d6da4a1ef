import { z } from 'zod';

/** One problem of one row of an imported file: where it is, what was there, and why (in Chinese). */
export const importProblem = z.object({
  sheet: z.string(),
  row: z.number().int(),
  column: z.string(),
  value: z.string(),
  code: z.string(),
  reason: z.string(),
});
export type ImportProblem = z.infer<typeof importProblem>;

/**
 * What an import did (or, for a dry run, would do). Every non-blank row after the header is counted
 * once: `rows = accepted + merged + rejected`, `accepted = created + updated`; flagged rows are
 * accepted rows held for review (待核实).
 */
export const importReport = z.object({
  file: z.string(),
  register: z.string(),
  dryRun: z.boolean(),
  /** True when this file (same content) was committed before for the same org unit. */
  seenBefore: z.boolean(),
  rows: z.number().int(),
  blankRows: z.number().int(),
  accepted: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  merged: z.number().int(),
  rejected: z.array(importProblem),
  flagged: z.array(importProblem),
  /** Rows that repeat an earlier row of the file (same person): sheet, row, and the row they repeat. */
  mergedRows: z.array(z.object({ sheet: z.string(), row: z.number().int(), sameAs: z.number().int() })),
  createdPlaces: z.object({
    grids: z.array(z.string()),
    households: z.number().int(),
    estates: z.array(z.string()),
    buildings: z.number().int(),
    entrances: z.number().int(),
    dwellings: z.number().int(),
  }),
});
export type ImportReport = z.infer<typeof importReport>;

/** An import running on the server, polled by the browser until it is done or failed. */
export const importJob = z.object({
  id: z.string(),
  uploadId: z.string(),
  state: z.enum(['running', 'done', 'failed']),
  dryRun: z.boolean(),
  rowsDone: z.number().int(),
  report: importReport.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type ImportJob = z.infer<typeof importJob>;
