import { z } from 'zod';
import { memberUnitKinds, orgUnitTypes } from './registry.ts';

export const orgUnitCode = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9_-]+$/, { message: 'org_code_format' });

export const orgUnitInput = z.object({
  code: orgUnitCode,
  name: z.string().trim().min(1).max(100),
  type: z.enum(orgUnitTypes),
  parentId: z.uuid().nullable(),
  memberUnitKind: z.enum(memberUnitKinds).nullable().optional(),
  areaKm2: z.number().positive().max(100_000).nullable().optional(),
});
export type OrgUnitInput = z.infer<typeof orgUnitInput>;

/** Type and parent are fixed once created: moving a subtree is a separate, deliberate operation. */
export const orgUnitPatch = orgUnitInput
  .pick({ code: true, name: true, memberUnitKind: true, areaKm2: true })
  .partial()
  .extend({ version: z.number().int().min(1) });
export type OrgUnitPatch = z.infer<typeof orgUnitPatch>;

export const orgUnit = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  type: z.enum(orgUnitTypes),
  memberUnitKind: z.enum(memberUnitKinds).nullable(),
  parentId: z.string().nullable(),
  path: z.string(),
  depth: z.number().int(),
  streetId: z.string().nullable(),
  areaKm2: z.number().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type OrgUnit = z.infer<typeof orgUnit>;

export const orgUnitSortFields = ['code', 'name', 'type', 'createdAt'] as const;
