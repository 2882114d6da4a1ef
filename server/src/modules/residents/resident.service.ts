import { localDateText } from '@shiliuzi/shared/dates';
import type { ChangeEntry, Page, PageQuery } from '@shiliuzi/shared/api';
import { checkIdNumber } from '@shiliuzi/shared/id-number';
import { maskIdNumber, maskPhone } from '@shiliuzi/shared/masking';
import { describeOrigin, findRegion } from '@shiliuzi/shared/region';
import type {
  FloatingDetailsInput,
  RevealableResidentField,
  Resident,
  ResidentInput,
  ResidentSummary,
  ResidentPatch,
} from '@shiliuzi/shared/residents';
import type {
  FloatingReason,
  Gender,
  HouseholdRelation,
  ResidenceType,
  ResidentFlag,
} from '@shiliuzi/shared/registry';
import { inTransaction, type Executor } from '../../db/database.ts';
import { dialectOf } from '../../db/dialect-of.ts';
import type { DialectAdapter } from '../../db/dialect.ts';
import type { FloatingResidentRow, OrgUnitRow, ResidentRow } from '../../db/schema.ts';
import { conflict, forbidden, invalidInput, notFound } from '../../errors.ts';
import type { Actor } from '../../lib/actor.ts';
import { newId } from '../../lib/ids.ts';
import { toPage } from '../../lib/pagination.ts';
import { canEditRegistry, canRevealSensitive } from '../../lib/permissions.ts';
import {
  type RecordSpec,
  deleteAndRestore,
  creation,
  newRecordStamps,
  requireLive,
  updateRecord,
} from '../../lib/record-lifecycle.ts';
import { historyService, type Change } from '../history/history.service.ts';
import { householdService } from '../households/household.service.ts';
import { orgUnitService } from '../org-units/org-unit.service.ts';
import { placeService } from '../places/place.service.ts';
import {
  flagColumns,
  residentRepository,
  type ResidentFilter,
  type ResidentSort,
  type ResidentSummaryRow,
  type ResidentWithFloatingRow,
  floatingOf,
} from './resident.repository.ts';

export interface ResidentListQuery extends Omit<ResidentFilter, 'bornAfter' | 'bornOnOrBefore' | 'name'> {
  /** Name substring, or a whole ID number, or phone digits. */
  q?: string | undefined;
  ageMin?: number | undefined;
  ageMax?: number | undefined;
}

/** A resident as the API shows it, from its row and its floating-population details (if any). */
export function toResident(
  row: ResidentRow,
  floating: Omit<FloatingResidentRow, 'residentId'> | null = floatingOf(row),
): Resident {
  const region = row.originRegionCode ? describeOrigin(row.originRegionCode) : undefined;
  return {
    id: row.id,
    orgUnitId: row.orgUnitId,
    streetId: row.streetId,
    householdId: row.householdId,
    relationToHead: row.relationToHead as HouseholdRelation | null,
    dwellingId: row.dwellingId,
    name: row.name,
    gender: row.gender as Gender,
    ethnicityCode: row.ethnicityCode,
    idNumber: row.idNumber === null ? null : maskIdNumber(row.idNumber),
    birthDate: row.birthDate,
    originRegionCode: row.originRegionCode,
    originRegionName: region?.fullName ?? null,
    phone: row.phone === null ? null : maskPhone(row.phone),
    residenceType: row.residenceType as ResidenceType,
    flags: toFlags(row),
    reviewFlag: row.reviewFlag,
    languages: JSON.parse(row.languages) as string[],
    movedInOn: row.movedInOn,
    movedOutOn: row.movedOutOn,
    note: row.note,
    floating:
      floating === null
        ? null
        : {
            arrivalDate: floating.arrivalDate,
            originAddress: floating.originAddress,
            reason: floating.reason as FloatingReason | null,
            expectedStayMonths: floating.expectedStayMonths,
            stall: floating.stall,
            landlordName: floating.landlordName,
            landlordPhone: floating.landlordPhone === null ? null : maskPhone(floating.landlordPhone),
          },
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
  };
}

