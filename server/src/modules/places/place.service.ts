import type { ChangeEntry, Page, PageQuery } from '@shiliuzi/shared/api';
import { dwellingAddressText, maskedDwellingAddress } from '@shiliuzi/shared/addresses';
import { isShownAddressPart, maskAddress, maskPhone, type AddressPart } from '@shiliuzi/shared/masking';
import type { Place, PlaceInput, PlacePatch } from '@shiliuzi/shared/places';
import { allowedPlaceParents, type PlaceKind } from '@shiliuzi/shared/registry';
import { inTransaction, type Executor } from '../../db/database.ts';
import { dialectOf } from '../../db/dialect-of.ts';
import type { DialectAdapter } from '../../db/dialect.ts';
import type { OrgUnitRow, PlaceRow } from '../../db/schema.ts';
import { conflict, forbidden, invalidInput, notFound } from '../../errors.ts';
import type { Actor } from '../../lib/actor.ts';
import { isUnreadableStandIn, sealNullable, showField } from '../../lib/field-crypto.ts';
import { newId } from '../../lib/ids.ts';
import { toPage } from '../../lib/pagination.ts';
import { canEditRegistry, canSeeDwellingLabels } from '../../lib/permissions.ts';
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
import {
  doorKinds,
  placeRepository,
  type DwellingPathRow,
  type PlaceFilter,
  type PlaceSort,
} from './place.repository.ts';

/** The landlord's phone as lists and details show it: opened only to be masked. */
function maskedLandlordPhoneOf(row: PlaceRow): string | null {
  const phone = showField('place.landlord_phone', row.id, row.landlordPhone);
  return phone === null || isUnreadableStandIn(phone) ? phone : maskPhone(phone);
}

export function toPlace(row: PlaceRow): Place {
  return {
    id: row.id,
    orgUnitId: row.orgUnitId,
    streetId: row.streetId,
    kind: row.kind as PlaceKind,
    parentId: row.parentId,
    name: row.name,
    address: row.address,
    isRental: Boolean(row.isRental),
    landlordName: row.landlordName,
    landlordPhone: maskedLandlordPhoneOf(row),
    note: row.note,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
  };
}

const isDoor = (kind: string) => (doorKinds as readonly string[]).includes(kind);

/**
 * A place as the actor may see it: entrances and dwellings keep their names and addresses for those
 * who manage places (the place tree is where they name room 301 under its building); for everyone
 * else both are masked like any address, so that the tree never spells out a household's door.
 */
function shownPlace(actor: Actor, place: Place): Place {
  if (canSeeDwellingLabels(actor) || !isDoor(place.kind)) return place;
  return {
    ...place,
    name: maskAddress(place.name),
    address: place.address === null ? null : maskAddress(place.address),
  };
}

function snapshot(place: Place) {
  return { ...place };
}

const placeSpec: RecordSpec<PlaceRow, Place> = {
  table: 'place',
  entityType: 'place',
  notFoundCode: 'place_not_found',
  find: placeRepository.findPlaceById,
  toDomain: (_db, row) => toPlace(row),
  snapshot,
  owner: (row) => ({ orgUnitId: row.orgUnitId, streetId: row.streetId }),
  canWrite: (actor) => canEditRegistry(actor),
  checkDeletable: async (db, row) => {
    if ((await placeRepository.countDependents(db, row.id)) > 0) throw conflict('place_has_children');
  },
};

const placeLifecycle = deleteAndRestore(placeSpec);

/** A live place the actor can see, else 404. */
async function requirePlace(db: Executor, actor: Actor, id: string): Promise<PlaceRow> {
  return requireLive(db, actor, placeSpec, id);
}

/**
 * A place that records of `org` may point at: visible to the actor and belonging to `org` itself
 * or to one of its ancestors (an estate of the community, a building of the grid).
 */
async function requirePlaceForOrg(
  db: Executor,
  actor: Actor,
  id: string,
  org: OrgUnitRow,
): Promise<PlaceRow> {
  const place = await requirePlace(db, actor, id);
  if (place.orgUnitId !== org.id) {
    const owner = await orgUnitService.requireOrgUnit(db, actor, place.orgUnitId);
    if (!org.path.startsWith(owner.path)) throw invalidInput('place_parent_other_org');
  }
  return place;
}

/** A dwelling (房屋) that records of `org` may point at. */
async function requireDwellingForOrg(
  db: Executor,
  actor: Actor,
  id: string,
  org: OrgUnitRow,
): Promise<PlaceRow> {
  const place = await requirePlaceForOrg(db, actor, id, org);
  if (place.kind !== 'dwelling') throw invalidInput('dwelling_required');
  return place;
}

async function getPlace(db: Executor, actor: Actor, id: string): Promise<Place> {
  const row = await placeRepository.findPlaceById(db, actor.scopePath, id);
  if (!row) throw notFound('place_not_found');
  return shownPlace(actor, toPlace(row));
}

async function listPlaces(
  db: Executor,
  actor: Actor,
  orgUnitId: string | undefined,
  filter: PlaceFilter,
  sort: PlaceSort,
  page: PageQuery,
): Promise<Page<Place>> {
  const scopePath = (await orgUnitService.resolveScope(db, actor, orgUnitId)).path;
  const qMatchesDoors = canSeeDwellingLabels(actor) || !filter.q || isShownAddressPart(filter.q);
  const { rows, total } = await placeRepository.findPlaces(
    db,
    scopePath,
    { ...filter, qMatchesDoors },
    sort,
    page,
  );
  return toPage(
    rows.map((row) => shownPlace(actor, toPlace(row))),
    total,
    page,
  );
}

