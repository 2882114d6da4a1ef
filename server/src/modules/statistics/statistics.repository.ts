import type { Executor } from '../../db/database.ts';
import { inOrgScope, type OrgScope } from '../../db/scope.ts';

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
async function countResidentsByEthnicity(db: Executor, scope: OrgScope, asOf: string) {
  return currentResidents(db, scope, asOf)
    .select((eb) => [
      'resident.orgUnitId',
      'resident.ethnicityCode',
      eb.fn.countAll<number>().as('n'),
      eb.fn
        .sum<number>(eb.case().when('resident.residenceType', '=', 'floating').then(1).else(0).end())
        .as('floating'),
    ])
    .groupBy(['resident.orgUnitId', 'resident.ethnicityCode'])
    .execute();
}

/** Live households by org unit. */
async function countHouseholds(db: Executor, scope: OrgScope) {
  return db
    .selectFrom('household')
    .select(['household.orgUnitId', (eb) => eb.fn.countAll<number>().as('n')])
    .where(inOrgScope(db, 'household.orgUnitId', scope))
    .where('household.deletedAt', 'is', null)
    .groupBy('household.orgUnitId')
    .execute();
}

/** Residents by birth date and gender, for the age pyramid (at most one row per day of birth). */
async function countResidentsByBirthDate(db: Executor, scope: OrgScope, asOf: string) {
  return currentResidents(db, scope, asOf)
    .select(['resident.birthDate', 'resident.gender', (eb) => eb.fn.countAll<number>().as('n')])
    .where('resident.birthDate', 'is not', null)
    .groupBy(['resident.birthDate', 'resident.gender'])
    .execute();
}

/** The live org units of the subtree, with their paths, for rolling figures up to the direct children. */
async function findScopeUnits(db: Executor, scope: OrgScope) {
  return db
    .selectFrom('orgUnit')
    .select(['orgUnit.id', 'orgUnit.code', 'orgUnit.name', 'orgUnit.type', 'orgUnit.path'])
    .where(inOrgScope(db, 'orgUnit.id', scope))
    .where('orgUnit.deletedAt', 'is', null)
    .orderBy('orgUnit.code')
    .execute();
}

/** Couples of a head of household and his or her spouse whose ethnicities differ (族际通婚). */
async function countInterEthnicCouples(db: Executor, scope: OrgScope, asOf: string): Promise<number> {
  const { n } = await currentResidents(db, scope, asOf)
    .innerJoin('resident as spouse', 'spouse.householdId', 'resident.householdId')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('resident.relationToHead', '=', 'head')
    .where('spouse.relationToHead', '=', 'spouse')
    .where('spouse.deletedAt', 'is', null)
    .where(inOrgScope(db, 'spouse.orgUnitId', scope))
    .whereRef('spouse.ethnicityCode', '<>', 'resident.ethnicityCode')
    .where((eb) => eb.or([eb('spouse.movedInOn', 'is', null), eb('spouse.movedInOn', '<=', asOf)]))
    .where((eb) => eb.or([eb('spouse.movedOutOn', 'is', null), eb('spouse.movedOutOn', '>', asOf)]))
    .executeTakeFirstOrThrow();
  return Number(n);
}

async function countMoves(db: Executor, scope: OrgScope, from: string, to: string) {
  const base = db
    .selectFrom('resident')
    .where(inOrgScope(db, 'resident.orgUnitId', scope))
    .where('resident.deletedAt', 'is', null);
  const [movedIn, movedOut] = await Promise.all([
    base
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('resident.movedInOn', '>=', from)
      .where('resident.movedInOn', '<=', to)
      .executeTakeFirstOrThrow(),
    base
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('resident.movedOutOn', '>=', from)
      .where('resident.movedOutOn', '<=', to)
      .executeTakeFirstOrThrow(),
  ]);
  return { movedIn: Number(movedIn.n), movedOut: Number(movedOut.n) };
}

async function countOrgUnitsByType(db: Executor, scope: OrgScope) {
  return db
    .selectFrom('orgUnit')
    .select(['orgUnit.type', (eb) => eb.fn.countAll<number>().as('n')])
    .where(inOrgScope(db, 'orgUnit.id', scope))
    .groupBy('orgUnit.type')
    .execute();
}

async function countPlacesByKind(db: Executor, scope: OrgScope) {
  return db
    .selectFrom('place')
    .select(['place.kind', 'place.isRental', (eb) => eb.fn.countAll<number>().as('n')])
    .where(inOrgScope(db, 'place.orgUnitId', scope))
    .where('place.deletedAt', 'is', null)
    .groupBy(['place.kind', 'place.isRental'])
    .execute();
}

export const statisticsRepository = Object.freeze({
  countResidentsByEthnicity,
  countHouseholds,
  countResidentsByBirthDate,
  findScopeUnits,
  countInterEthnicCouples,
  countMoves,
  countOrgUnitsByType,
  countPlacesByKind,
});
