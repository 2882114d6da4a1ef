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
  address: z.string().nullable(),
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
