import { sql, type Expression, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { OrgUnitRow, PlaceRow, ResidentRow } from '../../db/schema.ts';
import {
  ancestorColumns,
  joinAncestors,
  visibleRow,
  type AncestorColumns,
} from '../../db/place-ancestors.ts';
import { inOrgScope, type OrgScope } from '../../db/scope.ts';
import { floatingColumns } from '../residents/resident.repository.ts';

/** Which residents a resident register lists. */
export type ResidentSelection = 'all' | 'minority' | 'floating';

export type SubtreeUnitRow = Pick<OrgUnitRow, 'id' | 'parentId' | 'code' | 'name' | 'type'>;

/** One page of a register: rows of one org unit, after the key of the previous page's last row. */
interface PageQuery<K> {
  orgUnitId: string;
  /**
   * The actor's own subtree. Households, heads of household and places outside it are left out
   * of a row, exactly as the API leaves them out of a record.
   */
  visible: OrgScope;
  /** Residents count as on this day (live, moved in by then, not moved out). */
  asOf: string;
  after?: K | undefined;
  limit: number;
}

export type ResidentPageQuery = PageQuery<ResidentKey> & { selection: ResidentSelection };
export type DwellingPageQuery = PageQuery<DwellingKey>;

/** Keyset of the resident registers: name, then id (resident_org_name_idx within an org unit). */
export interface ResidentKey {
  name: string;
  id: string;
}

/** Keyset of the dwelling register: estate, building, entrance and room names, then id. */
export interface DwellingKey {
  estateKey: string;
  buildingKey: string;
  entranceKey: string;
  name: string;
  id: string;
}

export type ResidentRegisterRow = Pick<
  ResidentRow,
  | 'id'
  | 'name'
  | 'gender'
  | 'ethnicityCode'
  | 'idNumber'
  | 'birthDate'
  | 'phone'
  | 'phoneMasked'
  | 'relationToHead'
  | 'residenceType'
  | 'originRegionCode'
  | 'isHardship'
  | 'isMinimumLivingAllowance'
  | 'isDisabled'
  | 'isElderlyAlone'
  | 'isPartyMember'
  | 'isVolunteer'
  | 'languages'
  | 'movedInOn'
  | 'note'
  | 'reviewFlag'
> &
  AncestorColumns & {
    headName: string | null;
    householdAddress: string | null;
    dwellingName: string | null;
    dwellingAddress: string | null;
    floatingArrivalDate: string | null;
    floatingOriginAddress: string | null;
    floatingReason: string | null;
    floatingExpectedStayMonths: number | null;
    floatingStall: string | null;
    floatingLandlordName: string | null;
    floatingLandlordPhone: string | null;
  };

export type DwellingRegisterRow = Pick<
  PlaceRow,
  'id' | 'name' | 'address' | 'isRental' | 'landlordName' | 'landlordPhone' | 'note'
> &
  AncestorColumns & {
    estateKey: string;
    buildingKey: string;
    entranceKey: string;
    households: number;
    occupants: number;
  };

/** The live org units of a subtree (the registers are written unit by unit). */
async function findSubtreeUnits(db: Executor, scope: OrgScope): Promise<SubtreeUnitRow[]> {
  return db
    .selectFrom('orgUnit')
    .select(['orgUnit.id', 'orgUnit.parentId', 'orgUnit.code', 'orgUnit.name', 'orgUnit.type'])
    .where(inOrgScope(db, 'orgUnit.id', scope))
    .where('orgUnit.deletedAt', 'is', null)
    .orderBy('orgUnit.path')
    .execute();
}

/** A resident counts on `asOf` when live, moved in on or before it (or no date) and not moved out by then. */
function isCurrentResident(table: 'resident' | 'occupant', asOf: string) {
  const movedIn = sql.ref(`${table}.movedInOn`);
  const movedOut = sql.ref(`${table}.movedOutOn`);
  return sql<SqlBool>`(${sql.ref(`${table}.deletedAt`)} is null and (${movedIn} is null or ${movedIn} <= ${asOf}) and (${movedOut} is null or ${movedOut} > ${asOf}))`;
}

const estateKinds = "('estate', 'courtyard')";

/** The name of the nearest ancestor among p1…p4 whose kind is in `kinds` (top-most for estates). */
function ancestorName(kinds: string, topDown: boolean) {
  const levels = topDown ? ['p4', 'p3', 'p2', 'p1'] : ['p1', 'p2', 'p3', 'p4'];
  const cases = levels.map(
    (p) => sql`case when ${sql.ref(`${p}.kind`)} in ${sql.raw(kinds)} then ${sql.ref(`${p}.name`)} end`,
  );
  return sql<string>`coalesce(${sql.join(cases)}, '')`;
}

/** Sort keys of a dwelling: its estate or courtyard, building and entrance names ('' when none). */
const dwellingKeys = {
  estateKey: ancestorName(estateKinds, true),
  buildingKey: ancestorName("('building')", false),
  entranceKey: ancestorName("('entrance')", false),
};

/**
 * One keyset page: the rows whose key (`columns`, in order) comes after `after` (the previous
 * page's last key, if any), ordered by that key, at most `limit`.
 */
function keysetPage<QDB, TB extends keyof QDB, O>(
  qb: SelectQueryBuilder<QDB, TB, O>,
  columns: Expression<unknown>[],
  after: unknown[] | undefined,
  limit: number,
): SelectQueryBuilder<QDB, TB, O> {
  const from =
    after === undefined ? qb : qb.where(sql<SqlBool>`(${sql.join(columns)}) > (${sql.join(after)})`);
  return columns
    .reduce<SelectQueryBuilder<QDB, TB, O>>((acc, column) => acc.orderBy(column), from)
    .limit(limit);
}

/**
 * A page of a resident register in one org unit, in name order, with the household head's name,
 * the dwelling (the resident's, else the household's) and the places above it (up to four levels: estate > courtyard > building >
 * entrance), and the floating-population details.
 */
async function findResidentPage(db: Executor, q: ResidentPageQuery): Promise<ResidentRegisterRow[]> {
  const after = q.after;
  return (
    db
      .selectFrom('resident')
      .leftJoin('floatingResident as fr', 'fr.residentId', 'resident.id')
      .leftJoin('household as hh', visibleRow(db, q.visible, 'hh', 'resident.householdId'))
      // The resident's dwelling, else the household's (the rule of the resident's detail page).
      .leftJoin('place as p0', (join) =>
        join
          .on(
            sql<SqlBool>`${sql.ref('p0.id')} = coalesce(${sql.ref('resident.dwellingId')}, ${sql.ref('hh.dwellingId')})`,
          )
          .on('p0.deletedAt', 'is', null)
          .on(inOrgScope(db, 'p0.orgUnitId', q.visible)),
      )
      .$call((qb) => joinAncestors(qb, db, q.visible, 'p0'))
      .select([
        'resident.id',
        'resident.name',
        'resident.gender',
        'resident.ethnicityCode',
        'resident.idNumber',
        'resident.birthDate',
        'resident.phone',
        'resident.phoneMasked',
        'resident.relationToHead',
        'resident.residenceType',
        'resident.originRegionCode',
        'resident.isHardship',
        'resident.isMinimumLivingAllowance',
        'resident.isDisabled',
        'resident.isElderlyAlone',
        'resident.isPartyMember',
        'resident.isVolunteer',
        'resident.languages',
        'resident.movedInOn',
        'resident.note',
        'resident.reviewFlag',
        'hh.address as householdAddress',
        'p0.name as dwellingName',
        'p0.address as dwellingAddress',
        ...ancestorColumns,
        ...floatingColumns,
      ])
      .select((eb) =>
        eb
          .selectFrom('resident as head')
          .select('head.name')
          .whereRef('head.householdId', '=', 'resident.householdId')
          .where('head.relationToHead', '=', 'head')
          .where('head.deletedAt', 'is', null)
          .where(inOrgScope(db, 'head.orgUnitId', q.visible))
          .limit(1)
          .as('headName'),
      )
      .where('resident.orgUnitId', '=', q.orgUnitId)
      .where(isCurrentResident('resident', q.asOf))
      .$if(q.selection === 'minority', (qb) =>
        qb.where('resident.ethnicityCode', '>=', '02').where('resident.ethnicityCode', '<=', '56'),
      )
      .$if(q.selection === 'floating', (qb) => qb.where('resident.residenceType', '=', 'floating'))
      .$call((qb) =>
        keysetPage(
          qb,
          [sql.ref('resident.name'), sql.ref('resident.id')],
          after && [after.name, after.id],
          q.limit,
        ),
      )
      .execute()
  );
}

/**
 * A page of the dwelling register in one org unit, ordered by estate, building, entrance and room,
 * with its households and current occupants counted inside the visible subtree.
 */
async function findDwellingPage(db: Executor, q: DwellingPageQuery): Promise<DwellingRegisterRow[]> {
  const after = q.after;
  const { estateKey, buildingKey, entranceKey } = dwellingKeys;
  return db
    .selectFrom('place as d')
    .$call((qb) => joinAncestors(qb, db, q.visible, 'd'))
    .select([
      'd.id',
      'd.name',
      'd.address',
      'd.isRental',
      'd.landlordName',
      'd.landlordPhone',
      'd.note',
      ...ancestorColumns,
      estateKey.as('estateKey'),
      buildingKey.as('buildingKey'),
      entranceKey.as('entranceKey'),
    ])
    .select((eb) => [
      eb
        .selectFrom('household')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('household.dwellingId', '=', 'd.id')
        .where('household.deletedAt', 'is', null)
        .where(inOrgScope(db, 'household.orgUnitId', q.visible))
        .as('households'),
      eb
        .selectFrom('resident as occupant')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('occupant.dwellingId', '=', 'd.id')
        .where(isCurrentResident('occupant', q.asOf))
        .where(inOrgScope(db, 'occupant.orgUnitId', q.visible))
        .as('occupants'),
    ])
    .where('d.orgUnitId', '=', q.orgUnitId)
    .where('d.kind', '=', 'dwelling')
    .where('d.deletedAt', 'is', null)
    .$call((qb) =>
      keysetPage(
        qb,
        [estateKey, buildingKey, entranceKey, sql.ref('d.name'), sql.ref('d.id')],
        after && [after.estateKey, after.buildingKey, after.entranceKey, after.name, after.id],
        q.limit,
      ),
    )
    .execute() as Promise<DwellingRegisterRow[]>;
}

export const exportsRepository = Object.freeze({ findSubtreeUnits, findResidentPage, findDwellingPage });