/** A dwelling's address: in full, and as lists show it. */
export interface DwellingAddress {
  text: string;
  masked: string;
}

/** The places above a dwelling and the dwelling itself, estate first. */
function pathOf(row: DwellingPathRow): AddressPart[] {
  const above: [string | null, string | null][] = [
    [row.p4Kind, row.p4Name],
    [row.p3Kind, row.p3Name],
    [row.p2Kind, row.p2Name],
    [row.p1Kind, row.p1Name],
  ];
  return [
    ...above.flatMap(([kind, name]) => (kind !== null && name !== null ? [{ kind, name }] : [])),
    { kind: row.kind, name: row.name },
  ];
}

/**
 * The addresses of the dwellings among `ids` that the actor sees, by id: each from the places above
 * it that the actor sees too (a grid worker's addresses start at the building when the estate
 * belongs to the community).
 */
async function findDwellingAddresses(
  db: Executor,
  actor: Actor,
  ids: readonly (string | null)[],
): Promise<Map<string, DwellingAddress>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  const rows = await placeRepository.findDwellingPaths(db, actor.scopePath, wanted);
  return new Map(
    rows.map((row) => {
      const path = pathOf(row);
      return [
        row.id,
        { text: dwellingAddressText(row.address, path), masked: maskedDwellingAddress(row.address, path) },
      ];
    }),
  );
}

async function checkParent(
  trx: Executor,
  actor: Actor,
  kind: PlaceKind,
  parentId: string | null,
  org: OrgUnitRow,
) {
  const parent = parentId === null ? null : await requirePlaceForOrg(trx, actor, parentId, org);
  if (!allowedPlaceParents[kind].includes((parent?.kind ?? null) as PlaceKind | null)) {
    throw invalidInput('place_parent_invalid');
  }
}

/**
 * The row and creation history of a new place under `org`, without checks: `createPlace` checks
 * the parent first; an import creates places it has matched itself.
 */
export function newPlaceRecord(
  actor: Actor,
  org: Pick<OrgUnitRow, 'id' | 'streetId'>,
  input: PlaceInput,
  dialect: DialectAdapter,
): { row: PlaceRow; change: Change } {
  const id = newId();
  const row: PlaceRow = {
    id,
    orgUnitId: org.id,
    streetId: org.streetId,
    kind: input.kind,
    parentId: input.parentId ?? null,
    name: input.name,
    address: input.address ?? null,
    isRental: dialect.bool(input.isRental ?? false),
    landlordName: input.landlordName ?? null,
    landlordPhone: sealNullable('place.landlord_phone', id, input.landlordPhone),
    note: input.note ?? null,
    ...newRecordStamps(actor),
  };
  const change = creation(
    'place',
    row.id,
    { orgUnitId: org.id, streetId: org.streetId },
    snapshot(toPlace(row)),
  );
  return { row, change };
}

async function createPlace(db: Executor, actor: Actor, input: PlaceInput): Promise<Place> {
  if (!canEditRegistry(actor)) throw forbidden();
  return inTransaction(db, async (trx) => {
    const org = await orgUnitService.requireOrgUnit(trx, actor, input.orgUnitId);
    await checkParent(trx, actor, input.kind, input.parentId ?? null, org);
    const { row, change } = newPlaceRecord(actor, org, input, dialectOf(trx));
    await placeRepository.insertPlace(trx, row);
    await historyService.recordChange(trx, actor, change);
    return toPlace(row);
  });
}

async function updatePlace(db: Executor, actor: Actor, id: string, patch: PlacePatch): Promise<Place> {
  const { version, ...changes } = patch;
  return inTransaction(db, async (trx) => {
    const current = await requirePlace(trx, actor, id);
    if (changes.parentId !== undefined) {
      const org = await orgUnitService.requireOrgUnit(trx, actor, current.orgUnitId);
      await checkParent(trx, actor, current.kind as PlaceKind, changes.parentId, org);
    }
    const columns: Record<string, unknown> = { ...changes };
    if (changes.isRental !== undefined) columns.isRental = dialectOf(trx).bool(changes.isRental);
    if (changes.landlordPhone !== undefined)
      columns.landlordPhone = sealNullable('place.landlord_phone', id, changes.landlordPhone);
    return updateRecord(trx, actor, placeSpec, current, id, version, columns);
  });
}

async function listPlaceHistory(db: Executor, actor: Actor, id: string): Promise<ChangeEntry[]> {
  const place = await getPlace(db, actor, id);
  if (canSeeDwellingLabels(actor) || !isDoor(place.kind)) return historyService.listChanges(db, 'place', id);
  return historyService.listChanges(db, 'place', id, undefined, (snapshot) =>
    maskSnapshotFields(snapshot, ['name', 'address'], maskAddress),
  );
}

export const placeService = Object.freeze({
  requirePlace,
  requirePlaceForOrg,
  requireDwellingForOrg,
  getPlace,
  listPlaces,
  findDwellingAddresses,
  createPlace,
  updatePlace,
  deletePlace: placeLifecycle.remove,
  restorePlace: placeLifecycle.restore,
  listPlaceHistory,
});
