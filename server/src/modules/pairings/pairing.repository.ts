import { sql, type ExpressionBuilder } from 'kysely';
import type { PageQuery } from '@shiliuzi/shared/api';
import type { Executor } from '../../db/database.ts';
import { dialectOf } from '../../db/dialect-of.ts';
import { pageWithTotal } from '../../db/paging.ts';
import type { DB, PairingRow } from '../../db/schema.ts';
import { inOrgScope, orgSubtreeIds, type OrgScope } from '../../db/scope.ts';
import { offsetOf } from '../../lib/pagination.ts';

export type PairingListRow = PairingRow & {
  cadreName: string;
  householdNumber: string | null;
  householdAddress: string | null;
  lastContactOn: string | null;
};

export interface PairingFilter {
  householdId?: string | undefined;
  cadreId?: string | undefined;
  /** Active on this date: started on or before it and not ended before it. */
  activeOn?: string | undefined;
  /** Next contact expected on or before this date (last contact, or start, + frequency). */
  contactDueBy?: string | undefined;
  /** Cadre's name, household number or address contains this. */
  q?: string | undefined;
  /** Whether `q` may match the household's address (see pairingService.listPairings); default true. */
  qMatchesAddress?: boolean | undefined;
  includeDeleted?: boolean | undefined;
}

/**
 * The last visit on or after the start of the pairing by the cadre to the household or to one of
 * its members: a contact.
 */
export function lastContactOf(eb: ExpressionBuilder<DB, 'pairing'>) {
  return eb
    .selectFrom('visit')
    .innerJoin('visitVisitor', 'visitVisitor.visitId', 'visit.id')
    .innerJoin('visitSubject', 'visitSubject.visitId', 'visit.id')
    .leftJoin('resident as member', 'member.id', 'visitSubject.residentId')
    .select((e) => e.fn.max<string | null>('visit.visitedOn').as('lastContactOn'))
    .whereRef('visitVisitor.userId', '=', 'pairing.cadreId')
    .where('visit.deletedAt', 'is', null)
    .whereRef('visit.visitedOn', '>=', 'pairing.startedOn')
    .where((e) =>
      e.or([
        e('visitSubject.householdId', '=', e.ref('pairing.householdId')),
        e('member.householdId', '=', e.ref('pairing.householdId')),
      ]),
    );
}

function listSelect(db: Executor) {
  return db
    .selectFrom('pairing')
    .innerJoin('appUser', 'appUser.id', 'pairing.cadreId')
    .innerJoin('household', 'household.id', 'pairing.householdId')
    .selectAll('pairing')
    .select((eb) => [
      'appUser.displayName as cadreName',
      'household.householdNumber',
      'household.address as householdAddress',
      lastContactOf(eb).as('lastContactOn'),
    ]);
}

async function findPairingRow(
  db: Executor,
  scopePath: string,
  id: string,
): Promise<PairingListRow | undefined> {
  return listSelect(db)
    .where('pairing.id', '=', id)
    .where('pairing.orgUnitId', 'in', orgSubtreeIds(db, scopePath))
    .executeTakeFirst() as Promise<PairingListRow | undefined>;
}

async function findPairings(
  db: Executor,
  scope: OrgScope,
  filter: PairingFilter,
  page: PageQuery,
): Promise<{ rows: PairingListRow[]; total: number }> {
  const dialect = dialectOf(db);
  const base = db
    .selectFrom('pairing')
    .innerJoin('appUser', 'appUser.id', 'pairing.cadreId')
    .innerJoin('household', 'household.id', 'pairing.householdId')
    .where(inOrgScope(db, 'pairing.orgUnitId', scope))
    .$if(!filter.includeDeleted, (qb) => qb.where('pairing.deletedAt', 'is', null))
    .$if(filter.householdId !== undefined, (qb) => qb.where('pairing.householdId', '=', filter.householdId!))
    .$if(filter.cadreId !== undefined, (qb) => qb.where('pairing.cadreId', '=', filter.cadreId!))
    .$if(filter.activeOn !== undefined, (qb) =>
      qb
        .where('pairing.startedOn', '<=', filter.activeOn!)
        .where((eb) =>
          eb.or([eb('pairing.endedOn', 'is', null), eb('pairing.endedOn', '>=', filter.activeOn!)]),
        ),
    )
    .$if(filter.contactDueBy !== undefined, (qb) =>
      qb.where((eb) =>
        eb(
          eb.fn.coalesce(lastContactOf(eb), eb.ref('pairing.startedOn')),
          '<=',
          dialect.dateMinusDays(filter.contactDueBy!, eb.ref('pairing.frequencyDays')),
        ),
      ),
    )
    .$if(Boolean(filter.q), (qb) =>
      qb.where((eb) =>
        eb.or([
          dialect.contains(sql.ref<string>('appUser.displayName'), filter.q!),
          dialect.contains(eb.ref('household.householdNumber'), filter.q!),
          ...(filter.qMatchesAddress === false
            ? []
            : [dialect.contains(eb.ref('household.address'), filter.q!)]),
        ]),
      ),
    );
  return pageWithTotal(
    db,
    page,
    () =>
      base
        .selectAll('pairing')
        .select((eb) => [
          'appUser.displayName as cadreName',
          'household.householdNumber',
          'household.address as householdAddress',
          lastContactOf(eb).as('lastContactOn'),
        ])
        .orderBy('pairing.startedOn', page.order)
        .orderBy('pairing.id')
        .limit(page.pageSize)
        .offset(offsetOf(page))
        .execute() as Promise<PairingListRow[]>,
    () => base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  );
}

/** Live pairings of the household whose period overlaps [startedOn, endedOn] (open end = for ever). */
async function findOverlapping(
  db: Executor,
  householdId: string,
  startedOn: string,
  endedOn: string | null,
  exceptId?: string,
) {
  return db
    .selectFrom('pairing')
    .select('id')
    .where('householdId', '=', householdId)
    .where('deletedAt', 'is', null)
    .$if(exceptId !== undefined, (qb) => qb.where('id', '<>', exceptId!))
    .where((eb) => eb.or([eb('endedOn', 'is', null), eb('endedOn', '>=', startedOn)]))
    .$if(endedOn !== null, (qb) => qb.where('startedOn', '<=', endedOn!))
    .execute();
}

/** The cadre paired with the household on `on`, if any. */
async function findActiveCadre(db: Executor, householdId: string, on: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('pairing')
    .select('cadreId')
    .where('householdId', '=', householdId)
    .where('deletedAt', 'is', null)
    .where('startedOn', '<=', on)
    .where((eb) => eb.or([eb('endedOn', 'is', null), eb('endedOn', '>=', on)]))
    .orderBy('startedOn', 'desc')
    .executeTakeFirst();
  return row?.cadreId;
}

async function insertPairing(db: Executor, row: PairingRow): Promise<void> {
  await db.insertInto('pairing').values(row).execute();
}

export const pairingRepository = Object.freeze({
  findPairingRow,
  findPairings,
  findOverlapping,
  findActiveCadre,
  insertPairing,
});

/** A live user of the subtree at `scopePath`, as a cadre. */
export async function findUserInScope(db: Executor, scopePath: string, id: string) {
  return db
    .selectFrom('appUser')
    .select(['appUser.id', 'appUser.displayName'])
    .where('appUser.id', '=', id)
    .where('appUser.deletedAt', 'is', null)
    .where('appUser.orgUnitId', 'in', orgSubtreeIds(db, scopePath))
    .executeTakeFirst();
}
