import { z } from 'zod';

/** Ten-year age bands of the age pyramid: 0–9, 10–19, …, 80 and over. */
export const ageBandStarts = [0, 10, 20, 30, 40, 50, 60, 70, 80] as const;

/** The figures of one direct child org unit (or of residents recorded on the unit itself). */
export const childStatistics = z.object({
  /** `null` for residents recorded directly on the selected unit rather than on a child. */
  orgUnitId: z.string().nullable(),
  code: z.string().nullable(),
  name: z.string().nullable(),
  type: z.string().nullable(),
  residents: z.number().int(),
  households: z.number().int(),
  minorityResidents: z.number().int(),
  floatingResidents: z.number().int(),
});
export type ChildStatistics = z.infer<typeof childStatistics>;

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
  /** One row per direct child org unit, in code order; the rows add up to the totals above. */
  byChild: z.array(childStatistics),
  /** Residents by ten-year age band (see `ageBandStarts`) and gender, as of `asOf`. */
  ageBands: z.array(
    z.object({
      from: z.number().int(),
      /** Inclusive upper age; `null` for the open last band. */
      to: z.number().int().nullable(),
      male: z.number().int(),
      female: z.number().int(),
    }),
  ),
});
export type RegistryStatistics = z.infer<typeof registryStatistics>;

/** Completed years of age on `asOf` for a `YYYY-MM-DD` birth date. */
export function ageOn(birthDate: string, asOf: string): number {
  const years = Number(asOf.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return asOf.slice(5) < birthDate.slice(5) ? years - 1 : years;
}
