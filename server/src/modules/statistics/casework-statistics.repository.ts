import { sql } from 'kysely';
import { ethnicGroups, isMinority } from '@shiliuzi/shared/ethnicity';
import type { Executor } from '../../db/database.ts';
import { dialectOf } from '../../db/dialect-of.ts';
import { inOrgScope, type OrgScope } from '../../db/scope.ts';

// Casework figures (visits, must-visits, pairing, assistance) counted in SQL for an org subtree
// and a period [from, asOf]; nothing is loaded into JavaScript but one row per group.

/** The codes that make a household a minority household (every group but Han and the local extensions). */
const minorityCodes = ethnicGroups
  .filter((g) => isMinority(g.code))
  .map((g) => g.code)
  .sort();
/**
 * The first and last of them (02 and 56): the minority codes lie between, so the range finds them
 * in the index by unit and ethnicity, where a list of 55 codes is read row by row on PostgreSQL.
 * The list still decides (a code in the range need not be a minority's).
 */
const minorityRange = [minorityCodes[0]!, minorityCodes[minorityCodes.length - 1]!] as const;

/** Live visits made in the period, by purpose. */
async function countVisitsByPurpose(db: Executor, scope: OrgScope, from: string, asOf: string) {
  return db
    .selectFrom('visit')
    .select(['visit.purpose', (eb) => eb.fn.countAll<number>().as('n')])
    .where(inOrgScope(db, 'visit.orgUnitId', scope))
    .where('visit.deletedAt', 'is', null)
    .where('visit.visitedOn', '>=', from)
    .where('visit.visitedOn', '<=', asOf)
    .groupBy('visit.purpose')
    .execute();
}

/**
 * Must-visit tasks as they stood on `asOf`: still to visit and not yet due (open), still to visit
 * past the due date (overdue), and those visited in the period on or before (on time) or after
 * (late) their due date.
 */
async function countMustVisits(db: Executor, scope: OrgScope, from: string, asOf: string) {
  const row = await db
    .selectFrom('mustVisitTask as t')
    .select((eb) => {
      const pending = eb.and([
        eb('t.eventOn', '<=', asOf),
        eb.or([eb('t.doneOn', 'is', null), eb('t.doneOn', '>', asOf)]),
      ]);
      const doneInPeriod = eb.and([eb('t.doneOn', '>=', from), eb('t.doneOn', '<=', asOf)]);
      const count = (condition: ReturnType<typeof eb.and>) =>
        eb.fn.sum<number>(eb.case().when(condition).then(1).else(0).end());
      return [
        count(eb.and([pending, eb('t.dueOn', '>=', asOf)])).as('open'),
        count(eb.and([pending, eb('t.dueOn', '<', asOf)])).as('overdue'),
        count(eb.and([doneInPeriod, eb('t.doneOn', '<=', eb.ref('t.dueOn'))])).as('doneOnTime'),
        count(eb.and([doneInPeriod, eb('t.doneOn', '>', eb.ref('t.dueOn'))])).as('doneLate'),
      ];
    })
    .where(inOrgScope(db, 't.orgUnitId', scope))
    .where('t.deletedAt', 'is', null)
    .executeTakeFirstOrThrow();
  return {
    open: Number(row.open ?? 0),
    overdue: Number(row.overdue ?? 0),
    doneOnTime: Number(row.doneOnTime ?? 0),
    doneLate: Number(row.doneLate ?? 0),
  };
}

/**
 * Minority households (a live household with at least one live minority member) and how many of
 * them have a pairing active on `asOf`. A member lives in the household's unit or below it, so the
 * scope's minority residents name every such household: they are found in the index by unit and
 * ethnicity, and each household and its pairing by the household's id.
 */
async function countMinorityHouseholds(db: Executor, scope: OrgScope, asOf: string) {
  const row = await db
    .selectFrom('household')
    .select((eb) => [
      eb.fn.countAll<number>().as('minorityHouseholds'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(
              eb.exists(
                eb
                  .selectFrom('pairing')
                  .select('pairing.id')
                  .whereRef('pairing.householdId', '=', 'household.id')
                  .where('pairing.deletedAt', 'is', null)
                  .where('pairing.startedOn', '<=', asOf)
                  .where((e) => e.or([e('pairing.endedOn', 'is', null), e('pairing.endedOn', '>=', asOf)])),
              ),
            )
            .then(1)
            .else(0)
            .end(),
        )
        .as('paired'),
    ])
    .where(inOrgScope(db, 'household.orgUnitId', scope))
    .where('household.deletedAt', 'is', null)
    .where('household.id', 'in', (eb) =>
      eb
        .selectFrom('resident')
        .select('resident.householdId')
        .where(inOrgScope(db, 'resident.orgUnitId', scope))
        .where('resident.deletedAt', 'is', null)
        .where('resident.ethnicityCode', '>=', minorityRange[0])
        .where('resident.ethnicityCode', '<=', minorityRange[1])
        .where('resident.ethnicityCode', 'in', minorityCodes),
    )
    .executeTakeFirstOrThrow();
  return { minorityHouseholds: Number(row.minorityHouseholds), paired: Number(row.paired ?? 0) };
}

