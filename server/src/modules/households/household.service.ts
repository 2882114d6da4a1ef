import type { ChangeEntry, Page, PageQuery } from '@shiliuzi/shared/api';
import type {
  Household,
  HouseholdInput,
  HouseholdPatch,
  RevealableHouseholdField,
} from '@shiliuzi/shared/households';
import { addressToStore } from '@shiliuzi/shared/addresses';
import { isShownAddressPart, maskAddress } from '@shiliuzi/shared/masking';
import { inTransaction, type Executor } from '../../db/database.ts';
import type { HouseholdRow, OrgUnitRow } from '../../db/schema.ts';
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
import { historyService, maskSnapshotFields, type Change } from '../history/history.service.ts';
import { orgUnitService } from '../org-units/org-unit.service.ts';
import { placeService } from '../places/place.service.ts';
import {
  householdRepository,
  type HouseholdFilter,
  type HouseholdListRow,
  type HouseholdSort,
} from './household.repository.ts';

/**
 * A household as stored, its address whole (the history keeps it so): `maskedHousehold` masks it
 * before a household leaves the service, and reads add the masked address of the dwelling.
 */
export function toHousehold(row: HouseholdListRow): Household {
  return {
    id: row.id,
    orgUnitId: row.orgUnitId,
    streetId: row.streetId,
    dwellingId: row.dwellingId,
    householdNumber: row.householdNumber,
    address: row.address,
    note: row.note,
    headName: row.headName,
    memberCount: Number(row.memberCount),
    isInterEthnicMarriage: Number(row.spouseEthnicities) > 1,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
  };
}

function snapshot(household: Household) {
  const { headName: _h, memberCount: _m, isInterEthnicMarriage: _i, ...rest } = household;
  return rest;
}

/** A household as it leaves the service: its address masked (a reveal shows it, on purpose). */
function maskedHousehold(household: Household): Household {
  return { ...household, address: household.address === null ? null : maskAddress(household.address) };
}

/** Households as reads answer them: masked, with the masked address of their dwelling. */
async function shownHouseholds(db: Executor, actor: Actor, households: Household[]): Promise<Household[]> {
  const dwellings = await placeService.findDwellingAddresses(
    db,
    actor,
    households.map((h) => h.dwellingId),
  );
  return households.map((household) => ({
    ...maskedHousehold(household),
    dwellingAddress:
      household.dwellingId === null ? null : (dwellings.get(household.dwellingId)?.masked ?? null),
  }));
}

const householdSpec: RecordSpec<HouseholdListRow, Household> = {
  table: 'household',
  entityType: 'household',
  notFoundCode: 'household_not_found',
  find: householdRepository.findHouseholdById,
  toDomain: (_db, row) => toHousehold(row),
  snapshot,
  owner: (row) => ({ orgUnitId: row.orgUnitId, streetId: row.streetId }),
  canWrite: (actor) => canEditRegistry(actor),
  checkDeletable: async (db, row) => {
    if ((await householdRepository.countMembers(db, row.id)) > 0) throw conflict('household_has_members');
  },
};

const householdLifecycle = deleteAndRestore(householdSpec);

/** A live household the actor can see, else 404. */
async function requireHousehold(db: Executor, actor: Actor, id: string): Promise<HouseholdListRow> {
  return requireLive(db, actor, householdSpec, id);
}

async function getHousehold(db: Executor, actor: Actor, id: string): Promise<Household> {
  const row = await householdRepository.findHouseholdById(db, actor.scopePath, id);
  if (!row) throw notFound('household_not_found');
  return (await shownHouseholds(db, actor, [toHousehold(row)]))[0]!;
}

async function listHouseholds(
  db: Executor,
  actor: Actor,
  orgUnitId: string | undefined,
  filter: HouseholdFilter,
  sort: HouseholdSort,
  page: PageQuery,
): Promise<Page<Household>> {
  const scopePath = (await orgUnitService.resolveScope(db, actor, orgUnitId)).path;
  // Addresses are shown masked: a search may match them by what the mask shows (the estate, the
  // building), and by more only for those who may reveal them anyway.
  const qMatchesAddress = canRevealSensitive(actor) || !filter.q || isShownAddressPart(filter.q);
  const { rows, total } = await householdRepository.findHouseholds(
    db,
    scopePath,
    { ...filter, qMatchesAddress },
    sort,
    page,
  );
  return toPage(await shownHouseholds(db, actor, rows.map(toHousehold)), total, page);
}

/**
 * The row and creation history of a new household under `org`, without checks: `createHousehold`
 * checks the dwelling first; an import creates households it has matched itself.
 */