export function toResidentSummary(row: ResidentSummaryRow): ResidentSummary {
  return {
    id: row.id,
    orgUnitId: row.orgUnitId,
    householdId: row.householdId,
    relationToHead: row.relationToHead as HouseholdRelation | null,
    name: row.name,
    gender: row.gender as Gender,
    ethnicityCode: row.ethnicityCode,
    idNumber: row.idNumber === null ? null : maskIdNumber(row.idNumber),
    birthDate: row.birthDate,
    phone: row.phone === null ? null : maskPhone(row.phone),
    residenceType: row.residenceType as ResidenceType,
    flags: toFlags(row),
    reviewFlag: row.reviewFlag,
    version: row.version,
    deletedAt: row.deletedAt,
  };
}

function toFlags(row: ResidentSummaryRow): Resident['flags'] {
  return {
    hardship: Boolean(row.isHardship),
    minimumLivingAllowance: Boolean(row.isMinimumLivingAllowance),
    disabled: Boolean(row.isDisabled),
    elderlyAlone: Boolean(row.isElderlyAlone),
    partyMember: Boolean(row.isPartyMember),
    volunteer: Boolean(row.isVolunteer),
  };
}

const residentSpec: RecordSpec<ResidentWithFloatingRow, Resident> = {
  table: 'resident',
  entityType: 'resident',
  notFoundCode: 'resident_not_found',
  find: residentRepository.findResidentById,
  toDomain: (_db, row) => toResident(row),
  snapshot: (resident) => ({ ...resident, originRegionName: undefined }),
  owner: (row) => ({ orgUnitId: row.orgUnitId, streetId: row.streetId }),
  canWrite: (actor) => canEditRegistry(actor),
  uniqueViolationCode: 'resident_already_registered',
  onDeletedChange: (db, row, deleted) =>
    deleted
      ? residentRepository.deleteGrams(db, row.id)
      : residentRepository.replaceGrams(db, row.id, row.orgUnitId, row.name),
};

const residentLifecycle = deleteAndRestore(residentSpec);

/**
 * The identity fields as stored: birth date, gender and origin come from the ID number when
 * there is one, and a form value that contradicts it is refused.
 */
function resolveIdentity(
  fields: {
    idNumber: string | null;
    gender?: Gender | undefined;
    birthDate?: string | null | undefined;
    originRegionCode?: string | null | undefined;
  },
  keepWrongCheckDigit = false,
): { gender: Gender; birthDate: string | null; originRegionCode: string | null } {
  if (fields.originRegionCode && !describeOrigin(fields.originRegionCode))
    throw invalidInput('unknown_region');
  if (fields.idNumber === null) {
    if (!fields.gender) throw invalidInput('gender_required');
    return {
      gender: fields.gender,
      birthDate: fields.birthDate ?? null,
      originRegionCode: fields.originRegionCode ?? null,
    };
  }
  const check = checkIdNumber(fields.idNumber, new Date(), keepWrongCheckDigit);
  if (!check.ok)
    throw invalidInput(check.problem === 'check_digit' ? 'id_number_check_digit' : 'invalid_id_number');
  if (fields.gender && fields.gender !== check.gender) throw invalidInput('id_number_gender_mismatch');
  if (fields.birthDate && fields.birthDate !== check.birthDate)
    throw invalidInput('id_number_birth_date_mismatch');
  const origin = describeOrigin(check.regionCode);
  return {
    gender: check.gender,
    birthDate: check.birthDate,
    originRegionCode: fields.originRegionCode ?? findRegion(check.regionCode)?.code ?? origin?.code ?? null,
  };
}

function toFloatingRow(residentId: string, floating: FloatingDetailsInput): FloatingResidentRow {
  return {
    residentId,
    arrivalDate: floating.arrivalDate ?? null,
    originAddress: floating.originAddress ?? null,
    reason: floating.reason ?? null,
    expectedStayMonths: floating.expectedStayMonths ?? null,
    stall: floating.stall ?? null,
    landlordName: floating.landlordName ?? null,
    landlordPhone: floating.landlordPhone ?? null,
  };
}

