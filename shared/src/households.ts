import { z } from 'zod';

export const householdInput = z.object({
  orgUnitId: z.uuid(),
  dwellingId: z.uuid().nullable().optional(),
  householdNumber: z.string().trim().max(50).nullable().optional(),
  address: z.string().trim().max(200).nullable().optional(),
  note: z.string().max(2000).nullable().optional(),
});
export type HouseholdInput = z.infer<typeof householdInput>;

export const householdPatch = householdInput
  .omit({ orgUnitId: true })
  .partial()
  .extend({ version: z.number().int().min(1) });
export type HouseholdPatch = z.infer<typeof householdPatch>;

export const household = z.object({
  id: z.string(),
  orgUnitId: z.string(),
  streetId: z.string().nullable(),
  dwellingId: z.string().nullable(),
  householdNumber: z.string().nullable(),
  /** The address recorded for the household, masked (羌兴苑一期1栋*单元***) unless revealed. */
  address: z.string().nullable(),
  /**
   * The address of its dwelling, masked likewise; null without a dwelling (or one out of sight).
   * Given by the list and the detail read, not by a write's answer.
   */
  dwellingAddress: z.string().nullable().optional(),
  note: z.string().nullable(),
  /** Name of the head of household, when one is recorded. */
  headName: z.string().nullable(),
  memberCount: z.number().int(),
  /** Head and spouse are of different ethnicities (族际通婚), derived from the members. */
  isInterEthnicMarriage: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type Household = z.infer<typeof household>;

export const householdSortFields = ['householdNumber', 'address', 'createdAt'] as const;

export const revealableHouseholdFields = ['address', 'dwellingAddress'] as const;
export type RevealableHouseholdField = (typeof revealableHouseholdFields)[number];
