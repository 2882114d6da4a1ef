import { localDateText, yearsBefore } from '@shiliuzi/shared/dates';
import type { ChangeEntry, Page, PageQuery } from '@shiliuzi/shared/api';
import { checkIdNumber } from '@shiliuzi/shared/id-number';
import { addressToStore } from '@shiliuzi/shared/addresses';
import { maskAddress, maskIdNumber, maskPhone } from '@shiliuzi/shared/masking';
import { isValidPhone, normalizePhone } from '@shiliuzi/shared/phone';
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
import {
  idNumberIndex,
  isUnreadableStandIn,
  maskedFieldView,
  openField,
  phoneIndex,
  sealNullable,
  showField,
} from '../../lib/field-crypto.ts';
import { newId } from '../../lib/ids.ts';
import { sealedIdentityColumns, type SealedIdentity } from './sealed-identity.ts';
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
import { historyService, type Change, type Snapshot } from '../history/history.service.ts';
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

/**
 * ID numbers as lists and details show them (3+4). The masked form is not stored beside the sealed
 * value (with the plaintext birth date and origin region it would give the whole number back), so
 * each value is opened to be masked, once: `maskedFieldView` keeps the masked forms.
 */
const showMaskedIdNumber = maskedFieldView('resident.id_number', maskIdNumber);

/** The masked ID number of a row (its sealed value opened only to be masked, unless given in clear). */
function maskedIdNumberOf(row: Pick<ResidentRow, 'id' | 'idNumber'>, clear?: string | null): string | null {
  if (clear === undefined) return showMaskedIdNumber(row.id, row.idNumber);
  return clear === null ? null : maskIdNumber(clear);
}

/** The masked landlord phone of a floating resident. */
function maskedLandlordPhoneOf(
  residentId: string,
  sealed: string | null,
  clear?: string | null,
): string | null {
  const phone =
    clear !== undefined ? clear : showField('floating_resident.landlord_phone', residentId, sealed);
  return phone === null || isUnreadableStandIn(phone) ? phone : maskPhone(phone);
}

/**
 * A resident as stored and as its history keeps it, from its row and its floating-population details
 * (if any): ID number and phones masked, the origin address whole (`shownResident` masks it before
 * the resident leaves the service). `clear` gives the sealed values in clear when the caller has just
 * sealed them (no need to open).
 */
export function toResident(
  row: ResidentRow,
  floating: Omit<FloatingResidentRow, 'residentId'> | null = floatingOf(row),
  clear?: { idNumber: string | null; landlordPhone: string | null },
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
    idNumber: maskedIdNumberOf(row, clear?.idNumber),
    birthDate: row.birthDate,
    originRegionCode: row.originRegionCode,
    originRegionName: region?.fullName ?? null,
    phone: row.phoneMasked,
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
            landlordPhone: maskedLandlordPhoneOf(row.id, floating.landlordPhone, clear?.landlordPhone),
          },
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
  };
}

/** A resident as it leaves the service: the origin address masked like any address. */
function shownResident(resident: Resident): Resident {
  const originAddress = resident.floating?.originAddress ?? null;
  return originAddress === null
    ? resident
    : { ...resident, floating: { ...resident.floating!, originAddress: maskAddress(originAddress) } };
}

/**
 * Where a resident lives, as the actor sees it: the resident's dwelling (else the household's),
 * else the address recorded for the household; in full and masked. Null when none is in sight.
 */