/** Household and dwelling must be visible and belong to the resident's org unit or above it. */
async function checkLinks(
  trx: Executor,
  actor: Actor,
  org: OrgUnitRow,
  householdId: string | null | undefined,
  dwellingId: string | null | undefined,
): Promise<{ householdDwellingId: string | null }> {
  let householdDwellingId: string | null = null;
  if (householdId) {
    const household = await householdService.requireHouseholdForOrg(trx, actor, householdId, org.path);
    householdDwellingId = household.dwellingId;
  }
  if (dwellingId) await placeService.requireDwellingForOrg(trx, actor, dwellingId, org);
  return { householdDwellingId };
}

async function ensureIdNumberFree(trx: Executor, idNumber: string | null, exceptId?: string) {
  if (idNumber === null) return;
  const holder = await residentRepository.findLiveIdByIdNumber(trx, idNumber);
  if (holder !== undefined && holder !== exceptId) throw conflict('resident_already_registered');
}

/**
 * What only an import may set beside the input: why the record is held for review (待核实), and
 * whether an ID number whose check digit is wrong is kept (held) rather than refused.
 */
export interface RegistrationOptions {
  reviewFlag?: string | null;
  keepWrongCheckDigit?: boolean;
}

/**
 * The rows and creation history of a new resident under `org`, from input already checked against
 * the ID number (`identity`) and the links (`householdDwellingId`): `registerResident` checks them
 * first; an import creates residents it has matched itself.
 */
export function newResidentRecord(
  actor: Actor,
  org: Pick<OrgUnitRow, 'id' | 'streetId'>,
  input: ResidentInput,
  identity: ReturnType<typeof resolveIdentity>,
  dialect: DialectAdapter,
  options: RegistrationOptions & { householdDwellingId?: string | null } = {},
): { row: ResidentRow; floating: FloatingResidentRow | null; change: Change } {
  const id = newId();
  const row: ResidentRow = {
    id,
    orgUnitId: org.id,
    streetId: org.streetId,
    householdId: input.householdId ?? null,
    relationToHead: input.householdId ? (input.relationToHead ?? 'other') : null,
    dwellingId: input.dwellingId ?? options.householdDwellingId ?? null,
    name: input.name,
    gender: identity.gender,
    ethnicityCode: input.ethnicityCode,
    idNumber: input.idNumber ?? null,
    birthDate: identity.birthDate,
    originRegionCode: identity.originRegionCode,
    phone: input.phone ?? null,
    residenceType: input.residenceType,
    isHardship: dialect.bool(input.flags?.hardship ?? false),
    isMinimumLivingAllowance: dialect.bool(input.flags?.minimumLivingAllowance ?? false),
    isDisabled: dialect.bool(input.flags?.disabled ?? false),
    isElderlyAlone: dialect.bool(input.flags?.elderlyAlone ?? false),
    isPartyMember: dialect.bool(input.flags?.partyMember ?? false),
    isVolunteer: dialect.bool(input.flags?.volunteer ?? false),
    languages: JSON.stringify(input.languages ?? []),
    movedInOn: input.movedInOn ?? null,
    movedOutOn: input.movedOutOn ?? null,
    note: input.note ?? null,
    reviewFlag: options.reviewFlag ?? null,
    ...newRecordStamps(actor),
  };
  const floating = input.residenceType === 'floating' ? toFloatingRow(id, input.floating ?? {}) : null;
  const created = toResident(row, floating);
  const change = creation(
    'resident',
    id,
    { orgUnitId: org.id, streetId: org.streetId },
    residentSpec.snapshot(created),
  );
  return { row, floating, change };
}

