import { sql, type SelectQueryBuilder } from 'kysely';
import type { PageQuery } from '@shiliuzi/shared/api';
import type { Gender, ResidenceType, ResidentFlag } from '@shiliuzi/shared/registry';
import type { Executor } from '../../db/database.ts';
import { dialectOf } from '../../db/dialect-of.ts';
import type { DB, FloatingResidentRow, ResidentNameGramRow, ResidentRow } from '../../db/schema.ts';
import { inOrgScope, orgSubtreeIds, type OrgScope } from '../../db/scope.ts';
import { offsetOf } from '../../lib/pagination.ts';
import { pageWithTotal } from '../../db/paging.ts';
import { boundValue, compiledOnce } from '../../db/compiled-queries.ts';
import { asSystem } from '../../db/row-security.ts';

export interface ResidentFilter {
  ethnicityCode?: string | undefined;
  /** Only residents of the 55 minority groups (GB/T 3304 codes 02–56). */
  minority?: boolean | undefined;
  residenceType?: ResidenceType | undefined;
  gender?: Gender | undefined;
  householdId?: string | undefined;
  dwellingId?: string | undefined;
  /** Every listed flag must be set. */
  flags?: readonly ResidentFlag[] | undefined;
  bornAfter?: string | undefined;
  bornOnOrBefore?: string | undefined;
  /** Substring of the name, any length. */
  name?: string | undefined;
  /** Blind index of a whole ID number (the number itself is stored sealed). */
  idNumberHash?: string | undefined;
  /** Blind index of a whole phone number. */
  phoneHash?: string | undefined;
  /** The last 3 or 4 digits of the phone (尾号), matched on the masked phone lists show. */
  phoneTail?: string | undefined;
  deleted?: 'live' | 'deleted' | 'all' | undefined;
  /** Only residents held for review after an import (待核实), or only those not held. */
  review?: boolean | undefined;
}

export type ResidentSort = 'name' | 'birthDate' | 'ethnicityCode' | 'createdAt';

/** A resident row with its floating-population details (null columns when not floating). */
export type ResidentWithFloatingRow = ResidentRow & {
  floatingArrivalDate: string | null;
  floatingOriginAddress: string | null;
  floatingReason: string | null;
  floatingExpectedStayMonths: number | null;
  floatingStall: string | null;
  floatingLandlordName: string | null;
  floatingLandlordPhone: string | null;
  hasFloatingDetails: string | null;
};

/** The column of each resident flag. */
export const flagColumns: Record<ResidentFlag, keyof ResidentRow & `is${string}`> = {
  hardship: 'isHardship',
  minimumLivingAllowance: 'isMinimumLivingAllowance',
  disabled: 'isDisabled',
  elderlyAlone: 'isElderlyAlone',
  partyMember: 'isPartyMember',
  volunteer: 'isVolunteer',
};

/** The distinct 1- and 2-character substrings of a name (by code point, so CJK Ext. B stays whole). */
export function nameGrams(name: string): string[] {
  const chars = Array.from(name);
  const grams = new Set<string>(chars);
  for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i]! + chars[i + 1]!);
  return [...grams];
}

/** The gram to look up for a name query: the query itself up to 2 characters, else its first bigram. */
function searchGram(query: string): string {
  return Array.from(query).slice(0, 2).join('');
}

type ResidentQuery = SelectQueryBuilder<DB, 'resident', object>;

/** The floating-population details of a resident, read through a left join of `floatingResident as fr`. */
export const floatingColumns = [
  'fr.arrivalDate as floatingArrivalDate',
  'fr.originAddress as floatingOriginAddress',
  'fr.reason as floatingReason',
  'fr.expectedStayMonths as floatingExpectedStayMonths',
  'fr.stall as floatingStall',
  'fr.landlordName as floatingLandlordName',
  'fr.landlordPhone as floatingLandlordPhone',
] as const;

function selectWithFloating(qb: ResidentQuery) {
  return qb
    .leftJoin('floatingResident as fr', 'fr.residentId', 'resident.id')
    .selectAll('resident')
    .select([...floatingColumns, 'fr.residentId as hasFloatingDetails']);
}