/**
 * Pairings active on `asOf`, and how many of them had a contact (a visit by the cadre to the
 * household or one of its members, since the pairing began) within the last `frequency_days` days.
 */
async function countPairingCompliance(db: Executor, scope: OrgScope, asOf: string) {
  const dialect = dialectOf(db);
  // The visits to each active pairing's household itself and to each of its members (both found
  // through the indexes on the household), then those made by the cadre within the window: one set
  // of pairing ids computed once (PostgreSQL hashes it, SQLite keeps it as a list), so that neither
  // engine runs a subquery per pairing.
  const visitsTo = (path: 'household' | 'member') =>
    db
      .selectFrom('pairing as paired')
      .$call((qb) =>
        path === 'household'
          ? qb.innerJoin('visitSubject', 'visitSubject.householdId', 'paired.householdId')
          : qb
              .innerJoin('resident as member', 'member.householdId', 'paired.householdId')
              .innerJoin('visitSubject', 'visitSubject.residentId', 'member.id'),
      )
      .select([
        'paired.id as pairingId',
        'paired.cadreId',
        'paired.startedOn',
        'paired.frequencyDays',
        'visitSubject.visitId',
      ])
      .where(inOrgScope(db, 'paired.orgUnitId', scope))
      .where('paired.deletedAt', 'is', null)
      .where('paired.startedOn', '<=', asOf)
      .where((eb) => eb.or([eb('paired.endedOn', 'is', null), eb('paired.endedOn', '>=', asOf)]));
  const contacted = db
    .selectFrom(visitsTo('household').unionAll(visitsTo('member')).as('subject'))
    .innerJoin('visit', 'visit.id', 'subject.visitId')
    .innerJoin('visitVisitor', (join) =>
      join
        .onRef('visitVisitor.visitId', '=', 'visit.id')
        .onRef('visitVisitor.userId', '=', 'subject.cadreId'),
    )
    .select('subject.pairingId')
    .where('visit.deletedAt', 'is', null)
    .whereRef('visit.visitedOn', '>=', 'subject.startedOn')
    .where('visit.visitedOn', '<=', asOf)
    .where('visit.visitedOn', '>', dialect.dateMinusDays(asOf, sql.ref<number>('subject.frequencyDays')));
  const row = await db
    .selectFrom('pairing')
    .select((eb) => [
      eb.fn.countAll<number>().as('active'),
      eb.fn
        .sum<number>(
          eb
            .case()
            .when(eb('pairing.id', 'in', contacted))
            .then(1)
            .else(0)
            .end(),
        )
        .as('contacted'),
    ])
    .where(inOrgScope(db, 'pairing.orgUnitId', scope))
    .where('pairing.deletedAt', 'is', null)
    .where('pairing.startedOn', '<=', asOf)
    .where((eb) => eb.or([eb('pairing.endedOn', 'is', null), eb('pairing.endedOn', '>=', asOf)]))
    .executeTakeFirstOrThrow();
  return { active: Number(row.active), contacted: Number(row.contacted ?? 0) };
}

/** Approved assistance decided in the period: count and amount (fen) by source of funds. */
async function sumApprovedAssistance(db: Executor, scope: OrgScope, from: string, asOf: string) {
  return db
    .selectFrom('assistance')
    .select((eb) => [
      'assistance.fundSource',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>('assistance.amountFen').as('amountFen'),
    ])
    .where(inOrgScope(db, 'assistance.orgUnitId', scope))
    .where('assistance.deletedAt', 'is', null)
    .where('assistance.status', '=', 'approved')
    .where('assistance.decidedOn', '>=', from)
    .where('assistance.decidedOn', '<=', asOf)
    .groupBy('assistance.fundSource')
    .execute();
}

export const caseworkStatisticsRepository = Object.freeze({
  countVisitsByPurpose,
  countMustVisits,
  countMinorityHouseholds,
  countPairingCompliance,
  sumApprovedAssistance,
});
