/**
 * The street the export and report benchmarks seed: communities of grids (and member units) under
 * a district, then households of three in dwellings of their own under estate > building > entrance.
 */
import type { OrgUnit } from '@shiliuzi/shared/org-units';
import type { Database } from '../server/src/db/database.ts';
import { cliActor } from '../server/src/lib/actor.ts';
import { newId } from '../server/src/lib/ids.ts';
import { orgUnitService } from '../server/src/modules/org-units/org-unit.service.ts';
import { openBenchSqlite, type SqliteLocation } from './sqlite-file.ts';

export interface Street {
  street: OrgUnit;
  grids: OrgUnit[];
}

export interface StreetPlan {
  /** Code prefix of every unit (the district's code). */
  code: string;
  districtName: string;
  streetName: string;
  communities: number;
  gridsPerCommunity: number;
  /** Member units directly under the street (default none). */
  memberUnits?: number;
  /** Areas in km² of the street and of each community (default none). */
  streetAreaKm2?: number;
  communityAreaKm2?: number;
}

/** A district with one street of `communities` communities of `gridsPerCommunity` grids each. */
export async function createStreet(database: Database, plan: StreetPlan): Promise<Street> {
  return database.db.transaction().execute(async (trx) => {
    const add = (
      code: string,
      name: string,
      type: OrgUnit['type'],
      parentId: string | null,
      areaKm2?: number,
    ) =>
      orgUnitService.createOrgUnit(trx, cliActor, { code, name, type, parentId, areaKm2: areaKm2 ?? null });
    const two = (n: number) => String(n + 1).padStart(2, '0');
    const district = await add(plan.code, plan.districtName, 'district', null);
    const street = await add(`${plan.code}-S`, plan.streetName, 'street', district.id, plan.streetAreaKm2);
    const grids: OrgUnit[] = [];
    for (let c = 0; c < plan.communities; c++) {
      const community = await add(
        `${plan.code}-C${two(c)}`,
        `第${c + 1}社区`,
        'community',
        street.id,
        plan.communityAreaKm2,
      );
      for (let g = 0; g < plan.gridsPerCommunity; g++) {
        grids.push(
          await add(`${community.code}-G${two(g)}`, `${community.name}第${g + 1}网格`, 'grid', community.id),
        );
      }
    }
    for (let u = 0; u < (plan.memberUnits ?? 0); u++) {
      await add(`${plan.code}-U${two(u)}`, `驻区单位${u + 1}`, 'unit', street.id);
    }
    return { street, grids };
  });
}

/**
 * Names of the places of one grid: its estate, its b-th building (from 0), the e-th entrance (from
 * 0) of that building, and its k-th dwelling (from 0, k % 12 being the dwelling's place on its entrance).
 */
export interface PlaceNames {
  estate(grid: OrgUnit): string;
  building(grid: OrgUnit, b: number): string;
  entrance(grid: OrgUnit, b: number, e: number): string;
  dwelling(grid: OrgUnit, k: number): string;
}

/**
 * Households of three residents of each grid (head, spouse, child), each in a dwelling of its own:
 * 12 dwellings an entrance, 4 entrances a building, one estate a grid, every fifth dwelling rented.
 * Plain SQL on a connection of its own, as the resident seeder writes residents.
 */
export function addHouseholdsAndPlaces(
  location: SqliteLocation,
  street: Street,
  names: PlaceNames,
): { households: number; dwellings: number } {
  const db = openBenchSqlite(location);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const now = new Date().toISOString();
  const insertPlace = db.prepare(
    `insert into place (id, org_unit_id, street_id, kind, parent_id, name, is_rental, version, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
  );
  const insertHousehold = db.prepare(
    `insert into household (id, org_unit_id, street_id, dwelling_id, household_number, version, created_at, updated_at)
     values (?, ?, ?, ?, ?, 1, ?, ?)`,
  );
  const setHousehold = db.prepare(
    'update resident set household_id = ?, dwelling_id = ?, relation_to_head = ? where id = ?',
  );
  const residentsOf = db.prepare<[string], { id: string }>(
    'select id from resident where org_unit_id = ? and deleted_at is null order by id',
  );
  const relations = ['head', 'spouse', 'child'] as const;
  const streetId = street.street.id;
  let dwellings = 0;
  db.transaction(() => {
    for (const grid of street.grids) {
      const place = (kind: string, parentId: string | null, name: string, isRental = false) => {
        const id = newId();
        insertPlace.run(id, grid.id, streetId, kind, parentId, name, isRental ? 1 : 0, now, now);
        return id;
      };
      const estate = place('estate', null, names.estate(grid));
      let building = '';
      let entrance = '';
      const residents = residentsOf.all(grid.id);
      for (let at = 0, k = 0; at < residents.length; at += 3, k++) {
        const b = Math.floor(k / 48);
        if (k % 48 === 0) building = place('building', estate, names.building(grid, b));
        if (k % 12 === 0) entrance = place('entrance', building, names.entrance(grid, b, (k / 12) % 4));
        const dwelling = place('dwelling', entrance, names.dwelling(grid, k), dwellings % 5 === 0);
        const household = newId();
        insertHousehold.run(household, grid.id, streetId, dwelling, `${grid.code}-${k + 1}`, now, now);
        residents
          .slice(at, at + 3)
          .forEach((r, m) => setHousehold.run(household, dwelling, relations[m], r.id));
        dwellings += 1;
      }
    }
  })();
  db.exec('analyze');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { households: dwellings, dwellings };
}
