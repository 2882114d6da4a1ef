import type { Executor } from '../../db/database.ts';
import { inTransaction } from '../../db/database.ts';
import type { Actor } from '../../lib/actor.ts';
import { householdService } from '../households/household.service.ts';
import { orgUnitService } from '../org-units/org-unit.service.ts';
import { placeService } from '../places/place.service.ts';
import { residentService } from '../residents/resident.service.ts';
import { userService } from '../users/user.service.ts';
import { orgUnitRepository } from '../org-units/org-unit.repository.ts';
import { buildDemoDataset, DEMO_DEFAULT_SEED, type DemoDataset } from './demo-data.ts';
import { loadDisputePetitionDemo } from './dispute-petition-demo.ts';
import { loadDemoCasework } from './demo-casework.ts';
import type { PhotoStore } from '../visits/visit-photo.store.ts';

export interface DemoLoadResult {
  loaded: boolean;
  orgUnits: number;
  places: number;
  households: number;
  residents: number;
  users: DemoDataset['users'];
}

/**
 * Loads the demo street through the same services the API uses (so every rule applies and every
 * record has its history), in one transaction. Does nothing when the demo district exists.
 */
async function loadDemo(
  db: Executor,
  actor: Actor,
  seed?: number,
  /** Where the demo visit's photo goes (`<dataDir>/attachments`); none without it. */
  photos?: PhotoStore,
): Promise<DemoLoadResult> {
  const data = buildDemoDataset(seed);
  const rootCode = data.orgUnits[0]!.code;
  if (await orgUnitRepository.findOrgUnitByCode(db, '/', rootCode)) {
    return { loaded: false, orgUnits: 0, places: 0, households: 0, residents: 0, users: data.users };
  }
  await inTransaction(db, async (trx) => {
    const orgIds = new Map<string, string>();
    for (const unit of data.orgUnits) {
      const created = await orgUnitService.createOrgUnit(trx, actor, {
        code: unit.code,
        name: unit.name,
        type: unit.type,
        parentId: unit.parentCode === null ? null : orgIds.get(unit.parentCode)!,
        memberUnitKind: unit.memberUnitKind ?? null,
        areaKm2: unit.areaKm2 ?? null,
      });
      orgIds.set(unit.code, created.id);
    }
    const placeIds = new Map<string, string>();
    for (const place of data.places) {
      const created = await placeService.createPlace(trx, actor, {
        orgUnitId: orgIds.get(place.orgCode)!,
        kind: place.kind,
        parentId: place.parentKey === null ? null : placeIds.get(place.parentKey)!,
        name: place.name,
        address: place.address ?? null,
        isRental: place.isRental ?? false,
        landlordName: place.landlordName ?? null,
        landlordPhone: place.landlordPhone ?? null,
      });
      placeIds.set(place.key, created.id);
    }
    const householdIds = new Map<string, string>();
    for (const household of data.households) {
      const created = await householdService.createHousehold(trx, actor, {
        orgUnitId: orgIds.get(household.orgCode)!,
        dwellingId: household.dwellingKey === null ? null : placeIds.get(household.dwellingKey)!,
        householdNumber: household.key,
      });
      householdIds.set(household.key, created.id);
    }
    const residentIds: string[] = [];
    for (const resident of data.residents) {
      const registered = await residentService.registerResident(trx, actor, {
        orgUnitId: orgIds.get(resident.orgCode)!,
        name: resident.name,
        gender: resident.gender,
        ethnicityCode: resident.ethnicityCode,
        idNumber: resident.idNumber,
        originRegionCode: resident.originRegionCode,
        phone: resident.phone,
        householdId: householdIds.get(resident.householdKey)!,
        relationToHead: resident.relationToHead,
        dwellingId: resident.dwellingKey === null ? null : placeIds.get(resident.dwellingKey)!,
        residenceType: resident.residenceType,
        flags: resident.flags,
        languages: resident.languages,
        movedInOn: resident.movedInOn,
        floating: resident.floating ?? null,
      });
      residentIds.push(registered.id);
    }
    const userIds = new Map<string, string>();
    for (const user of data.users) {
      const created = await userService.createUser(
        trx,
        actor,
        {
          username: user.username,
          displayName: user.displayName,
          password: user.password,
          roles: [user.role],
          orgUnitId: orgIds.get(user.orgCode)!,
        },
        // Demo accounts keep their published password (demo mode only; see SHILIUZI_MODE).
        { mustChangePassword: false },
      );
      userIds.set(user.username, created.id);
    }
    await loadDisputePetitionDemo(trx, actor, orgIds, seed ?? DEMO_DEFAULT_SEED);
    await loadDemoCasework(
      trx,
      actor,
      data,
      { orgIds, householdIds, residentIds, userIds },
      undefined,
      photos,
    );
  });
  return {
    loaded: true,
    orgUnits: data.orgUnits.length,
    places: data.places.length,
    households: data.households.length,
    residents: data.residents.length,
    users: data.users,
  };
}

export const demoService = Object.freeze({ loadDemo });