/** The floating-population details of a row read with `selectWithFloating`; null when it has none. */
export function floatingOf(
  row: ResidentRow | ResidentWithFloatingRow,
): Omit<FloatingResidentRow, 'residentId'> | null {
  if (!('hasFloatingDetails' in row) || row.hasFloatingDetails === null) return null;
  return {
    arrivalDate: row.floatingArrivalDate,
    originAddress: row.floatingOriginAddress,
    reason: row.floatingReason,
    expectedStayMonths: row.floatingExpectedStayMonths,
    stall: row.floatingStall,
    landlordName: row.floatingLandlordName,
    landlordPhone: row.floatingLandlordPhone,
  };
}

/** The columns of a list row (ResidentSummary). */
export const summaryColumns = [
  'resident.id',
  'resident.orgUnitId',
  'resident.householdId',
  'resident.relationToHead',
  'resident.name',
  'resident.gender',
  'resident.ethnicityCode',
  'resident.idNumber',
  'resident.birthDate',
  'resident.phoneMasked',
  'resident.residenceType',
  'resident.isHardship',
  'resident.isMinimumLivingAllowance',
  'resident.isDisabled',
  'resident.isElderlyAlone',
  'resident.isPartyMember',
  'resident.isVolunteer',
  'resident.reviewFlag',
  'resident.version',
  'resident.deletedAt',
] as const;

export type ResidentSummaryRow = Pick<
  ResidentRow,
  (typeof summaryColumns)[number] extends `resident.${infer C}` ? C & keyof ResidentRow : never
>;

async function findResidentById(
  db: Executor,
  scopePath: string,
  id: string,
): Promise<ResidentWithFloatingRow | undefined> {
  return selectWithFloating(
    db
      .selectFrom('resident')
      .where('resident.id', '=', id)
      .where('resident.orgUnitId', 'in', orgSubtreeIds(db, scopePath)),
  ).executeTakeFirst();
}

/** The live resident holding this ID number (by its blind index) anywhere in the tree, for duplicate checks only. */
async function findLiveIdByIdNumberHash(db: Executor, idNumberHash: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('resident')
    .select('id')
    .where('idNumberHash', '=', idNumberHash)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  return row?.id;
}

function filtered(db: Executor, scope: OrgScope, filter: ResidentFilter): ResidentQuery {
  const dialect = dialectOf(db);
  const deleted = filter.deleted ?? 'live';
  // Names of live residents are found through the gram index (gram, org unit, name); deleted
  // residents have no grams, so the trash is searched by LIKE within the scope.
  const base: ResidentQuery =
    filter.name && deleted === 'live'
      ? (db
          .selectFrom('resident')
          .innerJoin('residentNameGram as g', 'g.residentId', 'resident.id')
          .where('g.gram', '=', searchGram(filter.name))
          .where(inOrgScope(db, 'g.orgUnitId', scope))
          .$if(Array.from(filter.name).length > 2, (qb) =>
            qb.where(dialect.contains(sql.ref<string>('g.name'), filter.name!)),
          ) as unknown as ResidentQuery)
      : db
          .selectFrom('resident')
          .where(inOrgScope(db, 'resident.orgUnitId', scope))
          .$if(Boolean(filter.name), (qb) =>
            qb.where(dialect.contains(sql.ref<string>('resident.name'), filter.name!)),
          );
  return base
    .$if(deleted === 'live', (qb) => qb.where('resident.deletedAt', 'is', null))
    .$if(deleted === 'deleted', (qb) => qb.where('resident.deletedAt', 'is not', null))
    .$if(filter.ethnicityCode !== undefined, (qb) =>
      qb.where('resident.ethnicityCode', '=', filter.ethnicityCode!),
    )
    .$if(filter.minority === true, (qb) =>
      qb.where('resident.ethnicityCode', '>=', '02').where('resident.ethnicityCode', '<=', '56'),
    )
    .$if(filter.minority === false, (qb) =>
      qb.where((eb) =>
        eb.or([eb('resident.ethnicityCode', '<', '02'), eb('resident.ethnicityCode', '>', '56')]),
      ),
    )
    .$if(filter.residenceType !== undefined, (qb) =>
      qb.where('resident.residenceType', '=', filter.residenceType!),
    )
    .$if(filter.gender !== undefined, (qb) => qb.where('resident.gender', '=', filter.gender!))
    .$if(filter.householdId !== undefined, (qb) => qb.where('resident.householdId', '=', filter.householdId!))
    .$if(filter.dwellingId !== undefined, (qb) => qb.where('resident.dwellingId', '=', filter.dwellingId!))
    .$if(filter.bornAfter !== undefined, (qb) => qb.where('resident.birthDate', '>', filter.bornAfter!))
    .$if(filter.bornOnOrBefore !== undefined, (qb) =>
      qb.where('resident.birthDate', '<=', filter.bornOnOrBefore!),
    )
    .$if(filter.idNumberHash !== undefined, (qb) =>
      qb.where('resident.idNumberHash', '=', filter.idNumberHash!),
    )
    .$if(filter.phoneHash !== undefined, (qb) => qb.where('resident.phoneHash', '=', filter.phoneHash!))
    .$if(filter.phoneTail !== undefined, (qb) =>
      qb.where(dialect.endsWith(sql.ref<string>('resident.phoneMasked'), filter.phoneTail!)),
    )
    .$if(filter.review !== undefined, (qb) =>
      qb.where('resident.reviewFlag', filter.review ? 'is not' : 'is', null),
    )
    .$call((qb) =>
      (filter.flags ?? []).reduce(
        (acc, flag) => acc.where(`resident.${flagColumns[flag]}`, '=', dialect.bool(true)),
        qb,
      ),
    );
}

