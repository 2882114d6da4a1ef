import { ethnicGroups, isMinority } from '@shiliuzi/shared/ethnicity';
import type { Executor } from '../../db/database.ts';
import { dialectOf } from '../../db/dialect-of.ts';
import { inOrgScope, type OrgScope } from '../../db/scope.ts';

// Casework figures (visits, must-visits, pairing, assistance) counted in SQL for an org subtree
// and a period [from, asOf]; nothing is loaded into JavaScript but one row per group.

/** Han and the local extensions: every code that does not make a household a minority household. */
const nonMinorityCodes = ethnicGroups.filter((g) => !isMinority(g.code)).map((g) => g.code);

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
 * them have a pairing active on `asOf`.
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
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('resident')
          .select('resident.id')
          .whereRef('resident.householdId', '=', 'household.id')
          .where('resident.deletedAt', 'is', null)
          .where('resident.ethnicityCode', 'not in', nonMinorityCodes),
      ),
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
  // Each path starts from the pairing's household (its own visits, then its members'), so the index on
  // the household finds the few visits to check, however many visits the cadre has made elsewhere.
  const row = await db
    .selectFrom('pairing')
    .select((eb) => {
      const byCadreInWindow = (from: 'household' | 'member') => {
        const base =
          from === 'household'
            ? eb.selectFrom('visitSubject').whereRef('visitSubject.householdId', '=', 'pairing.householdId')
            : eb
                .selectFrom('resident as member')
                .innerJoin('visitSubject', 'visitSubject.residentId', 'member.id')
                .whereRef('member.householdId', '=', 'pairing.householdId');
        return base
          .innerJoin('visit', 'visit.id', 'visitSubject.visitId')
          .innerJoin('visitVisitor', (join) =>
            join
              .onRef('visitVisitor.visitId', '=', 'visit.id')
              .onRef('visitVisitor.userId', '=', 'pairing.cadreId'),
          )
          .select('visit.id')
          .where('visit.deletedAt', 'is', null)
          .whereRef('visit.visitedOn', '>=', 'pairing.startedOn')
          .where('visit.visitedOn', '<=', asOf)
          .where('visit.visitedOn', '>', dialect.dateMinusDays(asOf, eb.ref('pairing.frequencyDays')));
      };
      return [
        eb.fn.countAll<number>().as('active'),
        eb.fn
          .sum<number>(
            eb
              .case()
              .when(eb.or([eb.exists(byCadreInWindow('household')), eb.exists(byCadreInWindow('member'))]))
              .then(1)
              .else(0)
              .end(),
          )
          .as('contacted'),
      ];
    })
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