async function addressOf(
  db: Executor,
  actor: Actor,
  resident: Pick<ResidentRow, 'householdId' | 'dwellingId'>,
): Promise<{ text: string; masked: string } | null> {
  const household = resident.householdId
    ? await householdService.findHouseholdAddress(db, actor, resident.householdId)
    : undefined;
  const dwellingId = resident.dwellingId ?? household?.dwellingId ?? null;
  if (dwellingId !== null) {
    const dwelling = (await placeService.findDwellingAddresses(db, actor, [dwellingId])).get(dwellingId);
    if (dwelling) return dwelling;
  }
  return household?.address ? { text: household.address, masked: maskAddress(household.address) } : null;
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
    idNumber: maskedIdNumberOf(row),
    birthDate: row.birthDate,
    phone: row.phoneMasked,
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
  snapshot: (resident) => ({ ...resident, originRegionName: undefined, address: undefined }),
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

/**
 * The floating-population row of a resident; the landlord's phone is sealed, or kept as stored
 * (`stored.landlordPhone`, already sealed for this row) when the input leaves it out. The origin
 * address is shown masked, so it too is kept as stored when left out or sent back masked.
 */
function toFloatingRow(
  residentId: string,
  floating: FloatingDetailsInput,
  stored: { landlordPhone: string | null; originAddress: string | null } = {
    landlordPhone: null,
    originAddress: null,
  },
): FloatingResidentRow {
  return {
    residentId,
    arrivalDate: floating.arrivalDate ?? null,
    originAddress: addressToStore(floating.originAddress, stored.originAddress) ?? null,
    reason: floating.reason ?? null,
    expectedStayMonths: floating.expectedStayMonths ?? null,
    stall: floating.stall ?? null,
    landlordName: floating.landlordName ?? null,
    landlordPhone:
      floating.landlordPhone === undefined
        ? stored.landlordPhone
        : sealNullable('floating_resident.landlord_phone', residentId, floating.landlordPhone),
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
  const holder = await residentRepository.findLiveIdByIdNumberHash(trx, idNumberIndex(idNumber));
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
  options: RegistrationOptions & {
    householdDwellingId?: string | null;
    /** Made ahead from this input's ID number and phone (`sealIdentity`). */
    sealed?: SealedIdentity;
  } = {},
): { row: ResidentRow; floating: FloatingResidentRow | null; change: Change } {
  const id = options.sealed?.id ?? newId();
  const row: ResidentRow = {
    anonymisedAt: null,
    id,
    orgUnitId: org.id,
    streetId: org.streetId,
    householdId: input.householdId ?? null,
    relationToHead: input.householdId ? (input.relationToHead ?? 'other') : null,
    dwellingId: input.dwellingId ?? options.householdDwellingId ?? null,
    name: input.name,
    gender: identity.gender,
    ethnicityCode: input.ethnicityCode,
    idNumber: null,
    idNumberHash: null,
    birthDate: identity.birthDate,
    originRegionCode: identity.originRegionCode,
    phone: null,
    phoneHash: null,
    phoneMasked: null,
    ...(options.sealed?.columns ??
      sealedIdentityColumns(id, { idNumber: input.idNumber ?? null, phone: input.phone ?? null })),
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
  const created = toResident(row, floating, {
    idNumber: input.idNumber ?? null,
    landlordPhone: input.floating?.landlordPhone ?? null,
  });
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
    return shownResident(toResident((await residentRepository.findResidentById(trx, '/', row.id))!));
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
    const idNumberChanged =
      fields.idNumber !== undefined &&
      (fields.idNumber === null
        ? current.idNumber !== null
        : idNumberIndex(fields.idNumber) !== current.idNumberHash);
    // Identity fields are re-derived whenever the ID number or one of them changes; only then is the
    // stored ID number opened.
    const identityTouched =
      fields.idNumber !== undefined ||
      fields.gender !== undefined ||
      fields.birthDate !== undefined ||
      fields.originRegionCode !== undefined;
    const idNumber =
      fields.idNumber !== undefined
        ? fields.idNumber
        : identityTouched
          ? openField('resident.id_number', id, current.idNumber)
          : null;
    const identity = identityTouched
      ? resolveIdentity(
          {
            idNumber,
            gender: fields.gender ?? (idNumberChanged ? undefined : (current.gender as Gender)),
            birthDate:
              fields.birthDate !== undefined
                ? fields.birthDate
                : idNumberChanged
                  ? undefined
                  : current.birthDate,
            originRegionCode:
              fields.originRegionCode !== undefined
                ? fields.originRegionCode
                : idNumberChanged
                  ? undefined
                  : current.originRegionCode,
          },
          options.keepWrongCheckDigit,
        )
      : {};
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
    const { idNumber: newIdNumber, phone: newPhone, ...plainFields } = fields;
    const columns: Record<string, unknown> = {
      ...plainFields,
      ...identity,
      ...sealedIdentityColumns(id, {
        idNumber: idNumberChanged ? newIdNumber : undefined,
        phone: newPhone,
      }),
    };
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
      await residentRepository.saveFloating(
        trx,
        id,
        toFloatingRow(id, floating ?? {}, {
          landlordPhone: current.floatingLandlordPhone,
          originAddress: current.floatingOriginAddress,
        }),
      );
    }
    if (fields.name !== undefined || org.id !== current.orgUnitId) {
      await residentRepository.replaceGrams(trx, id, org.id, fields.name ?? current.name);
    }
    return shownResident(await updateRecord(trx, actor, residentSpec, current, id, version, columns));
  });
}

