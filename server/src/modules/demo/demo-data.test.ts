import { describe, expect, it } from 'vitest';
import { checkIdNumber, computeCheckDigit } from '@shiliuzi/shared/id-number';
import { HAN_CODE, findEthnicGroup, isMinority } from '@shiliuzi/shared/ethnicity';
import { isValidPhone } from '@shiliuzi/shared/phone';
import { findRegion } from '@shiliuzi/shared/region';
import {
  allowedOrgParents,
  allowedPlaceParents,
  floatingReasons,
  householdRelations,
  residenceTypes,
  residentFlags,
  roles,
} from '@shiliuzi/shared/registry';
import {
  DEMO_DISTRICT_REGION_CODE,
  DEMO_PASSWORD,
  DEMO_REFERENCE_DATE,
  buildDemoDataset,
  countInterEthnicCouples,
  createResidentFactory,
  type DemoResident,
} from './demo-data.ts';

/** Local noon of the reference date, so `checkIdNumber` accepts births up to that day in any time zone. */
const REFERENCE_TODAY = new Date(2026, 5, 30, 12);

const dataset = buildDemoDataset();

function checked(idNumber: string): { birthDate: string; gender: 'male' | 'female'; regionCode: string } {
  const check = checkIdNumber(idNumber, REFERENCE_TODAY);
  if (!check.ok) throw new Error(`${idNumber}: ${check.problem}`);
  return check;
}

function ageOf(idNumber: string): number {
  const birth = checked(idNumber).birthDate;
  const age = Number(DEMO_REFERENCE_DATE.slice(0, 4)) - Number(birth.slice(0, 4));
  return DEMO_REFERENCE_DATE.slice(5) < birth.slice(5) ? age - 1 : age;
}

function byHousehold(residents: readonly DemoResident[]): Map<string, DemoResident[]> {
  const map = new Map<string, DemoResident[]>();
  for (const resident of residents) {
    const members = map.get(resident.householdKey) ?? [];
    members.push(resident);
    map.set(resident.householdKey, members);
  }
  return map;
}

/** The community code an org code belongs to ('C01-G03' → 'C01'). */
const communityOf = (orgCode: string): string => orgCode.slice(0, 3);