/** The identity fields a new resident is stored with, checked against the ID number. */
export function identityOf(input: ResidentInput, options: RegistrationOptions = {}) {
  if (input.floating && input.residenceType !== 'floating')
    throw invalidInput('floating_details_not_allowed');
  return resolveIdentity({ ...input, idNumber: input.idNumber ?? null }, options.keepWrongCheckDigit);
}

async function registerResident(
  db: Executor,
  actor: Actor,
  input: ResidentInput,
  options: RegistrationOptions = {},
): Promise<Resident> {
  if (!canEditRegistry(actor)) throw forbidden();
  const identity = identityOf(input, options);
  return inTransaction(db, async (trx) => {
    const org = await orgUnitService.requireOrgUnit(trx, actor, input.orgUnitId);
    const { householdDwellingId } = await checkLinks(trx, actor, org, input.householdId, input.dwellingId);
    await ensureIdNumberFree(trx, input.idNumber ?? null);
    const dialect = dialectOf(trx);
    const { row, floating, change } = newResidentRecord(actor, org, input, identity, dialect, {
      ...options,
      householdDwellingId,
    });
    try {
      await residentRepository.insertResident(trx, row, floating);
    } catch (error) {
      if (dialect.isUniqueViolation(error)) throw conflict('resident_already_registered');
      throw error;
    }
    await historyService.recordChange(trx, actor, change);
    return toResident((await residentRepository.findResidentById(trx, '/', row.id))!);
  });
}

async function updateResident(
  db: Executor,
  actor: Actor,
  id: string,
  patch: ResidentPatch,
  options: RegistrationOptions = {},
): Promise<Resident> {
  const { version, flags, floating, languages, ...fields } = patch;
  return inTransaction(db, async (trx) => {
    const current = await requireLive(trx, actor, residentSpec, id);
    if (!canEditRegistry(actor)) throw forbidden();
    const residenceType = fields.residenceType ?? (current.residenceType as ResidenceType);
    if (floating && residenceType !== 'floating') throw invalidInput('floating_details_not_allowed');
    const org =
      fields.orgUnitId !== undefined
        ? await orgUnitService.requireOrgUnit(trx, actor, fields.orgUnitId)
        : await orgUnitService.requireOrgUnit(trx, actor, current.orgUnitId);
    const idNumber = fields.idNumber !== undefined ? fields.idNumber : current.idNumber;
    const idNumberChanged = fields.idNumber !== undefined && fields.idNumber !== current.idNumber;
    // Identity fields are re-derived whenever the ID number or one of them changes.
    const identity = resolveIdentity(
      {
        idNumber,
        gender: fields.gender ?? (idNumberChanged ? undefined : (current.gender as Gender)),
        birthDate:
          fields.birthDate !== undefined ? fields.birthDate : idNumberChanged ? undefined : current.birthDate,
        originRegionCode:
          fields.originRegionCode !== undefined
            ? fields.originRegionCode
            : idNumberChanged
              ? undefined
              : current.originRegionCode,
      },
      options.keepWrongCheckDigit,
    );
    const householdId = fields.householdId !== undefined ? fields.householdId : current.householdId;
    // A move to another org unit re-checks the links it keeps, so a household or dwelling is never
    // shared across a boundary.
    const moved = org.id !== current.orgUnitId;
    const dwellingId = fields.dwellingId !== undefined ? fields.dwellingId : current.dwellingId;
    await checkLinks(
      trx,
      actor,
      org,
      fields.householdId !== undefined || moved ? householdId : null,
      fields.dwellingId !== undefined || moved ? dwellingId : null,
    );
    if (idNumberChanged) await ensureIdNumberFree(trx, idNumber, id);

    const dialect = dialectOf(trx);
    const columns: Record<string, unknown> = { ...fields, ...identity, idNumber };
    columns.orgUnitId = org.id;
    columns.streetId = org.streetId;
    if (householdId === null) columns.relationToHead = null;
    else if (fields.householdId && !fields.relationToHead && !current.relationToHead)
      columns.relationToHead = 'other';
    if (languages !== undefined) columns.languages = JSON.stringify(languages);
    // An import may hold the record for review; a corrected ID number releases an ID hold.
    if (options.reviewFlag !== undefined) columns.reviewFlag = options.reviewFlag;
    else if (idNumberChanged && current.reviewFlag === 'id_check_digit') columns.reviewFlag = null;
    for (const [flag, value] of Object.entries(flags ?? {})) {
      if (value !== undefined) columns[flagColumns[flag as ResidentFlag]] = dialect.bool(value);
    }
    if (residenceType !== 'floating') {
      await residentRepository.saveFloating(trx, id, null);
    } else if (floating !== undefined || current.hasFloatingDetails === null) {
      // The landlord's phone is shown masked and never sent back: left out, it keeps what is stored.
      const landlordPhone =
        floating?.landlordPhone !== undefined ? floating.landlordPhone : current.floatingLandlordPhone;
      await residentRepository.saveFloating(trx, id, toFloatingRow(id, { ...floating, landlordPhone }));
    }
    if (fields.name !== undefined || org.id !== current.orgUnitId) {
      await residentRepository.replaceGrams(trx, id, org.id, fields.name ?? current.name);
    }
    return updateRecord(trx, actor, residentSpec, current, id, version, columns);
  });
}