/** One resident, with where they live (masked). */
async function getResident(db: Executor, actor: Actor, id: string): Promise<Resident> {
  const row = await residentRepository.findResidentById(db, actor.scopePath, id);
  if (!row) throw notFound('resident_not_found');
  const address = await addressOf(db, actor, row);
  return { ...shownResident(toResident(row)), address: address?.masked ?? null };
}

async function deleteResident(db: Executor, actor: Actor, id: string, version: number) {
  return shownResident(await residentLifecycle.remove(db, actor, id, version));
}

async function restoreResident(db: Executor, actor: Actor, id: string, version: number) {
  return shownResident(await residentLifecycle.restore(db, actor, id, version));
}

/** Turns the list query into repository filters: `q` is a name, an ID number or phone digits. */
export function toResidentFilter(query: ResidentListQuery, today: string): ResidentFilter {
  const { q, ageMin, ageMax, ...rest } = query;
  const filter: ResidentFilter = { ...rest };
  const text = q?.trim();
  if (text) {
    // ID numbers and phones are stored sealed: a whole one is found by its blind index, a phone
    // also by its last 3 or 4 digits (shown in every list anyway); other fragments cannot be.
    const id = checkIdNumber(text);
    const digits = text.replace(/[\s-]/g, '');
    if (id.ok) filter.idNumberHash = idNumberIndex(id.idNumber);
    else if (!/^[\d\s-]{3,}$/.test(text)) filter.name = text;
    else if (isValidPhone(digits)) filter.phoneHash = phoneIndex(normalizePhone(digits));
    else if (digits.length <= 4) filter.phoneTail = digits;
    else throw invalidInput('phone_search_partial');
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
  switch (field) {
    case 'idNumber':
      return openField('resident.id_number', row.id, row.idNumber);
    case 'phone':
      return openField('resident.phone', row.id, row.phone);
    case 'address':
      return (await addressOf(db, actor, row))?.text ?? null;
    case 'originAddress':
      return row.floatingOriginAddress;
  }
}

/** A history snapshot with the origin address masked (addresses are kept whole, shown masked). */
function maskedSnapshot(snapshot: Snapshot): Snapshot {
  const floating = snapshot.floating as Record<string, unknown> | null | undefined;
  if (!floating || typeof floating.originAddress !== 'string') return snapshot;
  return { ...snapshot, floating: { ...floating, originAddress: maskAddress(floating.originAddress) } };
}

async function listResidentHistory(db: Executor, actor: Actor, id: string): Promise<ChangeEntry[]> {
  const row = await residentRepository.findResidentById(db, actor.scopePath, id);
  if (!row) throw notFound('resident_not_found');
  return historyService.listChanges(db, 'resident', id, undefined, maskedSnapshot);
}

export const residentService = Object.freeze({
  registerResident,
  updateResident,
  getResident,
  listResidents,
  revealResidentField,
  deleteResident,
  restoreResident,
  listResidentHistory,
});