describe('buildDemoDataset', () => {
  it('gives the identical dataset for the same seed and a different one for another seed', () => {
    expect(buildDemoDataset()).toStrictEqual(dataset);
    expect(buildDemoDataset(7)).toStrictEqual(buildDemoDataset(7));
    expect(buildDemoDataset(7).residents).not.toStrictEqual(dataset.residents);
  });

  it('has one district, one street, three communities of 3–6 grids and 2–3 member units', () => {
    const ofType = (type: string) => dataset.orgUnits.filter((unit) => unit.type === type);
    expect(ofType('district')).toHaveLength(1);
    expect(ofType('street')).toHaveLength(1);
    const communities = ofType('community');
    expect(communities).toHaveLength(3);
    for (const community of communities) {
      const grids = ofType('grid').filter((grid) => grid.parentCode === community.code);
      expect(grids.length).toBeGreaterThanOrEqual(3);
      expect(grids.length).toBeLessThanOrEqual(6);
    }
    const units = ofType('unit');
    expect(units.length).toBeGreaterThanOrEqual(2);
    expect(units.length).toBeLessThanOrEqual(3);
    expect(new Set(units.map((unit) => unit.memberUnitKind))).toEqual(
      new Set(['school', 'hospital', 'enterprise']),
    );
    for (const unit of dataset.orgUnits) {
      expect(unit.code).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
      if (unit.type !== 'unit') expect(unit.memberUnitKind).toBeUndefined();
    }
  });

  it('keeps org codes, place keys, household keys, usernames and ID numbers unique', () => {
    const unique = (values: readonly string[]) => new Set(values).size === values.length;
    expect(unique(dataset.orgUnits.map((unit) => unit.code))).toBe(true);
    expect(unique(dataset.places.map((place) => place.key))).toBe(true);
    expect(unique(dataset.households.map((household) => household.key))).toBe(true);
    expect(unique(dataset.users.map((user) => user.username))).toBe(true);
    expect(unique(dataset.residents.map((resident) => resident.idNumber))).toBe(true);
    const phones = dataset.residents.flatMap((resident) => (resident.phone === null ? [] : [resident.phone]));
    expect(unique(phones)).toBe(true);
  });

  it('gives every resident a valid ID number from a real GB/T 2260 county', () => {
    for (const resident of dataset.residents) {
      const check = checked(resident.idNumber);
      expect(check.regionCode).toBe(resident.idNumber.slice(0, 6));
      expect(findRegion(check.regionCode)?.level, resident.idNumber).toBe('county');
      expect(findRegion(resident.originRegionCode)?.level).toBe('county');
      expect(resident.idNumber.slice(17)).toBe(computeCheckDigit(resident.idNumber.slice(0, 17)));
    }
  });

  it('makes gender, birth date and age-dependent fields agree with the ID number', () => {
    for (const resident of dataset.residents) {
      const { gender, birthDate } = checked(resident.idNumber);
      expect(gender, resident.idNumber).toBe(resident.gender);
      expect(birthDate <= DEMO_REFERENCE_DATE).toBe(true);
      expect(birthDate >= '1926-01-01').toBe(true);
      if (resident.movedInOn !== null) {
        expect(resident.movedInOn >= birthDate).toBe(true);
        expect(resident.movedInOn <= DEMO_REFERENCE_DATE).toBe(true);
      }
      if (ageOf(resident.idNumber) < 18) expect(resident.phone).toBeNull();
      if (resident.phone !== null) expect(isValidPhone(resident.phone)).toBe(true);
    }
    const adults = dataset.residents.filter((resident) => ageOf(resident.idNumber) >= 18);
    const withPhone = adults.filter((resident) => resident.phone !== null);
    expect(withPhone.length / adults.length).toBeGreaterThan(0.85);
  });

  it('makes children younger and parents older than the head of household', () => {
    for (const members of byHousehold(dataset.residents).values()) {
      const head = members.find((member) => member.relationToHead === 'head') as DemoResident;
      const headAge = ageOf(head.idNumber);
      for (const member of members) {
        const age = ageOf(member.idNumber);
        if (member.relationToHead === 'child') expect(headAge - age).toBeGreaterThanOrEqual(18);
        if (member.relationToHead === 'grandchild') expect(headAge - age).toBeGreaterThanOrEqual(36);
        if (member.relationToHead === 'parent') expect(age - headAge).toBeGreaterThanOrEqual(18);
        if (member.relationToHead === 'spouse') {
          expect(member.gender).not.toBe(head.gender);
          expect(age).toBeGreaterThanOrEqual(20);
        }
      }
    }
  });

  it('resolves every referenced parentCode, orgCode, householdKey, dwellingKey and parentKey', () => {
    const orgCodes = new Set(dataset.orgUnits.map((unit) => unit.code));
    const places = new Map(dataset.places.map((place) => [place.key, place]));
    const households = new Map(dataset.households.map((household) => [household.key, household]));
    for (const unit of dataset.orgUnits) {
      if (unit.parentCode !== null) expect(orgCodes.has(unit.parentCode), unit.code).toBe(true);
    }
    for (const place of dataset.places) {
      expect(orgCodes.has(place.orgCode), place.key).toBe(true);
      if (place.parentKey !== null) expect(places.has(place.parentKey), place.key).toBe(true);
    }
    for (const household of dataset.households) {
      expect(orgCodes.has(household.orgCode)).toBe(true);
      if (household.dwellingKey !== null) expect(places.get(household.dwellingKey)?.kind).toBe('dwelling');
    }
    for (const resident of dataset.residents) {
      expect(orgCodes.has(resident.orgCode)).toBe(true);
      const household = households.get(resident.householdKey);
      expect(household, resident.householdKey).toBeDefined();
      expect(resident.orgCode).toBe(household?.orgCode);
      expect(resident.dwellingKey).toBe(household?.dwellingKey);
      if (resident.dwellingKey !== null) expect(places.get(resident.dwellingKey)?.kind).toBe('dwelling');
    }
    for (const user of dataset.users) expect(orgCodes.has(user.orgCode)).toBe(true);
  });

  it('nests org units as allowedOrgParents says and lists parents before children', () => {
    const seen = new Map<string, (typeof dataset.orgUnits)[number]>();
    for (const unit of dataset.orgUnits) {
      const parent = unit.parentCode === null ? undefined : seen.get(unit.parentCode);
      if (unit.parentCode !== null) expect(parent, `${unit.code} after its parent`).toBeDefined();
      expect(allowedOrgParents[unit.type]).toContain(parent?.type ?? null);
      seen.set(unit.code, unit);
    }
  });

  it('nests places as allowedPlaceParents says, in the org unit of the parent, parents first', () => {
    const seen = new Map<string, (typeof dataset.places)[number]>();
    for (const place of dataset.places) {
      const parent = place.parentKey === null ? undefined : seen.get(place.parentKey);
      if (place.parentKey !== null) expect(parent, `${place.key} after its parent`).toBeDefined();
      expect(allowedPlaceParents[place.kind]).toContain(parent?.kind ?? null);
      if (parent !== undefined) expect(place.orgCode).toBe(parent.orgCode);
      seen.set(place.key, place);
    }
    const kinds = new Set(dataset.places.map((place) => place.kind));
    for (const kind of [
      'estate',
      'courtyard',
      'building',
      'entrance',
      'dwelling',
      'venue',
      'religious_venue',
    ]) {
      expect(kinds.has(kind as never), kind).toBe(true);
    }
    const mosques = dataset.places.filter((place) => place.kind === 'religious_venue');
    expect(mosques.map((place) => place.name)).toEqual([expect.stringContaining('清真寺')]);
  });

  it('gives every grid an estate or courtyard with buildings and dwellings', () => {
    for (const grid of dataset.orgUnits.filter((unit) => unit.type === 'grid')) {
      const own = dataset.places.filter((place) => place.orgCode === grid.code);
      expect(
        own.some((place) => place.kind === 'estate' || place.kind === 'courtyard'),
        grid.code,
      ).toBe(true);
      expect(own.some((place) => place.kind === 'building')).toBe(true);
      expect(own.filter((place) => place.kind === 'dwelling').length).toBeGreaterThan(20);
    }
  });

  it('marks rental dwellings with a landlord and only dwellings as rentals', () => {
    const rentals = dataset.places.filter((place) => place.isRental === true);
    expect(rentals.length).toBeGreaterThan(0);
    for (const place of rentals) {
      expect(place.kind).toBe('dwelling');
      expect(place.landlordName).toBeTruthy();
      expect(isValidPhone(place.landlordPhone ?? '')).toBe(true);
    }
    for (const place of dataset.places.filter((p) => p.isRental !== true)) {
      expect(place.landlordName).toBeUndefined();
    }
  });

  it('gives each household exactly one head, 1–5 members and the head’s name', () => {
    const members = byHousehold(dataset.residents);
    expect(members.size).toBe(dataset.households.length);
    for (const household of dataset.households) {
      const list = members.get(household.key) ?? [];
      expect(list.length).toBeGreaterThanOrEqual(1);
      expect(list.length).toBeLessThanOrEqual(5);
      const heads = list.filter((member) => member.relationToHead === 'head');
      expect(heads).toHaveLength(1);
      expect(heads[0]?.name).toBe(household.headName);
      expect(list.filter((member) => member.relationToHead === 'spouse').length).toBeLessThanOrEqual(1);
    }
  });

  it('uses only the closed sets of the registry and known ethnicity codes', () => {
    for (const resident of dataset.residents) {
      expect(householdRelations).toContain(resident.relationToHead);
      expect(residenceTypes).toContain(resident.residenceType);
      expect(findEthnicGroup(resident.ethnicityCode)?.isExtension).toBe(false);
      for (const flag of Object.keys(resident.flags)) expect(residentFlags).toContain(flag);
      if (resident.floating !== undefined) expect(floatingReasons).toContain(resident.floating.reason);
      expect(resident.name.length).toBeGreaterThan(0);
      expect(resident.name.length).toBeLessThanOrEqual(50);
    }
  });

  it('has about 3,000–4,000 residents with a Qiang-rich, a mixed and a mostly Han community', () => {
    expect(dataset.residents.length).toBeGreaterThanOrEqual(3000);
    expect(dataset.residents.length).toBeLessThanOrEqual(4000);
    const count = (community: string, test: (resident: DemoResident) => boolean) =>
      dataset.residents.filter((resident) => communityOf(resident.orgCode) === community && test(resident))
        .length;
    const share = (community: string, test: (resident: DemoResident) => boolean) =>
      count(community, test) / count(community, () => true);
    expect(share('C01', (r) => r.ethnicityCode === '33')).toBeGreaterThan(0.1);
    expect(count('C01', (r) => r.ethnicityCode === '04')).toBeGreaterThan(10);
    expect(count('C01', (r) => r.ethnicityCode === '03')).toBeGreaterThan(10);
    expect(count('C02', (r) => r.ethnicityCode === '05' && r.residenceType === 'floating')).toBeGreaterThan(
      5,
    );
    expect(count('C02', (r) => r.ethnicityCode === '03' && r.residenceType === 'floating')).toBeGreaterThan(
      5,
    );
    expect(share('C03', (r) => r.ethnicityCode === HAN_CODE)).toBeGreaterThan(0.9);
    const minorityGroups = new Set(
      dataset.residents.filter((r) => isMinority(r.ethnicityCode)).map((r) => r.ethnicityCode),
    );
    expect(minorityGroups.size).toBeGreaterThanOrEqual(8);
  });

  it('has inter-ethnic couples, about 3–5 % of all couples', () => {
    const couples = dataset.residents.filter((resident) => resident.relationToHead === 'spouse').length;
    const interEthnic = countInterEthnicCouples(dataset);
    expect(interEthnic).toBeGreaterThan(0);
    expect(interEthnic / couples).toBeGreaterThan(0.02);
    expect(interEthnic / couples).toBeLessThan(0.07);
    for (const seed of [1, 2, 3]) expect(countInterEthnicCouples(buildDemoDataset(seed))).toBeGreaterThan(0);
  });

  it('has 8–12 % floating residents with arrival, origin, reason and landlord, some on fixed stalls', () => {
    const floating = dataset.residents.filter((resident) => resident.residenceType === 'floating');
    expect(floating.length).toBeGreaterThan(0);
    expect(floating.length / dataset.residents.length).toBeGreaterThanOrEqual(0.08);
    expect(floating.length / dataset.residents.length).toBeLessThanOrEqual(0.12);
    const dwellings = new Map(dataset.places.map((place) => [place.key, place]));
    for (const resident of floating) {
      const details = resident.floating;
      expect(details, resident.name).toBeDefined();
      if (details === undefined) continue;
      expect(details.arrivalDate <= DEMO_REFERENCE_DATE).toBe(true);
      expect(details.arrivalDate >= checked(resident.idNumber).birthDate).toBe(true);
      expect(details.originRegionCode).toBe(resident.originRegionCode);
      expect(details.originRegionCode).not.toBe(DEMO_DISTRICT_REGION_CODE);
      expect(details.expectedStayMonths).toBeGreaterThan(0);
      const dwelling = dwellings.get(resident.dwellingKey ?? '');
      if (dwelling?.isRental === true) expect(details.landlordName).toBe(dwelling.landlordName);
    }
    for (const resident of dataset.residents.filter((r) => r.residenceType !== 'floating')) {
      expect(resident.floating).toBeUndefined();
      expect(resident.originRegionCode).toBe(DEMO_DISTRICT_REGION_CODE);
    }
    const vendors = floating.filter((resident) => resident.floating?.stall !== undefined);
    expect(vendors.length).toBeGreaterThan(0);
    expect(vendors.some((resident) => resident.originRegionCode.startsWith('65'))).toBe(true);
    expect(new Set(vendors.map((resident) => resident.floating?.stall)).size).toBe(vendors.length);
    expect(dataset.residents.some((resident) => resident.residenceType === 'registered')).toBe(true);
  });

  it('names residents by custom: Uyghur names with a middle dot after the father’s name, Tibetan names', () => {
    const uyghurs = dataset.residents.filter((resident) => resident.ethnicityCode === '05');
    expect(uyghurs.length).toBeGreaterThan(0);
    for (const resident of uyghurs) {
      expect(resident.name).toMatch(/^[\u4e00-\u9fff]+·[\u4e00-\u9fff]+$/);
      expect(resident.languages).toEqual(ageOf(resident.idNumber) < 2 ? [] : ['维吾尔语', '汉语']);
    }
    for (const members of byHousehold(uyghurs).values()) {
      const father = members.find(
        (m) => m.gender === 'male' && (m.relationToHead === 'head' || m.relationToHead === 'spouse'),
      );
      for (const child of members.filter((m) => m.relationToHead === 'child')) {
        if (father !== undefined) expect(child.name.split('·')[1]).toBe(father.name.split('·')[0]);
      }
    }
    const tibetanNames = /扎西|卓玛|次仁|格桑|多吉|拉姆|央金|泽仁/;
    expect(dataset.residents.some((r) => r.ethnicityCode === '04' && tibetanNames.test(r.name))).toBe(true);
    expect(dataset.residents.some((r) => r.ethnicityCode === '33' && r.languages.includes('羌语'))).toBe(
      true,
    );
    const surnames = new Map<string, number>();
    for (const r of dataset.residents.filter((x) => x.ethnicityCode === HAN_CODE)) {
      surnames.set(r.name.charAt(0), (surnames.get(r.name.charAt(0)) ?? 0) + 1);
    }
    const commonest = [...surnames]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([surname]) => surname);
    expect(commonest.filter((surname) => '王李张刘陈杨'.includes(surname)).length).toBeGreaterThanOrEqual(4);
  });

  it('sets household and personal flags on some residents', () => {
    for (const flag of residentFlags) {
      const count = dataset.residents.filter((resident) => resident.flags[flag] === true).length;
      expect(count, flag).toBeGreaterThan(0);
      expect(count / dataset.residents.length, flag).toBeLessThan(0.15);
    }
    for (const resident of dataset.residents.filter((r) => r.flags.minimumLivingAllowance === true)) {
      expect(resident.flags.hardship).toBe(true);
    }
  });

  it('has one demo login per role with a password of 8+ characters and 3 character classes', () => {
    expect(dataset.users.map((user) => user.role).sort()).toEqual([...roles].sort());
    const orgs = new Map(dataset.orgUnits.map((unit) => [unit.code, unit]));
    const of = (role: string) => dataset.users.find((user) => user.role === role);
    expect(orgs.get(of('system_admin')?.orgCode ?? '')?.type).toBe('district');
    expect(orgs.get(of('street_officer')?.orgCode ?? '')?.type).toBe('street');
    expect(of('community_worker')?.orgCode).toBe('C01');
    expect(orgs.get(of('grid_worker')?.orgCode ?? '')?.parentCode).toBe('C01');
    expect(of('viewer')?.orgCode).toBe('C02');
    const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(DEMO_PASSWORD)).length;
    expect(DEMO_PASSWORD.length).toBeGreaterThanOrEqual(8);
    expect(classes).toBeGreaterThanOrEqual(3);
    for (const user of dataset.users) expect(user.password).toBe(DEMO_PASSWORD);
  });
});

