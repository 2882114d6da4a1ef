import type { Executor } from '../../db/database.ts';
import { orgSubtreeIds } from '../../db/scope.ts';

/**
 * Registry figures counted in SQL for the org subtree at `scopePath`. A resident counts on
 * `asOf` when live, moved in on or before it (or no date) and not moved out by then.
 */
function currentResidents(db: Executor, scopePath: string, asOf: string) {
  return db
    .selectFrom('resident')
    .where('resident.orgUnitId', 'in', orgSubtreeIds(db, scopePath))
    .where('resident.deletedAt', 'is', null)
    .where((eb) => eb.or([eb('resident.movedInOn', 'is', null), eb('resident.movedInOn', '<=', asOf)]))
    .where((eb) => eb.or([eb('resident.movedOutOn', 'is', null), eb('resident.movedOutOn', '>', asOf)]));
}

async function countResidentsByEthnicity(db: Executor, scopePath: string, asOf: string) {
  return currentResidents(db, scopePath, asOf)
    .select(['resident.ethnicityCode', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('resident.ethnicityCode')
    .execute();
}

async function countFloatingResidents(db: Executor, scopePath: string, asOf: string): Promise<number> {
  const { n } = await currentResidents(db, scopePath, asOf)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('resident.residenceType', '=', 'floating')
    .executeTakeFirstOrThrow();
  return Number(n);
}

async function countHouseholds(db: Executor, scopePath: string): Promise<number> {
  const { n } = await db
    .selectFrom('household')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('household.orgUnitId', 'in', orgSubtreeIds(db, scopePath))
    .where('household.deletedAt', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** Couples of a head of household and his or her spouse whose ethnicities differ (族际通婚). */
async function countInterEthnicCouples(db: Executor, scopePath: string, asOf: string): Promise<number> {
  const { n } = await currentResidents(db, scopePath, asOf)
    .innerJoin('resident as spouse', 'spouse.householdId', 'resident.householdId')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('resident.relationToHead', '=', 'head')
    .where('spouse.relationToHead', '=', 'spouse')
    .where('spouse.deletedAt', 'is', null)
    .where('spouse.orgUnitId', 'in', orgSubtreeIds(db, scopePath))
    .whereRef('spouse.ethnicityCode', '<>', 'resident.ethnicityCode')
    .where((eb) => eb.or([eb('spouse.movedInOn', 'is', null), eb('spouse.movedInOn', '<=', asOf)]))
    .where((eb) => eb.or([eb('spouse.movedOutOn', 'is', null), eb('spouse.movedOutOn', '>', asOf)]))
    .executeTakeFirstOrThrow();
  return Number(n);
}

async function countMoves(db: Executor, scopePath: string, from: string, to: string) {
  const base = db
    .selectFrom('resident')
    .where('resident.orgUnitId', 'in', orgSubtreeIds(db, scopePath))
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

async function countOrgUnitsByType(db: Executor, scopePath: string) {
  return db
    .selectFrom('orgUnit')
    .select(['orgUnit.type', (eb) => eb.fn.countAll<number>().as('n')])
    .where('orgUnit.id', 'in', orgSubtreeIds(db, scopePath))
    .groupBy('orgUnit.type')
    .execute();
}

async function countPlacesByKind(db: Executor, scopePath: string) {
  return db
    .selectFrom('place')
    .select(['place.kind', 'place.isRental', (eb) => eb.fn.countAll<number>().as('n')])
    .where('place.orgUnitId', 'in', orgSubtreeIds(db, scopePath))
    .where('place.deletedAt', 'is', null)
    .groupBy(['place.kind', 'place.isRental'])
    .execute();
}

export const statisticsRepository = Object.freeze({
  countResidentsByEthnicity,
  countFloatingResidents,
  countHouseholds,
  countInterEthnicCouples,
  countMoves,
  countOrgUnitsByType,
  countPlacesByKind,
});
