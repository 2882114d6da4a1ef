import { z } from 'zod';

/** The registers (台账) an import recognises and an export writes. */
export const registerKinds = ['residents', 'minority', 'floating', 'dwellings'] as const;
export type RegisterKind = (typeof registerKinds)[number];

/** What a column of a register can hold; `ignored` is a column read and not imported (序号, 年龄…). */
export const importFields = [
  'name',
  'idNumber',
  'ethnicity',
  'gender',
  'birthDate',
  'phone',
  'address',
  'estate',
  'building',
  'entrance',
  'room',
  'grid',
  'householdHead',
  'householdHeadIdNumber',
  'relationToHead',
  'residenceType',
  'originRegion',
  'languages',
  'movedInOn',
  'note',
  'flags',
  'flag.hardship',
  'flag.minimumLivingAllowance',
  'flag.disabled',
  'flag.elderlyAlone',
  'flag.partyMember',
  'flag.volunteer',
  'arrivalDate',
  'floatingReason',
  'floatingOrigin',
  'expectedStay',
  'stall',
  'workplace',
  'landlordName',
  'landlordPhone',
  'dwellingStatus',
  'rented',
  'ignored',
] as const;
export type ImportField = (typeof importFields)[number];

/** One column of a sheet as the import reads it. */
export const columnLayout = z.strictObject({
  /** 0-based: 0 is column A. */
  index: z.number().int().min(0),
  letter: z.string(),
  /** The header as written; for a two-row header 'group/detail' (户籍地/省). */
  header: z.string(),
  /** null: not mapped (an unknown header, or one the user chose not to import). */
  field: z.enum(importFields).nullable(),
  /** How the field was found: by the user's template or choice, exactly, or because the header contains a synonym. */
  matchedBy: z.enum(['template', 'exact', 'contains', 'group', 'none']),
});
export type ColumnLayout = z.infer<typeof columnLayout>;

/** Where a sheet's header is and what each column holds: detected, then possibly corrected by the user. */
export const sheetLayout = z.strictObject({
  sheet: z.string(),
  register: z.enum(registerKinds),
  /** The header's row numbers (one, or two for a group over its details). */
  headerRows: z.array(z.number().int().min(1)).min(1).max(2),
  /** Text of the rows above the header (titles, 填报单位…). */
  titles: z.array(z.string()),
  /** Every column with a header, in sheet order. */
  columns: z.array(columnLayout),
  /** True when the user chose to skip this sheet. */
  ignored: z.boolean().optional(),
});
export type SheetLayout = z.infer<typeof sheetLayout>;

/** A corrected mapping kept under a name for files of the same shape (header → field). */
export const importTemplate = z.object({
  id: z.string(),
  orgUnitId: z.string(),
  name: z.string(),
  register: z.enum(registerKinds).optional(),
  columns: z.record(z.string(), z.enum(importFields).nullable()),
  createdAt: z.string(),
});
export type ImportTemplateRecord = z.infer<typeof importTemplate>;

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
  /** How each sheet was read (header, columns and their fields), for the user to check and correct. */
  layouts: z.array(sheetLayout),
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