async function getResident(db: Executor, actor: Actor, id: string): Promise<Resident> {
  const row = await residentRepository.findResidentById(db, actor.scopePath, id);
  if (!row) throw notFound('resident_not_found');
  return toResident(row);
}

/** Subtracts whole years from an ISO date, keeping 29 February valid. */
function yearsBefore(isoDate: string, years: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y - years, m - 1, d));
  if (date.getUTCMonth() !== m - 1) date.setUTCDate(0);
  return date.toISOString().slice(0, 10);
}

/** Turns the list query into repository filters: `q` is a name, an ID number or phone digits. */
export function toResidentFilter(query: ResidentListQuery, today: string): ResidentFilter {
  const { q, ageMin, ageMax, ...rest } = query;
  const filter: ResidentFilter = { ...rest };
  const text = q?.trim();
  if (text) {
    const id = checkIdNumber(text);
    if (id.ok) filter.idNumber = id.idNumber;
    else if (/^[\d\s-]{3,}$/.test(text)) filter.phone = text.replace(/[\s-]/g, '');
    else filter.name = text;
  }
  if (ageMin !== undefined) filter.bornOnOrBefore = yearsBefore(today, ageMin);
  if (ageMax !== undefined) filter.bornAfter = yearsBefore(today, ageMax + 1);
  return filter;
}

async function listResidents(
  db: Executor,
  actor: Actor,
  orgUnitId: string | undefined,
  query: ResidentListQuery,
  sort: ResidentSort,
  page: PageQuery,
): Promise<Page<ResidentSummary>> {
  const scope = await orgUnitService.resolveScope(db, actor, orgUnitId);
  const filter = toResidentFilter(query, localDateText());
  const { rows, total } = await residentRepository.findResidents(db, scope, filter, sort, page);
  return toPage(rows.map(toResidentSummary), total, page);
}

/** One unmasked value, asked for on purpose (the security layer audits every call). */
async function revealResidentField(
  db: Executor,
  actor: Actor,
  id: string,
  field: RevealableResidentField,
): Promise<string | null> {
  const row = await residentRepository.findResidentById(db, actor.scopePath, id);
  if (!row) throw notFound('resident_not_found');
  if (!canRevealSensitive(actor)) throw forbidden();
  return row[field];
}

async function listResidentHistory(db: Executor, actor: Actor, id: string): Promise<ChangeEntry[]> {
  await getResident(db, actor, id);
  return historyService.listChanges(db, 'resident', id);
}

export const residentService = Object.freeze({
  registerResident,
  updateResident,
  getResident,
  listResidents,
  revealResidentField,
  deleteResident: residentLifecycle.remove,
  restoreResident: residentLifecycle.restore,
  listResidentHistory,
});
