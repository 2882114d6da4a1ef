import { z } from 'zod';
import { floatingReasons, genders, householdRelations, residenceTypes } from './registry.ts';
import { ethnicityCodeSchema } from './ethnicity.ts';
import { idNumberSchema } from './id-number.ts';
import { phoneSchema } from './phone.ts';
import { isoDate } from './api.ts';

export const floatingDetailsInput = z.strictObject({
  arrivalDate: isoDate.nullable().optional(),
  originAddress: z.string().trim().max(200).nullable().optional(),
  reason: z.enum(floatingReasons).nullable().optional(),
  expectedStayMonths: z.number().int().min(0).max(600).nullable().optional(),
  stall: z.string().trim().max(100).nullable().optional(),
  landlordName: z.string().trim().max(50).nullable().optional(),
  landlordPhone: phoneSchema.nullable().optional(),
});
export type FloatingDetailsInput = z.infer<typeof floatingDetailsInput>;

export const residentFlagsInput = z.strictObject({
  hardship: z.boolean().optional(),
  minimumLivingAllowance: z.boolean().optional(),
  disabled: z.boolean().optional(),
  elderlyAlone: z.boolean().optional(),
  partyMember: z.boolean().optional(),
  volunteer: z.boolean().optional(),
});

/**
 * What a caller may set on a resident. Birth date and gender come from the ID number when one is
 * given; a contradicting value is refused rather than silently overwritten.
 */
export const residentInput = z.object({
  orgUnitId: z.uuid(),
  name: z.string().trim().min(1).max(50),
  gender: z.enum(genders).optional(),
  ethnicityCode: ethnicityCodeSchema,
  idNumber: idNumberSchema.nullable().optional(),
  birthDate: isoDate.nullable().optional(),
  originRegionCode: z
    .string()
    .regex(/^\d{6}$/, { message: 'unknown_region' })
    .nullable()
    .optional(),
  phone: phoneSchema.nullable().optional(),
  householdId: z.uuid().nullable().optional(),
  relationToHead: z.enum(householdRelations).nullable().optional(),
  dwellingId: z.uuid().nullable().optional(),
  residenceType: z.enum(residenceTypes).default('permanent'),
  flags: residentFlagsInput.optional(),
  languages: z.array(z.string().trim().min(1).max(20)).max(10).optional(),
  movedInOn: isoDate.nullable().optional(),
  movedOutOn: isoDate.nullable().optional(),
  note: z.string().max(2000).nullable().optional(),
  floating: floatingDetailsInput.nullable().optional(),
});
export type ResidentInput = z.infer<typeof residentInput>;

export const residentPatch = residentInput
  .partial()
  .extend({ residenceType: z.enum(residenceTypes).optional(), version: z.number().int().min(1) });
export type ResidentPatch = z.infer<typeof residentPatch>;

export const residentFlags = z.object({
  hardship: z.boolean(),
  minimumLivingAllowance: z.boolean(),
  disabled: z.boolean(),
  elderlyAlone: z.boolean(),
  partyMember: z.boolean(),
  volunteer: z.boolean(),
});

export const floatingDetails = z.object({
  arrivalDate: z.string().nullable(),
  /** Masked like an address unless revealed. */
  originAddress: z.string().nullable(),
  reason: z.enum(floatingReasons).nullable(),
  expectedStayMonths: z.number().int().nullable(),
  stall: z.string().nullable(),
  landlordName: z.string().nullable(),
  landlordPhone: z.string().nullable(),
});

export const resident = z.object({
  id: z.string(),
  orgUnitId: z.string(),
  streetId: z.string().nullable(),
  householdId: z.string().nullable(),
  relationToHead: z.enum(householdRelations).nullable(),
  dwellingId: z.string().nullable(),
  /**
   * Where the resident lives (现住址), masked (羌兴苑一期1栋*单元***) unless revealed: the dwelling's
   * address, else the household's. Given by the detail read only (not by a write's answer), and not
   * part of the record's history (it follows from the dwelling).
   */
  address: z.string().nullable().optional(),
  name: z.string(),
  gender: z.enum(genders),
  ethnicityCode: z.string(),
  /** Masked (110***********1234) unless revealed through its own call. */
  idNumber: z.string().nullable(),
  birthDate: z.string().nullable(),
  originRegionCode: z.string().nullable(),
  /** Full GB/T 2260 name of the origin, e.g. 四川省阿坝藏族羌族自治州汶川县. */
  originRegionName: z.string().nullable(),
  /** Masked (138****5678) unless revealed. */
  phone: z.string().nullable(),
  residenceType: z.enum(residenceTypes),
  flags: residentFlags,
  /** Why the record is held for review (待核实) after an import, e.g. 'id_check_digit'; null when not. */
  reviewFlag: z.string().nullable(),
  languages: z.array(z.string()),
  movedInOn: z.string().nullable(),
  movedOutOn: z.string().nullable(),
  note: z.string().nullable(),
  floating: floatingDetails.nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type Resident = z.infer<typeof resident>;

/**
 * A resident as lists show it: what a row of the register needs, without the detail page's
 * origin, languages, moves, notes and floating details (a page of 50 stays small and fast).
 */
export const residentSummary = resident.pick({
  id: true,
  orgUnitId: true,
  householdId: true,
  relationToHead: true,
  name: true,
  gender: true,
  ethnicityCode: true,
  idNumber: true,
  birthDate: true,
  phone: true,
  residenceType: true,
  flags: true,
  reviewFlag: true,
  version: true,
  deletedAt: true,
});
export type ResidentSummary = z.infer<typeof residentSummary>;

export const residentSortFields = ['name', 'birthDate', 'ethnicityCode', 'createdAt'] as const;

export const revealableResidentFields = ['idNumber', 'phone', 'address', 'originAddress'] as const;
export type RevealableResidentField = (typeof revealableResidentFields)[number];