export function newHouseholdRecord(
  actor: Actor,
  org: Pick<OrgUnitRow, 'id' | 'streetId'>,
  input: HouseholdInput,
): { row: HouseholdRow; change: Change } {
  const row: HouseholdRow = {
    anonymisedAt: null,
    id: newId(),
    orgUnitId: org.id,
    streetId: org.streetId,
    dwellingId: input.dwellingId ?? null,
    householdNumber: input.householdNumber ?? null,
    address: input.address ?? null,
    note: input.note ?? null,
    ...newRecordStamps(actor),
  };
  const household = toHousehold({ ...row, headName: null, memberCount: 0, spouseEthnicities: 0 });
  const change = creation(
    'household',
    row.id,
    { orgUnitId: org.id, streetId: org.streetId },
    snapshot(household),
  );
  return { row, change };
}

async function createHousehold(db: Executor, actor: Actor, input: HouseholdInput): Promise<Household> {
  if (!canEditRegistry(actor)) throw forbidden();
  return inTransaction(db, async (trx) => {
    const org = await orgUnitService.requireOrgUnit(trx, actor, input.orgUnitId);
    if (input.dwellingId) await placeService.requireDwellingForOrg(trx, actor, input.dwellingId, org);
    const { row, change } = newHouseholdRecord(actor, org, input);
    await householdRepository.insertHousehold(trx, row);
    await historyService.recordChange(trx, actor, change);
    return maskedHousehold(toHousehold({ ...row, headName: null, memberCount: 0, spouseEthnicities: 0 }));
  });
}

async function updateHousehold(
  db: Executor,
  actor: Actor,
  id: string,
  patch: HouseholdPatch,
): Promise<Household> {
  const { version, ...changes } = patch;
  return inTransaction(db, async (trx) => {
    const current = await requireHousehold(trx, actor, id);
    // The address is shown masked: sent back as shown, it stays as stored.
    if (changes.address !== undefined) changes.address = addressToStore(changes.address, current.address);
    if (changes.dwellingId) {
      const org = await orgUnitService.requireOrgUnit(trx, actor, current.orgUnitId);
      await placeService.requireDwellingForOrg(trx, actor, changes.dwellingId, org);
    }
    return maskedHousehold(await updateRecord(trx, actor, householdSpec, current, id, version, changes));
  });
}

async function deleteHousehold(db: Executor, actor: Actor, id: string, version: number) {
  return maskedHousehold(await householdLifecycle.remove(db, actor, id, version));
}

async function restoreHousehold(db: Executor, actor: Actor, id: string, version: number) {
  return maskedHousehold(await householdLifecycle.restore(db, actor, id, version));
}

/** One unmasked address of a household, asked for on purpose (the security layer audits every call). */
async function revealHouseholdField(
  db: Executor,
  actor: Actor,
  id: string,
  field: RevealableHouseholdField,
): Promise<string | null> {
  const row = await householdRepository.findHouseholdRow(db, actor.scopePath, id);
  if (!row) throw notFound('household_not_found');
  if (!canRevealSensitive(actor)) throw forbidden();
  if (field === 'address') return row.address;
  if (row.dwellingId === null) return null;
  return (
    (await placeService.findDwellingAddresses(db, actor, [row.dwellingId])).get(row.dwellingId)?.text ?? null
  );
}

/**
 * The live household the actor sees, its address whole and its dwelling: for a resident's address
 * (undefined when out of sight or deleted).
 */
async function findHouseholdAddress(
  db: Executor,
  actor: Actor,
  id: string,
): Promise<Pick<HouseholdRow, 'address' | 'dwellingId'> | undefined> {
  const row = await householdRepository.findHouseholdRow(db, actor.scopePath, id);
  return row && row.deletedAt === null ? { address: row.address, dwellingId: row.dwellingId } : undefined;
}

/**
 * A household that a resident of org unit `orgPath` may join: visible, and belonging to the
 * resident's org unit or one of its ancestors.
 */
async function requireHouseholdForOrg(db: Executor, actor: Actor, id: string, orgPath: string) {
  const household = await householdRepository.findHouseholdRow(db, actor.scopePath, id);
  if (!household || household.deletedAt !== null) throw notFound('household_not_found');
  if (!orgPath.endsWith(`/${household.orgUnitId}/`)) {
    const owner = await orgUnitService.requireOrgUnit(db, actor, household.orgUnitId);
    if (!orgPath.startsWith(owner.path)) throw invalidInput('household_other_org');
  }
  return household;
}

async function listHouseholdHistory(db: Executor, actor: Actor, id: string): Promise<ChangeEntry[]> {
  await getHousehold(db, actor, id);
  return historyService.listChanges(db, 'household', id, undefined, (snapshot) =>
    maskSnapshotFields(snapshot, ['address'], maskAddress),
  );
}

export const householdService = Object.freeze({
  requireHousehold,
  requireHouseholdForOrg,
  getHousehold,
  listHouseholds,
  createHousehold,
  updateHousehold,
  deleteHousehold,
  restoreHousehold,
  revealHouseholdField,
  findHouseholdAddress,
  listHouseholdHistory,
});
