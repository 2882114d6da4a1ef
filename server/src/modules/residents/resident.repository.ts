import { sql, type SelectQueryBuilder } from 'kysely';
import type { PageQuery } from '@shiliuzi/shared/api';
import type { Gender, ResidenceType, ResidentFlag } from '@shiliuzi/shared/registry';
import type { Executor } from '../../db/database.ts';
import { dialectOf } from '../../db/dialect-of.ts';
import type { DB, FloatingResidentRow, ResidentRow } from '../../db/schema.ts';
import { orgSubtreeIds } from '../../db/scope.ts';
import { offsetOf } from '../../lib/pagination.ts';

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
  idNumber?: string | undefined;
  /** Substring of the phone number. */
  phone?: string | undefined;
  deleted?: 'live' | 'deleted' | 'all' | undefined;
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

const flagColumns: Record<ResidentFlag, keyof ResidentRow & `is${string}`> = {
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

function selectWithFloating(qb: ResidentQuery) {
  return qb
    .leftJoin('floatingResident as fr', 'fr.residentId', 'resident.id')
    .selectAll('resident')
    .select([
      'fr.arrivalDate as floatingArrivalDate',
      'fr.originAddress as floatingOriginAddress',
      'fr.reason as floatingReason',
      'fr.expectedStayMonths as floatingExpectedStayMonths',
      'fr.stall as floatingStall',
      'fr.landlordName as floatingLandlordName',
      'fr.landlordPhone as floatingLandlordPhone',
      'fr.residentId as hasFloatingDetails',
    ]);
}

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

/** The live resident holding this ID number anywhere in the tree (for duplicate checks only). */
async function findLiveIdByIdNumber(db: Executor, idNumber: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('resident')
    .select('id')
    .where('idNumber', '=', idNumber)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  return row?.id;
}

function filtered(db: Executor, scopePath: string, filter: ResidentFilter): ResidentQuery {
  const dialect = dialectOf(db);
  const subtree = orgSubtreeIds(db, scopePath);
  // A name query walks the gram index (gram, org unit, name): an index range per org unit.
  const base: ResidentQuery = filter.name
    ? (db
        .selectFrom('resident')
        .innerJoin('residentNameGram as g', 'g.residentId', 'resident.id')
        .where('g.gram', '=', searchGram(filter.name))
        .where('g.orgUnitId', 'in', subtree)
        .$if(Array.from(filter.name).length > 2, (qb) =>
          qb.where(dialect.contains(sql.ref<string>('resident.name'), filter.name!)),
        ) as unknown as ResidentQuery)
    : db.selectFrom('resident').where('resident.orgUnitId', 'in', subtree);
  const deleted = filter.deleted ?? 'live';
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
    .$if(filter.idNumber !== undefined, (qb) => qb.where('resident.idNumber', '=', filter.idNumber!))
    .$if(Boolean(filter.phone), (qb) =>
      qb.where(dialect.contains(sql.ref<string>('resident.phone'), filter.phone!)),
    )
    .$call((qb) =>
      (filter.flags ?? []).reduce(
        (acc, flag) => acc.where(`resident.${flagColumns[flag]}`, '=', dialect.bool(true)),
        qb,
      ),
    );
}

async function findResidents(
  db: Executor,
  scopePath: string,
  filter: ResidentFilter,
  sort: ResidentSort,
  page: PageQuery,
): Promise<{ rows: ResidentWithFloatingRow[]; total: number }> {
  const base = filtered(db, scopePath, filter);
  const [rows, count] = await Promise.all([
    selectWithFloating(base)
      .orderBy(`resident.${sort}`, page.order)
      .orderBy('resident.id')
      .limit(page.pageSize)
      .offset(offsetOf(page))
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
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

async function insertGrams(db: Executor, residentId: string, orgUnitId: string, name: string): Promise<void> {
  await db
    .insertInto('residentNameGram')
    .values(nameGrams(name).map((gram) => ({ gram, orgUnitId, name, residentId })))
    .execute();
}

/** Rewrites the name index of a resident after a rename or a move to another org unit. */
async function replaceGrams(
  db: Executor,
  residentId: string,
  orgUnitId: string,
  name: string,
): Promise<void> {
  await db.deleteFrom('residentNameGram').where('residentId', '=', residentId).execute();
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
  findLiveIdByIdNumber,
  findResidents,
  insertResident,
  replaceGrams,
  saveFloating,
});