describe('createResidentFactory', () => {
  it('yields 100,000 residents with unique valid ID numbers that agree with gender and age', () => {
    const make = createResidentFactory(11);
    const ids = new Set<string>();
    let floating = 0;
    for (let index = 0; index < 100_000; index++) {
      const resident = make('C01-G01', index);
      ids.add(resident.idNumber);
      const check = checkIdNumber(resident.idNumber, REFERENCE_TODAY);
      if (!check.ok) throw new Error(`${resident.idNumber}: ${check.problem}`);
      if (check.gender !== resident.gender) throw new Error(`gender of ${resident.idNumber}`);
      if (ageOf(resident.idNumber) < 18 && resident.phone !== null)
        throw new Error(`phone of a child ${index}`);
      if (resident.residenceType === 'floating') {
        floating += 1;
        if (resident.floating?.originRegionCode !== resident.idNumber.slice(0, 6))
          throw new Error(`origin ${index}`);
      }
      if (resident.orgCode !== 'C01-G01') throw new Error(`org of ${index}`);
    }
    expect(ids.size).toBe(100_000);
    expect(floating).toBeGreaterThan(0);
  });

  it('depends only on seed and index, not on the order of calls', () => {
    const a = createResidentFactory(5);
    const b = createResidentFactory(5);
    const forward = [0, 1, 2, 99_999, 500_000].map((index) => a('U01', index));
    const backward = [500_000, 99_999, 2, 1, 0].map((index) => b('U01', index)).reverse();
    expect(backward).toStrictEqual(forward);
    expect(createResidentFactory(6)('U01', 1)).not.toStrictEqual(forward[1]);
  });

  it('never repeats an ID number of the demo dataset and refuses indexes beyond its capacity', () => {
    const make = createResidentFactory(20260630);
    const demoIds = new Set(dataset.residents.map((resident) => resident.idNumber));
    let clashes = 0;
    for (let index = 0; index < 50_000; index++) if (demoIds.has(make('C01', index).idNumber)) clashes += 1;
    expect(clashes).toBe(0);
    expect(() => make('C01', -1)).toThrow(RangeError);
    expect(() => make('C01', 1.5)).toThrow(RangeError);
    expect(() => make('C01', 1e12)).toThrow(RangeError);
  });
});
