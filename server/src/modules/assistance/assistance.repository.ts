import { sql } from 'kysely';
import type { PageQuery } from '@shiliuzi/shared/api';
import type { Executor } from '../../db/database.ts';
import { dialectOf } from '../../db/dialect-of.ts';
import { pageWithTotal } from '../../db/paging.ts';
import type { AssistanceRow } from '../../db/schema.ts';
import { inOrgScope, orgSubtreeIds, type OrgScope } from '../../db/scope.ts';
import { offsetOf } from '../../lib/pagination.ts';

export type AssistanceListRow = AssistanceRow & { residentName: string; decidedByName: string | null };

export interface AssistanceFilter {
  kind?: string | undefined;
  fundSource?: string | undefined;
  status?: string | undefined;
  residentId?: string | undefined;
  /** Applied on or after / on or before. */
  from?: string | undefined;
  to?: string | undefined;
  /** Beneficiary's name or the description contains this. */
  q?: string | undefined;
  includeDeleted?: boolean | undefined;
}

export type AssistanceSort = 'appliedOn' | 'amountFen' | 'createdAt';

function filtered(db: Executor, scope: OrgScope, filter: AssistanceFilter) {
  const dialect = dialectOf(db);
  return db
    .selectFrom('assistance')
    .innerJoin('resident', 'resident.id', 'assistance.residentId')
    .where(inOrgScope(db, 'assistance.orgUnitId', scope))
    .$if(!filter.includeDeleted, (qb) => qb.where('assistance.deletedAt', 'is', null))
    .$if(filter.kind !== undefined, (qb) => qb.where('assistance.kind', '=', filter.kind!))
    .$if(filter.fundSource !== undefined, (qb) => qb.where('assistance.fundSource', '=', filter.fundSource!))
    .$if(filter.status !== undefined, (qb) => qb.where('assistance.status', '=', filter.status!))
    .$if(filter.residentId !== undefined, (qb) => qb.where('assistance.residentId', '=', filter.residentId!))
    .$if(filter.from !== undefined, (qb) => qb.where('assistance.appliedOn', '>=', filter.from!))
    .$if(filter.to !== undefined, (qb) => qb.where('assistance.appliedOn', '<=', filter.to!))
    .$if(Boolean(filter.q), (qb) =>
      qb.where((eb) =>
        eb.or([
          dialect.contains(sql.ref<string>('resident.name'), filter.q!),
          dialect.contains(eb.ref('assistance.description'), filter.q!),
        ]),
      ),
    );
}

async function findAssistanceRow(
  db: Executor,
  scopePath: string,
  id: string,
): Promise<AssistanceListRow | undefined> {
  return db
    .selectFrom('assistance')
    .innerJoin('resident', 'resident.id', 'assistance.residentId')
    .leftJoin('appUser', 'appUser.id', 'assistance.decidedBy')
    .selectAll('assistance')
    .select(['resident.name as residentName', 'appUser.displayName as decidedByName'])
    .where('assistance.id', '=', id)
    .where('assistance.orgUnitId', 'in', orgSubtreeIds(db, scopePath))
    .executeTakeFirst();
}

async function findAssistance(
  db: Executor,
  scope: OrgScope,
  filter: AssistanceFilter,
  sort: AssistanceSort,
  page: PageQuery,
): Promise<{ rows: AssistanceListRow[]; total: number }> {
  const base = filtered(db, scope, filter);
  return pageWithTotal(
    db,
    page,
    () =>
      base
        .leftJoin('appUser', 'appUser.id', 'assistance.decidedBy')
        .selectAll('assistance')
        .select(['resident.name as residentName', 'appUser.displayName as decidedByName'])
        .orderBy(`assistance.${sort}`, page.order)
        .orderBy('assistance.id')
        .limit(page.pageSize)
        .offset(offsetOf(page))
        .execute(),
    () => base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  );
}

/** Count and amount (fen) per source of funds of the matching records. */
async function sumBySource(db: Executor, scope: OrgScope, filter: AssistanceFilter) {
  return filtered(db, scope, filter)
    .select((eb) => [
      'assistance.fundSource',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>('assistance.amountFen').as('amountFen'),
    ])
    .groupBy('assistance.fundSource')
    .execute();
}

async function insertAssistance(db: Executor, row: AssistanceRow): Promise<void> {
  await db.insertInto('assistance').values(row).execute();
}

export const assistanceRepository = Object.freeze({
  findAssistanceRow,
  findAssistance,
  sumBySource,
  insertAssistance,
});
