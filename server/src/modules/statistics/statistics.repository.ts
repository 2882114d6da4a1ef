import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import { compiledOnce } from '../../db/compiled-queries.ts';
import { dialectOf } from '../../db/dialect-of.ts';
import { inOrgScope, type OrgScope } from '../../db/scope.ts';

// A community's figures are asked for again and again (dashboards, reports): every statement is
// compiled once for its scope and dates (db/compiled-queries.ts).

/**
 * Registry figures counted in SQL for the org subtree at `scopePath`. A resident counts on
 * `asOf` when live, moved in on or before it (or no date) and not moved out by then.
 */
function currentResidents(db: Executor, scope: OrgScope, asOf: string) {
  return db
    .selectFrom('resident')
    .where(inOrgScope(db, 'resident.orgUnitId', scope))
    .where('resident.deletedAt', 'is', null)
    .where((eb) => eb.or([eb('resident.movedInOn', 'is', null), eb('resident.movedInOn', '<=', asOf)]))
    .where((eb) => eb.or([eb('resident.movedOutOn', 'is', null), eb('resident.movedOutOn', '>', asOf)]));
}

/**
 * Residents by org unit and ethnicity, and how many of each are floating: one pass in the order of
 * resident_org_ethnicity_name_idx, which covers every column read here.
 */
const countResidentsByEthnicity = compiledOnce((db, scope: OrgScope, asOf: string) =>
  currentResidents(db, scope, asOf)
    .select((eb) => [
      'resident.orgUnitId',
      'resident.ethnicityCode',
      eb.fn.countAll<number>().as('n'),
      eb.fn
        .sum<number>(eb.case().when('resident.residenceType', '=', 'floating').then(1).else(0).end())
        .as('floating'),
    ])
    .groupBy(['resident.orgUnitId', 'resident.ethnicityCode']),
);

/** Live households by org unit. */
const countHouseholds = compiledOnce((db, scope: OrgScope) =>
  db
    .selectFrom('household')
    .select(['household.orgUnitId', (eb) => eb.fn.countAll<number>().as('n')])
    .where(inOrgScope(db, 'household.orgUnitId', scope))
    .where('household.deletedAt', 'is', null)
    .groupBy('household.orgUnitId'),
);

/**
 * Residents by age band on `asOf` and gender, for the age pyramid. `lastBirthDates[i]` is the last
 * birth date of someone at least as old as band `i` starts (`yearsBefore`; ascending bands, so
 * descending dates): a resident counts in the oldest band whose date he was born on or before, and
 * in none when born after `asOf` or without a birth date. The bands are found from the birth dates
 * in resident_org_ethnicity_name_idx alone, and a few rows come back instead of one per day of birth.
 */
const countResidentsByAgeBand = compiledOnce(
  (db, scope: OrgScope, asOf: string, lastBirthDates: readonly string[]) =>
    currentResidents(db, scope, asOf)
      .select([
        sql<number>`case ${sql.join(
          lastBirthDates
            .map((date, band) => sql`when ${sql.ref('resident.birthDate')} <= ${date} then ${sql.lit(band)}`)
            .reverse(),
          sql` `,
        )} end`.as('band'),
        'resident.gender',
        (eb) => eb.fn.countAll<number>().as('n'),
      ])
      .where('resident.birthDate', '<=', lastBirthDates[0]!)
      .groupBy([sql.ref('band'), 'resident.gender']),
);

/** The live org units of the subtree, with their paths, for rolling figures up to the direct children. */
const findScopeUnits = compiledOnce((db, scope: OrgScope) =>
  db
    .selectFrom('orgUnit')
    .select(['orgUnit.id', 'orgUnit.code', 'orgUnit.name', 'orgUnit.type', 'orgUnit.path'])
    .where(inOrgScope(db, 'orgUnit.id', scope))
    .where('orgUnit.deletedAt', 'is', null)
    .orderBy('orgUnit.code'),
);

const interEthnicCouples = compiledOnce((db, scope: OrgScope, asOf: string) =>
  currentResidents(db, scope, asOf)
    .innerJoin('resident as spouse', 'spouse.householdId', 'resident.householdId')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('resident.relationToHead', '=', 'head')
    .where('spouse.relationToHead', '=', 'spouse')
    .where('spouse.deletedAt', 'is', null)
    .where(inOrgScope(db, 'spouse.orgUnitId', scope))
    .whereRef('spouse.ethnicityCode', '<>', 'resident.ethnicityCode')
    .where((eb) => eb.or([eb('spouse.movedInOn', 'is', null), eb('spouse.movedInOn', '<=', asOf)]))
    .where((eb) => eb.or([eb('spouse.movedOutOn', 'is', null), eb('spouse.movedOutOn', '>', asOf)])),
);

/** Couples of a head of household and his or her spouse whose ethnicities differ (族际通婚). */
async function countInterEthnicCouples(db: Executor, scope: OrgScope, asOf: string): Promise<number> {
  const [row] = await interEthnicCouples(db, scope, asOf);
  return Number(row!.n);
}

/** Live residents of the scope who moved in (`movedInOn`) or out (`movedOutOn`) in [from, to]. */
const movesOn = compiledOnce(
  (db, scope: OrgScope, column: 'movedInOn' | 'movedOutOn', from: string, to: string) =>
    db
      .selectFrom('resident')
      .where(inOrgScope(db, 'resident.orgUnitId', scope))
      .where('resident.deletedAt', 'is', null)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(`resident.${column}`, '>=', from)
      .where(`resident.${column}`, '<=', to),
);

async function countMoves(db: Executor, scope: OrgScope, from: string, to: string) {
  const [[movedIn], [movedOut]] = await Promise.all([
    movesOn(db, scope, 'movedInOn', from, to),
    movesOn(db, scope, 'movedOutOn', from, to),
  ]);
  return { movedIn: Number(movedIn!.n), movedOut: Number(movedOut!.n) };
}

const countOrgUnitsByType = compiledOnce((db, scope: OrgScope) =>
  db
    .selectFrom('orgUnit')
    .select(['orgUnit.type', (eb) => eb.fn.countAll<number>().as('n')])
    .where(inOrgScope(db, 'orgUnit.id', scope))
    .groupBy('orgUnit.type'),
);

const countPlacesByKind = compiledOnce((db, scope: OrgScope) =>
  db
    .selectFrom('place')
    .select(['place.kind', 'place.isRental', (eb) => eb.fn.countAll<number>().as('n')])
    .where(inOrgScope(db, 'place.orgUnitId', scope))
    .where('place.deletedAt', 'is', null)
    .groupBy(['place.kind', 'place.isRental']),
);

/**
 * SQLite: a number that changes whenever another connection (the server answering requests, an
 * import, a CLI command) has committed a change to the registers since this connection last asked;
 * the audit trail's own file does not count. PostgreSQL has no such number: undefined.
 */
async function registersVersion(db: Executor): Promise<number | undefined> {
  if (dialectOf(db).name !== 'sqlite') return undefined;
  const { rows } = await sql<{ v: number }>`select data_version as v from main.pragma_data_version`.execute(
    db,
  );
  return Number(rows[0]!.v);
}

export const statisticsRepository = Object.freeze({
  registersVersion,
  countResidentsByEthnicity,
  countHouseholds,
  countResidentsByAgeBand,
  findScopeUnits,
  countInterEthnicCouples,
  countMoves,
  countOrgUnitsByType,
  countPlacesByKind,
});
