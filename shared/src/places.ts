import { z } from 'zod';
import { placeKinds } from './registry.ts';
import { phoneSchema } from './phone.ts';

export const placeInput = z.object({
  orgUnitId: z.uuid(),
  kind: z.enum(placeKinds),
  parentId: z.uuid().nullable().optional(),
  name: z.string().trim().min(1).max(100),
  address: z.string().trim().max(200).nullable().optional(),
  isRental: z.boolean().optional(),
  landlordName: z.string().trim().max(50).nullable().optional(),
  landlordPhone: phoneSchema.nullable().optional(),
  note: z.string().max(2000).nullable().optional(),
});
export type PlaceInput = z.infer<typeof placeInput>;

export const placePatch = placeInput
  .omit({ orgUnitId: true, kind: true })
  .partial()
  .extend({ version: z.number().int().min(1) });
export type PlacePatch = z.infer<typeof placePatch>;

export const place = z.object({
  id: z.string(),
  orgUnitId: z.string(),
  streetId: z.string().nullable(),
  kind: z.enum(placeKinds),
  parentId: z.string().nullable(),
  name: z.string(),
  address: z.string().nullable(),
  isRental: z.boolean(),
  landlordName: z.string().nullable(),
  /** Masked unless revealed. */
  landlordPhone: z.string().nullable(),
  note: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type Place = z.infer<typeof place>;

export const placeSortFields = ['name', 'kind', 'createdAt'] as const;
