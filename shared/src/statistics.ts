import { z } from 'zod';

/** Registry figures for an org subtree, as of a date; the same object the CLI prints. */
export const registryStatistics = z.object({
  orgUnitId: z.string(),
  orgCode: z.string(),
  orgName: z.string(),
  /** Start of the period counted for moves in and out. */
  from: z.string(),
  /** The date the figures are taken on (the end of the period). */
  asOf: z.string(),
  residents: z.number().int(),
  households: z.number().int(),
  minorityResidents: z.number().int(),
  minorityShare: z.number(),
  minorityGroups: z.number().int(),
  /** Residents by GB/T 3304 code. */
  byEthnicity: z.record(z.string(), z.number().int()),
  interEthnicCouples: z.number().int(),
  floatingResidents: z.number().int(),
  movedIn: z.number().int(),
  movedOut: z.number().int(),
  grids: z.number().int(),
  memberUnits: z.number().int(),
  buildings: z.number().int(),
  entrances: z.number().int(),
  dwellings: z.number().int(),
  rentalDwellings: z.number().int(),
});
export type RegistryStatistics = z.infer<typeof registryStatistics>;