/** Whether the query is a plain name search over live residents, sorted by name. */
function isNameOnlySearch(filter: ResidentFilter, sort: ResidentSort): boolean {
  const { name, deleted, ...others } = filter;
  return (
    Boolean(name) &&
    (deleted ?? 'live') === 'live' &&
    sort === 'name' &&
    Object.values(others).every((v) => v === undefined || (Array.isArray(v) && v.length === 0))
  );
}

/** The name-index rows of a search in a scope (by its first one or two characters). */
function gramsOf(db: Executor, scope: OrgScope, name: string) {
  return db
    .selectFrom('residentNameGram as g')
    .where('g.gram', '=', searchGram(name))
    .where(inOrgScope(db, 'g.orgUnitId', scope))
    .$if(Array.from(name).length > 2, (qb) =>
      qb.where(dialectOf(db).contains(sql.ref<string>('g.name'), name)),
    );
}

// Lists are asked for again and again with the same filters (refreshed, paged back): each page
// and count is compiled once for its arguments (db/compiled-queries.ts).
const residentsByNamePage = compiledOnce((db, scope: OrgScope, name: string, page: PageQuery) =>
  db
    .selectFrom('resident')
    .select(summaryColumns)
    .where(
      'resident.id',
      'in',
      gramsOf(db, scope, name)
        .select('g.residentId')
        .orderBy('g.name', page.order)
        .orderBy('g.residentId', page.order)
        .limit(page.pageSize)
        .offset(offsetOf(page)),
    )
    .orderBy('resident.name', page.order)
    .orderBy('resident.id', page.order),
);
const residentsByNameCount = compiledOnce((db, scope: OrgScope, name: string) =>
  gramsOf(db, scope, name).select((eb) => eb.fn.countAll<number>().as('total')),
);
/** An ID number or phone searched is new nearly every time: bound into a query kept for the rest. */
function bindSearchedNumbers(filter: ResidentFilter): { filter: ResidentFilter; values: string[] } {
  if (filter.idNumberHash === undefined && filter.phoneHash === undefined) return { filter, values: [] };
  const values: string[] = [];
  const shape = { ...filter };
  if (filter.idNumberHash !== undefined)
    shape.idNumberHash = boundValue(values.push(filter.idNumberHash) - 1);
  if (filter.phoneHash !== undefined) shape.phoneHash = boundValue(values.push(filter.phoneHash) - 1);
  return { filter: shape, values };
}
const residentsPage = compiledOnce(
  (db, scope: OrgScope, filter: ResidentFilter, sort: ResidentSort, page: PageQuery) =>
    filtered(db, scope, filter)
      .select(summaryColumns)
      .orderBy(`resident.${sort}`, page.order)
      .orderBy('resident.id', page.order)
      .limit(page.pageSize)
      .offset(offsetOf(page)),
  {
    bind: (scope, filter, sort, page) => {
      const bound = bindSearchedNumbers(filter);
      const shape: [OrgScope, ResidentFilter, ResidentSort, PageQuery] = [scope, bound.filter, sort, page];
      return { shape, values: bound.values };
    },
  },
);
const residentsCount = compiledOnce(
  (db, scope: OrgScope, filter: ResidentFilter) =>
    filtered(db, scope, filter).select((eb) => eb.fn.countAll<number>().as('total')),
  {
    bind: (scope, filter) => {
      const bound = bindSearchedNumbers(filter);
      const shape: [OrgScope, ResidentFilter] = [scope, bound.filter];
      return { shape, values: bound.values };
    },
  },
);

/**
 * A plain name search answered from the gram index alone: the page's ids are picked and counted
 * there (grams exist for live residents only), and only those residents are read.
 */
async function findResidentsByName(
  db: Executor,
  scope: OrgScope,
  name: string,
  page: PageQuery,
): Promise<{ rows: ResidentSummaryRow[]; total: number }> {
  return pageWithTotal(
    db,
    page,
    () => residentsByNamePage(db, scope, name, page),
    async () => (await residentsByNameCount(db, scope, name))[0]!,
  );
}

async function findResidents(
  db: Executor,
  scope: OrgScope,
  filter: ResidentFilter,
  sort: ResidentSort,
  page: PageQuery,
): Promise<{ rows: ResidentSummaryRow[]; total: number }> {
  if (isNameOnlySearch(filter, sort)) return findResidentsByName(db, scope, filter.name!, page);
  return pageWithTotal(
    db,
    page,
    () => residentsPage(db, scope, filter, sort, page),
    async () => (await residentsCount(db, scope, filter))[0]!,
  );
}

async function insertResident(
  db: Executor,
  row: ResidentRow,
  floating: FloatingResidentRow | null,
): Promise<void> {
  await db.insertInto('resident').values(row).execute();
  if (floating) await db.insertInto('floatingResident').values(floating).execute();
  await insertGrams(db, row.id, row.orgUnitId, row.name);
}

/** The name-index rows of a resident. */
export function gramRows(residentId: string, orgUnitId: string, name: string): ResidentNameGramRow[] {
  return nameGrams(name).map((gram) => ({ gram, orgUnitId, name, residentId }));
}

async function insertGrams(db: Executor, residentId: string, orgUnitId: string, name: string): Promise<void> {
  await db
    .insertInto('residentNameGram')
    .values(gramRows(residentId, orgUnitId, name))
    .execute();
}

/** Removes a resident from the name index (on delete). */
async function deleteGrams(db: Executor, residentId: string): Promise<void> {
  await db.deleteFrom('residentNameGram').where('residentId', '=', residentId).execute();
}

/** Rewrites the name index of a resident after a rename, a move or a restore. */
async function replaceGrams(
  db: Executor,
  residentId: string,
  orgUnitId: string,
  name: string,
): Promise<void> {
  await deleteGrams(db, residentId);
  await insertGrams(db, residentId, orgUnitId, name);
}

/** Sets (or, with null, removes) the floating-population details of a resident. */
async function saveFloating(
  db: Executor,
  residentId: string,
  floating: FloatingResidentRow | null,
): Promise<void> {
  await db.deleteFrom('floatingResident').where('residentId', '=', residentId).execute();
  if (floating) await db.insertInto('floatingResident').values(floating).execute();
}

export const residentRepository = Object.freeze({
  findResidentById,
  // Tree-wide by design (a person is registered once): past the row-security wall, answering only
  // whether the number is taken.
  findLiveIdByIdNumberHash: asSystem(findLiveIdByIdNumberHash),
  findResidents,
  insertResident,
  deleteGrams,
  replaceGrams,
  saveFloating,
});
