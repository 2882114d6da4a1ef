/**
 * Deterministic demo data: one district, one street office, three communities with grids and member units,
 * their estates, buildings, entrances and dwellings, the households living there and one login per role.
 *
 * The figures follow what real community reports describe: a resettlement community with many Qiang, some
 * Tibetan and Hui residents; a mixed urban community with Uyghur and Hui vendors from Xinjiang and Linxia on
 * fixed stalls and a mosque; a mostly Han community. Everything is drawn from a seeded generator and ages are
 * taken at the fixed reference date, so the same seed always gives the same dataset.
 *
 * `createResidentFactory` makes standalone residents fast (for benchmarks of a million rows) with ID numbers
 * that are unique by construction.
 */

import { computeCheckDigit } from '@shiliuzi/shared/id-number';
import { HAN_CODE } from '@shiliuzi/shared/ethnicity';
import type {
  FloatingReason,
  Gender,
  HouseholdRelation,
  MemberUnitKind,
  OrgUnitType,
  PlaceKind,
  ResidenceType,
  ResidentFlag,
  Role,
} from '@shiliuzi/shared/registry';
import {
  childName,
  defaultNameStyle,
  freshName,
  hanGivenName,
  hanSurnames,
  nameInStyle,
  parentName,
  type PersonName,
} from './names.ts';
import { Random, WeightedTable, hashString, mix32, mulberry32 } from './random.ts';

export interface DemoOrgUnit {
  code: string;
  name: string;
  type: OrgUnitType;
  parentCode: string | null;
  memberUnitKind?: MemberUnitKind;
  areaKm2?: number;
}

export interface DemoPlace {
  key: string;
  orgCode: string;
  kind: PlaceKind;
  name: string;
  parentKey: string | null;
  isRental?: boolean;
  landlordName?: string;
  landlordPhone?: string;
  address?: string;
}

export interface DemoFloating {
  arrivalDate: string;
  originRegionCode: string;
  reason: FloatingReason;
  expectedStayMonths: number;
  stall?: string;
  landlordName?: string;
  landlordPhone?: string;
}

export interface DemoResident {
  orgCode: string;
  householdKey: string;
  relationToHead: HouseholdRelation;
  name: string;
  gender: Gender;
  ethnicityCode: string;
  idNumber: string;
  phone: string | null;
  dwellingKey: string | null;
  residenceType: ResidenceType;
  originRegionCode: string;
  flags: Partial<Record<ResidentFlag, boolean>>;
  languages: string[];
  movedInOn: string | null;
  floating?: DemoFloating;
}

export interface DemoHousehold {
  key: string;
  orgCode: string;
  dwellingKey: string | null;
  headName: string;
}

export interface DemoUser {
  username: string;
  password: string;
  role: Role;
  orgCode: string;
  displayName: string;
}

export interface DemoDataset {
  orgUnits: DemoOrgUnit[];
  places: DemoPlace[];
  households: DemoHousehold[];
  residents: DemoResident[];
  users: DemoUser[];
}

/** The seed used when none is given. */
export const DEMO_DEFAULT_SEED = 20260630;
/** Ages, birth dates and arrival dates are relative to this day, never to the clock. */
export const DEMO_REFERENCE_DATE = '2026-06-30';
/** The shared password of the demo logins: 9 characters, upper and lower case, digits and a symbol. */
export const DEMO_PASSWORD = 'Demo@2026';
/** GB/T 2260 code of the real county whose code the demo district borrows (locals' ID numbers start with it). */
export const DEMO_DISTRICT_REGION_CODE = '510704';

// ---------------------------------------------------------------------------------------------------------
// Dates

const MS_PER_DAY = 86_400_000;
const dayNumber = (year: number, month: number, day: number): number =>
  Date.UTC(year, month - 1, day) / MS_PER_DAY;
const REFERENCE_DAY = dayNumber(2026, 6, 30);

function isoDate(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

function compactDate(day: number): string {
  const iso = isoDate(day);
  return iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10);
}

/** Completed years of age on `onDay` for someone born on `birthDay`. */
function ageOn(birthDay: number, onDay: number = REFERENCE_DAY): number {
  const birth = new Date(birthDay * MS_PER_DAY);
  const on = new Date(onDay * MS_PER_DAY);
  let age = on.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday =
    on.getUTCMonth() < birth.getUTCMonth() ||
    (on.getUTCMonth() === birth.getUTCMonth() && on.getUTCDate() < birth.getUTCDate());
  if (beforeBirthday) age -= 1;
  return age;
}

const yearOf = (day: number): number => new Date(day * MS_PER_DAY).getUTCFullYear();

/** A birth day for someone aged `age` (completed years) on the reference date. */
function birthDayForAge(rng: Random, age: number): number {
  return REFERENCE_DAY - Math.floor((age + rng.next() * 0.997) * 365.2425) - 1;
}

// ---------------------------------------------------------------------------------------------------------
// Phones and ID numbers

/** Mainland mobile prefixes (China Mobile, Unicom, Telecom, Broadnet), commoner ones listed more often. */
const MOBILE_PREFIXES: readonly string[] = (
  '138 139 135 136 137 150 151 152 157 158 159 182 183 187 188 147 198 ' +
  '138 139 135 150 158 187 130 131 132 155 156 185 186 166 176 130 186 ' +
  '133 153 180 181 189 177 173 199 191 133 189 178 175 195 192'
).split(' ');

function mobileNumber(next: () => number): string {
  const prefix = MOBILE_PREFIXES[Math.floor(next() * MOBILE_PREFIXES.length)] as string;
  return prefix + String(Math.floor(next() * 100_000_000)).padStart(8, '0');
}

/**
 * Sequence numbers (digits 15–17) of the dataset lie in 500–999 and those of the resident factory in 000–499,
 * so benchmark rows never collide with the demo dataset.
 */
class IdNumberAllocator {
  private readonly counts = new Map<string, number>();

  make(region: string, birthDay: number, gender: Gender): string {
    const birth = compactDate(birthDay);
    const key = region + birth + gender;
    const n = this.counts.get(key) ?? 0;
    this.counts.set(key, n + 1);
    // A start that looks arbitrary but is fixed by the key, then one step of two per person
    const half = 250 + (mix32(hashString(key)) % 220) + n;
    if (half > 499) throw new RangeError(`too many ID numbers for ${key}`);
    const first17 = region + birth + String(half * 2 + (gender === 'male' ? 1 : 0)).padStart(3, '0');
    return first17 + computeCheckDigit(first17);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Origins and languages

/** Where residents of each group who were not born in the district come from (GB/T 2260 county codes). */
const HOME_REGIONS: Record<string, readonly string[]> = {
  '01': ['510703', '510722', '510781', '510723', '510727', '510107'],
  '33': ['513223', '513221', '513222', '510726'],
  '04': ['513226', '513231', '513228', '513227', '510727'],
  '03': ['622901', '510703', '630104'],
  '05': ['653101', '650102'],
  '07': ['513401', '513424'],
  '15': ['500242', '422801'],
  '06': ['522601', '500242'],
  '11': ['210102'],
  '08': ['450103'],
  '10': ['222401'],
  '02': ['150102'],
  '14': ['532901'],
};

function homeRegion(rng: Random, ethnicityCode: string): string {
  return rng.pick(HOME_REGIONS[ethnicityCode] ?? (HOME_REGIONS[HAN_CODE] as readonly string[]));
}

/** Languages a resident speaks; older members of the group keep their language more often. */
function languagesFor(
  next: () => number,
  ethnicityCode: string,
  style: PersonName['style'],
  age: number,
): string[] {
  if (age < 2) return [];
  const old = age >= 50;
  switch (ethnicityCode) {
    case '33':
      return next() < (old ? 0.7 : 0.25) ? ['汉语', '羌语'] : ['汉语'];
    case '04':
      return next() < (style === 'tibetan' ? 0.85 : old ? 0.5 : 0.3) ? ['藏语', '汉语'] : ['汉语'];
    case '05':
      return ['维吾尔语', '汉语'];
    case '07':
      return next() < (style === 'yi' ? 0.85 : 0.3) ? ['彝语', '汉语'] : ['汉语'];
    case '02':
      return next() < (style === 'mongol' ? 0.7 : 0.2) ? ['蒙古语', '汉语'] : ['汉语'];
    case '10':
      return next() < 0.5 ? ['朝鲜语', '汉语'] : ['汉语'];
    default:
      return ['汉语'];
  }
}

/** Personal flags that depend on age only (household flags such as hardship are set per household). */
function personalFlags(
  next: () => number,
  age: number,
  floating: boolean,
): Partial<Record<ResidentFlag, boolean>> {
  const flags: Partial<Record<ResidentFlag, boolean>> = {};
  if (age >= 18) {
    const partyShare = floating ? 0.03 : age < 36 ? 0.04 : age < 60 ? 0.08 : 0.12;
    if (next() < partyShare) flags.partyMember = true;
  }
  if (age >= 16 && age <= 75 && next() < (floating ? 0.03 : 0.07)) flags.volunteer = true;
  if (next() < (age >= 60 ? 0.05 : 0.012)) flags.disabled = true;
  return flags;
}

// ---------------------------------------------------------------------------------------------------------
// The plan of the area

interface GridPlan {
  estate: string;
  kind: 'estate' | 'courtyard';
  /** [min, max] buildings. */
  buildings: [number, number];
  /** [min, max] entrances per building; 0 means the dwellings hang directly under the building. */
  entrances: [number, number];
  floors: [number, number];
  perFloor: [number, number];
  /** One-storey dwellings directly under a courtyard (平房). */
  bungalows?: number;
}

interface FloatingGroup {
  ethnicityCode: string;
  regions: readonly string[];
  weight: number;
}

interface FloatingPlan {
  weight: number;
  groups: readonly FloatingGroup[];
  reason: FloatingReason;
  /** Share of trading household heads given a fixed stall. */
  stallShare?: number;
  goods?: readonly string[];
}

interface CommunityPlan {
  code: string;
  name: string;
  areaKm2: number;
  grids: readonly GridPlan[];
  /** Ethnic mix of the settled population. */
  mix: readonly (readonly [string, number])[];
  /** Share of settled adults born outside the district. */
  bornElsewhere: number;
  interEthnicRate: number;
  rentalShare: number;
  /** Share of rented dwellings let to floating households. */
  floatingInRental: number;
  vacancy: number;
  /** The community was settled from this year on. */
  firstMoveInYear: number;
  floating: readonly FloatingPlan[];
  markets: readonly string[];
  venue: string;
}

const XINJIANG_UYGHUR: FloatingGroup = {
  ethnicityCode: '05',
  regions: ['653101', '650102', '652901', '654002', '653121', '653125'],
  weight: 1,
};
const HUI_NORTHWEST: FloatingGroup = {
  ethnicityCode: '03',
  regions: ['622901', '622921', '622924', '652301', '650103'],
  weight: 1,
};
const HAN_SICHUAN: FloatingGroup = {
  ethnicityCode: '01',
  regions: ['510722', '510781', '510723', '510727', '511302', '510107', '500101'],
  weight: 1,
};

const COMMUNITIES: readonly CommunityPlan[] = [
  {
    code: 'C01',
    name: '云朵社区',
    areaKm2: 2.6,
    grids: [
      {
        estate: '羌兴苑一期',
        kind: 'estate',
        buildings: [4, 4],
        entrances: [2, 2],
        floors: [6, 6],
        perFloor: [2, 2],
      },
      {
        estate: '羌兴苑二期',
        kind: 'estate',
        buildings: [4, 5],
        entrances: [2, 2],
        floors: [6, 6],
        perFloor: [2, 2],
      },
      {
        estate: '禹泽苑',
        kind: 'estate',
        buildings: [3, 3],
        entrances: [2, 3],
        floors: [6, 6],
        perFloor: [2, 2],
      },
      {
        estate: '云溪苑',
        kind: 'estate',
        buildings: [4, 4],
        entrances: [2, 2],
        floors: [7, 7],
        perFloor: [2, 2],
      },
      {
        estate: '安宁苑',
        kind: 'estate',
        buildings: [3, 3],
        entrances: [2, 2],
        floors: [6, 6],
        perFloor: [2, 3],
      },
      {
        estate: '和顺苑',
        kind: 'estate',
        buildings: [3, 3],
        entrances: [2, 2],
        floors: [11, 11],
        perFloor: [2, 2],
      },
    ],
    mix: [
      ['01', 70],
      ['33', 19],
      ['04', 5],
      ['03', 3],
      ['07', 1],
      ['06', 0.5],
      ['15', 0.5],
      ['08', 0.3],
      ['10', 0.2],
      ['11', 0.5],
    ],
    bornElsewhere: 0.35,
    interEthnicRate: 0.08,
    rentalShare: 0.16,
    floatingInRental: 0.6,
    vacancy: 0.06,
    firstMoveInYear: 2011,
    floating: [
      {
        weight: 40,
        groups: [
          { ethnicityCode: '33', regions: ['513223', '513221', '513222'], weight: 3 },
          { ethnicityCode: '04', regions: ['513226', '513231', '513228', '513227'], weight: 2 },
        ],
        reason: 'work',
      },
      { weight: 40, groups: [HAN_SICHUAN], reason: 'work' },
      {
        weight: 14,
        groups: [HUI_NORTHWEST],
        reason: 'trade',
        stallShare: 0.3,
        goods: ['牛肉拉面', '清真牛羊肉'],
      },
      { weight: 6, groups: [XINJIANG_UYGHUR], reason: 'trade', stallShare: 0.8, goods: ['烤馕', '新疆干果'] },
    ],
    markets: ['羌兴农贸市场'],
    venue: '云朵社区民族团结进步活动中心',
  },
  {
    code: 'C02',
    name: '同心社区',
    areaKm2: 1.4,
    grids: [
      {
        estate: '同心花园',
        kind: 'estate',
        buildings: [4, 4],
        entrances: [2, 2],
        floors: [6, 7],
        perFloor: [2, 2],
      },
      {
        estate: '锦绣华庭',
        kind: 'estate',
        buildings: [2, 2],
        entrances: [1, 2],
        floors: [15, 18],
        perFloor: [2, 3],
      },
      {
        estate: '纺机厂家属院',
        kind: 'courtyard',
        buildings: [3, 3],
        entrances: [1, 2],
        floors: [5, 5],
        perFloor: [2, 2],
        bungalows: 12,
      },
      {
        estate: '金港商住楼',
        kind: 'estate',
        buildings: [1, 1],
        entrances: [0, 0],
        floors: [9, 9],
        perFloor: [6, 6],
      },
      {
        estate: '滨江名都',
        kind: 'estate',
        buildings: [3, 3],
        entrances: [2, 2],
        floors: [11, 11],
        perFloor: [2, 2],
      },
    ],
    mix: [
      ['01', 89],
      ['03', 3],
      ['15', 2],
      ['33', 2],
      ['07', 1],
      ['04', 1],
      ['06', 1],
      ['11', 0.6],
      ['08', 0.3],
      ['02', 0.3],
      ['14', 0.2],
    ],
    bornElsewhere: 0.3,
    interEthnicRate: 0.04,
    rentalShare: 0.34,
    floatingInRental: 0.75,
    vacancy: 0.05,
    firstMoveInYear: 1996,
    floating: [
      {
        weight: 30,
        groups: [XINJIANG_UYGHUR],
        reason: 'trade',
        stallShare: 0.5,
        goods: ['烤肉', '烤馕', '新疆干果', '抓饭', '大盘鸡'],
      },
      {
        weight: 18,
        groups: [HUI_NORTHWEST],
        reason: 'trade',
        stallShare: 0.25,
        goods: ['牛肉拉面', '清真牛羊肉', '油香'],
      },
      { weight: 36, groups: [HAN_SICHUAN], reason: 'work' },
      {
        weight: 10,
        groups: [
          { ethnicityCode: '15', regions: ['500242', '422801'], weight: 2 },
          { ethnicityCode: '07', regions: ['513401', '513424'], weight: 2 },
          { ethnicityCode: '06', regions: ['522601'], weight: 1 },
        ],
        reason: 'work',
      },
      { weight: 6, groups: [HAN_SICHUAN], reason: 'study' },
    ],
    markets: ['同心农贸市场', '滨江夜市'],
    venue: '同心社区党群服务中心',
  },
  {
    code: 'C03',
    name: '青禾社区',
    areaKm2: 1.9,
    grids: [
      {
        estate: '青禾雅居',
        kind: 'estate',
        buildings: [4, 4],
        entrances: [2, 2],
        floors: [6, 7],
        perFloor: [2, 2],
      },
      {
        estate: '书香苑',
        kind: 'estate',
        buildings: [4, 4],
        entrances: [2, 2],
        floors: [7, 7],
        perFloor: [2, 2],
      },
      {
        estate: '玉兰公寓',
        kind: 'estate',
        buildings: [2, 2],
        entrances: [1, 1],
        floors: [18, 18],
        perFloor: [2, 3],
      },
      {
        estate: '电力公司宿舍',
        kind: 'courtyard',
        buildings: [4, 4],
        entrances: [2, 2],
        floors: [5, 6],
        perFloor: [2, 3],
      },
    ],
    mix: [
      ['01', 97],
      ['33', 1],
      ['03', 0.5],
      ['15', 0.5],
      ['11', 0.5],
      ['07', 0.3],
      ['04', 0.2],
    ],
    bornElsewhere: 0.25,
    interEthnicRate: 0.02,
    rentalShare: 0.15,
    floatingInRental: 0.55,
    vacancy: 0.07,
    firstMoveInYear: 2004,
    floating: [
      { weight: 70, groups: [HAN_SICHUAN], reason: 'work' },
      { weight: 18, groups: [HAN_SICHUAN], reason: 'study' },
      {
        weight: 12,
        groups: [
          { ethnicityCode: '15', regions: ['500242', '422801'], weight: 1 },
          { ethnicityCode: '06', regions: ['522601'], weight: 1 },
        ],
        reason: 'work',
      },
    ],
    markets: ['青禾菜市场'],
    venue: '青禾社区文化活动室',
  },
];

const GRID_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九'];

const DISTRICT = { code: 'D01', name: '榴城区', areaKm2: 1012.4 };
const STREET = { code: 'S01', name: '和鸣街道', areaKm2: 9.6 };

const MEMBER_UNITS: readonly DemoOrgUnit[] = [
  { code: 'U01', name: '榴城区民族实验小学', type: 'unit', parentCode: 'S01', memberUnitKind: 'school' },
  { code: 'U02', name: '榴城区第二人民医院', type: 'unit', parentCode: 'C02', memberUnitKind: 'hospital' },
  { code: 'U03', name: '禹泽食品有限公司', type: 'unit', parentCode: 'C01', memberUnitKind: 'enterprise' },
];

const DEMO_LOGINS: readonly Omit<DemoUser, 'password'>[] = [
  { username: 'admin', role: 'system_admin', orgCode: 'D01', displayName: '系统管理员' },
  { username: 'security', role: 'security_admin', orgCode: 'D01', displayName: '安全管理员' },
  { username: 'street', role: 'street_officer', orgCode: 'S01', displayName: '杨晓梅' },
  { username: 'community', role: 'community_worker', orgCode: 'C01', displayName: '王德华' },
  { username: 'grid', role: 'grid_worker', orgCode: 'C01-G01', displayName: '余小芳' },
  { username: 'viewer', role: 'viewer', orgCode: 'C02', displayName: '陈立新' },
  { username: 'auditor', role: 'auditor', orgCode: 'D01', displayName: '审计员' },
];

// ---------------------------------------------------------------------------------------------------------
// People

interface Member {
  relation: HouseholdRelation;
  gender: Gender;
  ethnicityCode: string;
  birthDay: number;
  name: PersonName;
  idRegion: string;
}

interface Landlord {
  name: string;
  phone: string;
}

interface Dwelling {
  key: string;
  orgCode: string;
  landlord: Landlord | undefined;
}

type HouseholdShape =
  | 'single_young'
  | 'single_elder'
  | 'couple_young'
  | 'couple_older'
  | 'nuclear'
  | 'three_generations'
  | 'single_parent'
  | 'grandparents_grandchild';

const LOCAL_SHAPES = new WeightedTable<HouseholdShape>([
  ['single_young', 6],
  ['single_elder', 9],
  ['couple_young', 6],
  ['couple_older', 18],
  ['nuclear', 38],
  ['three_generations', 13],
  ['single_parent', 5],
  ['grandparents_grandchild', 4],
]);

const STAY_MONTHS = [3, 6, 6, 12, 12, 12, 24, 24, 36, 60];

class Generator {
  private readonly rng: Random;
  private readonly next: () => number;
  private readonly ids = new IdNumberAllocator();
  private readonly phones = new Set<string>();
  private readonly stallNumbers = new Map<string, number>();

  readonly orgUnits: DemoOrgUnit[] = [];
  readonly places: DemoPlace[] = [];
  readonly households: DemoHousehold[] = [];
  readonly residents: DemoResident[] = [];

  constructor(seed: number) {
    this.rng = new Random(mix32(seed, 0x5eed));
    this.next = () => this.rng.next();
  }

  build(): DemoDataset {
    this.orgUnits.push({
      code: DISTRICT.code,
      name: DISTRICT.name,
      type: 'district',
      parentCode: null,
      areaKm2: DISTRICT.areaKm2,
    });
    this.orgUnits.push({
      code: STREET.code,
      name: STREET.name,
      type: 'street',
      parentCode: DISTRICT.code,
      areaKm2: STREET.areaKm2,
    });
    for (const community of COMMUNITIES) this.buildCommunity(community);
    for (const unit of MEMBER_UNITS) this.orgUnits.push({ ...unit });
    this.orgUnits.sort((a, b) => orgOrder(a) - orgOrder(b));
    return {
      orgUnits: this.orgUnits,
      places: this.places,
      households: this.households,
      residents: this.residents,
      users: DEMO_LOGINS.map((login) => ({ ...login, password: DEMO_PASSWORD })),
    };
  }

  private uniquePhone(): string {
    for (;;) {
      const phone = mobileNumber(this.next);
      if (!this.phones.has(phone)) {
        this.phones.add(phone);
        return phone;
      }
    }
  }

  private buildCommunity(plan: CommunityPlan): void {
    const rng = this.rng;
    this.orgUnits.push({
      code: plan.code,
      name: plan.name,
      type: 'community',
      parentCode: STREET.code,
      areaKm2: plan.areaKm2,
    });
    const landlords: Landlord[] = Array.from({ length: 14 }, () => {
      const birthYear = rng.int(1955, 1985);
      const gender: Gender = rng.chance(0.55) ? 'male' : 'female';
      return {
        name: hanSurnames.at(rng.next()) + hanGivenName(this.next, gender, birthYear),
        phone: this.uniquePhone(),
      };
    });
    const mix = new WeightedTable(plan.mix);
    const minorityMix = new WeightedTable(plan.mix.filter(([code]) => code !== HAN_CODE));
    const floatingPlans = new WeightedTable(
      plan.floating.map((floating) => [floating, floating.weight] as const),
    );

    plan.grids.forEach((grid, gridIndex) => {
      const gridCode = `${plan.code}-G${String(gridIndex + 1).padStart(2, '0')}`;
      this.orgUnits.push({
        code: gridCode,
        name: `${plan.name}第${GRID_NUMERALS[gridIndex] ?? String(gridIndex + 1)}网格`,
        type: 'grid',
        parentCode: plan.code,
      });
      const dwellings = this.buildPlaces(plan, grid, gridCode, landlords);
      let householdNumber = 0;
      for (const dwelling of dwellings) {
        if (rng.chance(plan.vacancy)) continue;
        householdNumber += 1;
        const key = `${gridCode}-H${String(householdNumber).padStart(3, '0')}`;
        if (dwelling.landlord !== undefined && rng.chance(plan.floatingInRental)) {
          this.floatingHousehold(plan, key, dwelling, rng.weighted(floatingPlans));
        } else {
          this.localHousehold(plan, key, dwelling, mix, minorityMix);
        }
      }
    });

    const venueOwner = plan.code === 'C03' ? `${plan.code}-G01` : plan.code;
    const venueParent = plan.code === 'C03' ? `${plan.code}-G01-E1` : null;
    this.places.push({
      key: `${plan.code}-V1`,
      orgCode: venueOwner,
      kind: 'venue',
      name: plan.venue,
      parentKey: venueParent,
      address: `${STREET.name}${plan.name}`,
    });
    if (plan.code === 'C02') {
      this.places.push({
        key: `${plan.code}-R1`,
        orgCode: plan.code,
        kind: 'religious_venue',
        name: '同心清真寺',
        parentKey: null,
        address: `${STREET.name}${plan.name}清真寺巷12号`,
      });
    }
  }

  /** Estate (or courtyard) > buildings > entrances > dwellings for one grid; returns the dwellings. */
  private buildPlaces(
    plan: CommunityPlan,
    grid: GridPlan,
    gridCode: string,
    landlords: Landlord[],
  ): Dwelling[] {
    const rng = this.rng;
    const estateKey = `${gridCode}-E1`;
    this.places.push({
      key: estateKey,
      orgCode: gridCode,
      kind: grid.kind,
      name: grid.estate,
      parentKey: null,
      address: `${STREET.name}${plan.name}${grid.estate}`,
    });
    const dwellings: Dwelling[] = [];
    const addDwelling = (parentKey: string, key: string, name: string): void => {
      const landlord = rng.chance(plan.rentalShare) ? rng.pick(landlords) : undefined;
      const place: DemoPlace = {
        key,
        orgCode: gridCode,
        kind: 'dwelling',
        name,
        parentKey,
        address: `${plan.name}${grid.estate}${name}`,
      };
      if (landlord !== undefined) {
        place.isRental = true;
        place.landlordName = landlord.name;
        place.landlordPhone = landlord.phone;
      }
      this.places.push(place);
      dwellings.push({ key, orgCode: gridCode, landlord });
    };

    const buildingCount = rng.int(...grid.buildings);
    for (let b = 1; b <= buildingCount; b++) {
      const buildingKey = `${estateKey}-B${String(b).padStart(2, '0')}`;
      this.places.push({
        key: buildingKey,
        orgCode: gridCode,
        kind: 'building',
        name: `${b}栋`,
        parentKey: estateKey,
      });
      const floors = rng.int(...grid.floors);
      const perFloor = rng.int(...grid.perFloor);
      const entranceCount = rng.int(...grid.entrances);
      const rooms = (prefix: string): { code: string; label: string }[] => {
        const list: { code: string; label: string }[] = [];
        for (let floor = 1; floor <= floors; floor++) {
          for (let n = 1; n <= perFloor; n++) {
            const room = `${floor}${String(n).padStart(2, '0')}`;
            list.push({ code: room.padStart(4, '0'), label: `${prefix}${room}` });
          }
        }
        return list;
      };
      if (entranceCount === 0) {
        for (const room of rooms(`${b}栋`))
          addDwelling(buildingKey, `${buildingKey}-${room.code}`, room.label);
        continue;
      }
      for (let u = 1; u <= entranceCount; u++) {
        const entranceKey = `${buildingKey}-U${u}`;
        this.places.push({
          key: entranceKey,
          orgCode: gridCode,
          kind: 'entrance',
          name: `${u}单元`,
          parentKey: buildingKey,
        });
        for (const room of rooms(`${b}栋${u}单元`))
          addDwelling(entranceKey, `${entranceKey}-${room.code}`, room.label);
      }
    }
    for (let n = 1; n <= (grid.bungalows ?? 0); n++) {
      addDwelling(estateKey, `${estateKey}-P${String(n).padStart(2, '0')}`, `${n}号平房`);
    }
    return dwellings;
  }

  // -------------------------------------------------------------------------------------------------------
  // Households of settled residents

  private localHousehold(
    plan: CommunityPlan,
    key: string,
    dwelling: Dwelling,
    mix: WeightedTable<string>,
    minorityMix: WeightedTable<string>,
  ): void {
    const rng = this.rng;
    const shape = rng.weighted(LOCAL_SHAPES);
    const members: Member[] = [];
    const headEthnicity = rng.weighted(mix);
    const region = (ethnicityCode: string): string =>
      rng.chance(plan.bornElsewhere) ? homeRegion(rng, ethnicityCode) : DEMO_DISTRICT_REGION_CODE;

    const headAge = ((): number => {
      switch (shape) {
        case 'single_young':
          return rng.int(20, 38);
        case 'single_elder':
          return rng.int(60, 93);
        case 'couple_young':
          return rng.int(22, 36);
        case 'couple_older':
          return rng.int(48, 86);
        case 'nuclear':
          return rng.int(28, 60);
        case 'three_generations':
          return rng.int(29, 50);
        case 'single_parent':
          return rng.int(28, 55);
        case 'grandparents_grandchild':
          return rng.int(55, 76);
      }
    })();
    const hasSpouse = !['single_young', 'single_elder', 'single_parent'].includes(shape);
    const headGender: Gender = hasSpouse
      ? rng.chance(0.86)
        ? 'male'
        : 'female'
      : shape === 'single_elder' || shape === 'single_parent'
        ? rng.chance(0.68)
          ? 'female'
          : 'male'
        : rng.chance(0.55)
          ? 'male'
          : 'female';
    const headBirth = birthDayForAge(rng, headAge);
    const head: Member = {
      relation: 'head',
      gender: headGender,
      ethnicityCode: headEthnicity,
      birthDay: headBirth,
      name: freshName(this.next, headEthnicity, headGender, yearOf(headBirth)),
      idRegion: region(headEthnicity),
    };
    members.push(head);

    let spouse: Member | undefined;
    if (hasSpouse) {
      const spouseGender: Gender = headGender === 'male' ? 'female' : 'male';
      const spouseAge = Math.max(20, headAge + (headGender === 'male' ? rng.int(-6, 2) : rng.int(-2, 6)));
      let spouseEthnicity = headEthnicity;
      if (rng.chance(plan.interEthnicRate)) {
        spouseEthnicity =
          headEthnicity === HAN_CODE
            ? rng.weighted(minorityMix)
            : rng.chance(0.8)
              ? HAN_CODE
              : rng.weighted(minorityMix);
        if (spouseEthnicity === headEthnicity) spouseEthnicity = HAN_CODE;
      }
      const spouseBirth = birthDayForAge(rng, spouseAge);
      spouse = {
        relation: 'spouse',
        gender: spouseGender,
        ethnicityCode: spouseEthnicity,
        birthDay: spouseBirth,
        name: freshName(this.next, spouseEthnicity, spouseGender, yearOf(spouseBirth)),
        idRegion: region(spouseEthnicity),
      };
      members.push(spouse);
    }

    const father = head.gender === 'male' ? head : spouse;
    const mother = head.gender === 'female' ? head : spouse;
    const childEthnicity = (): string => {
      if (spouse === undefined || spouse.ethnicityCode === head.ethnicityCode) return head.ethnicityCode;
      const minority = head.ethnicityCode === HAN_CODE ? spouse.ethnicityCode : head.ethnicityCode;
      return rng.chance(0.65) ? minority : (father ?? head).ethnicityCode;
    };
    const youngestParentAge = spouse === undefined ? headAge : Math.min(headAge, ageOn(spouse.birthDay));
    const addChild = (relation: HouseholdRelation, age: number): void => {
      const gender: Gender = rng.chance(0.515) ? 'male' : 'female';
      const ethnicityCode = childEthnicity();
      const birthDay = birthDayForAge(rng, age);
      members.push({
        relation,
        gender,
        ethnicityCode,
        birthDay,
        name: childName(this.next, ethnicityCode, gender, yearOf(birthDay), father?.name, mother?.name),
        idRegion:
          birthDay >= dayNumber(plan.firstMoveInYear, 1, 1) ? DEMO_DISTRICT_REGION_CODE : head.idRegion,
      });
    };

    if (shape === 'nuclear' || shape === 'three_generations' || shape === 'single_parent') {
      const room = shape === 'three_generations' ? 2 : 3;
      const count = Math.min(room, rng.chance(0.55) ? 1 : rng.chance(0.85) ? 2 : 3);
      let age = youngestParentAge - rng.int(22, 34);
      for (let i = 0; i < count && age >= 0; i++) {
        addChild('child', age);
        age -= rng.int(2, 7);
      }
    }
    if (shape === 'grandparents_grandchild') {
      const count = rng.chance(0.7) ? 1 : 2;
      for (let i = 0; i < count; i++) addChild('grandchild', rng.int(3, 15));
    }
    if (shape === 'three_generations') {
      const ofSpouse = spouse !== undefined && rng.chance(0.4);
      const child = ofSpouse && spouse !== undefined ? spouse : head;
      const gender: Gender = rng.chance(0.65) ? 'female' : 'male';
      const age = Math.min(97, ageOn(child.birthDay) + rng.int(23, 33));
      const birthDay = birthDayForAge(rng, age);
      members.push({
        relation: ofSpouse ? 'parent_in_law' : 'parent',
        gender,
        ethnicityCode: child.ethnicityCode,
        birthDay,
        name: parentName(this.next, child.name, child.ethnicityCode, gender, yearOf(birthDay)),
        idRegion: child.idRegion,
      });
    }

    // Moved in at some day after the community was settled; members born later were born here
    const firstDay = dayNumber(plan.firstMoveInYear, 3, 1);
    const moveInDay = firstDay + rng.int(0, REFERENCE_DAY - 30 - firstDay);
    const hardship = rng.chance(
      shape === 'single_elder'
        ? 0.1
        : shape === 'single_parent'
          ? 0.12
          : shape === 'couple_older'
            ? 0.04
            : 0.02,
    );
    const allowance = hardship && rng.chance(0.55);
    const emptyNest =
      shape === 'single_elder' ||
      (shape === 'couple_older' && members.every((member) => ageOn(member.birthDay) >= 70));

    for (const member of members) {
      const age = ageOn(member.birthDay);
      const flags = personalFlags(this.next, age, false);
      if (hardship) flags.hardship = true;
      if (allowance) flags.minimumLivingAllowance = true;
      if (emptyNest) flags.elderlyAlone = true;
      const awayForStudyOrWork = member.relation === 'child' && age >= 18 && age <= 30 && rng.chance(0.12);
      this.residents.push({
        orgCode: dwelling.orgCode,
        householdKey: key,
        relationToHead: member.relation,
        name: member.name.full,
        gender: member.gender,
        ethnicityCode: member.ethnicityCode,
        idNumber: this.ids.make(member.idRegion, member.birthDay, member.gender),
        phone: this.phoneFor(age),
        dwellingKey: dwelling.key,
        residenceType: awayForStudyOrWork ? 'registered' : 'permanent',
        originRegionCode: DEMO_DISTRICT_REGION_CODE,
        flags,
        languages: languagesFor(this.next, member.ethnicityCode, member.name.style, age),
        movedInOn: member.birthDay < moveInDay ? isoDate(moveInDay) : null,
      });
    }
    this.households.push({
      key,
      orgCode: dwelling.orgCode,
      dwellingKey: dwelling.key,
      headName: head.name.full,
    });
  }

  private phoneFor(age: number): string | null {
    if (age < 18) return null;
    const share = age >= 85 ? 0.5 : age >= 70 ? 0.8 : 0.96;
    return this.rng.chance(share) ? this.uniquePhone() : null;
  }

  // -------------------------------------------------------------------------------------------------------
  // Households of floating residents

  private floatingHousehold(
    plan: CommunityPlan,
    key: string,
    dwelling: Dwelling,
    floating: FloatingPlan,
  ): void {
    const rng = this.rng;
    const group = rng.weighted(new WeightedTable(floating.groups.map((g) => [g, g.weight] as const)));
    const origin = rng.pick(group.regions);
    const ethnicityCode = group.ethnicityCode;
    const study = floating.reason === 'study';
    const roll = rng.next();
    const shape = study ? 'single' : roll < 0.5 ? 'single' : roll < 0.78 ? 'couple' : 'family';
    const headAge = study ? rng.int(18, 23) : shape === 'single' ? rng.int(19, 48) : rng.int(24, 46);
    const headGender: Gender =
      shape === 'single' ? (rng.chance(0.62) ? 'male' : 'female') : rng.chance(0.9) ? 'male' : 'female';
    const headBirth = birthDayForAge(rng, headAge);
    const members: Member[] = [
      {
        relation: 'head',
        gender: headGender,
        ethnicityCode,
        birthDay: headBirth,
        name: freshName(this.next, ethnicityCode, headGender, yearOf(headBirth)),
        idRegion: origin,
      },
    ];
    const head = members[0] as Member;
    let spouse: Member | undefined;
    if (shape !== 'single') {
      const gender: Gender = headGender === 'male' ? 'female' : 'male';
      const birthDay = birthDayForAge(rng, Math.max(20, headAge + rng.int(-5, 3)));
      spouse = {
        relation: 'spouse',
        gender,
        ethnicityCode,
        birthDay,
        name: freshName(this.next, ethnicityCode, gender, yearOf(birthDay)),
        idRegion: origin,
      };
      members.push(spouse);
    }
    if (shape === 'family') {
      const father = headGender === 'male' ? head : spouse;
      const mother = headGender === 'female' ? head : spouse;
      const count = rng.chance(0.6) ? 1 : 2;
      let age = Math.min(headAge, spouse === undefined ? headAge : ageOn(spouse.birthDay)) - rng.int(21, 30);
      for (let i = 0; i < count && age >= 0; i++) {
        const gender: Gender = rng.chance(0.515) ? 'male' : 'female';
        const birthDay = birthDayForAge(rng, age);
        members.push({
          relation: 'child',
          gender,
          ethnicityCode,
          birthDay,
          name: childName(this.next, ethnicityCode, gender, yearOf(birthDay), father?.name, mother?.name),
          idRegion: origin,
        });
        age -= rng.int(2, 6);
      }
    }

    const arrivalDay = REFERENCE_DAY - rng.int(15, 2300);
    const expectedStayMonths = rng.pick(STAY_MONTHS);
    let stall: string | undefined;
    if (floating.reason === 'trade' && floating.goods !== undefined && rng.chance(floating.stallShare ?? 0)) {
      const market = rng.pick(plan.markets);
      const number = (this.stallNumbers.get(market) ?? 0) + 1 + rng.int(0, 2);
      this.stallNumbers.set(market, number);
      stall = `${market}${String(number).padStart(2, '0')}号摊位（${rng.pick(floating.goods)}）`;
    }

    for (const member of members) {
      const age = ageOn(member.birthDay);
      const details: DemoFloating = {
        arrivalDate: isoDate(Math.max(arrivalDay, member.birthDay)),
        originRegionCode: origin,
        reason:
          member.relation === 'head' ||
          (member.relation === 'spouse' && floating.reason !== 'study' && rng.chance(0.5))
            ? floating.reason
            : 'family',
        expectedStayMonths,
      };
      if (stall !== undefined && member.relation === 'head') details.stall = stall;
      if (dwelling.landlord !== undefined) {
        details.landlordName = dwelling.landlord.name;
        details.landlordPhone = dwelling.landlord.phone;
      }
      this.residents.push({
        orgCode: dwelling.orgCode,
        householdKey: key,
        relationToHead: member.relation,
        name: member.name.full,
        gender: member.gender,
        ethnicityCode: member.ethnicityCode,
        idNumber: this.ids.make(member.idRegion, member.birthDay, member.gender),
        phone: this.phoneFor(age),
        dwellingKey: dwelling.key,
        residenceType: 'floating',
        originRegionCode: origin,
        flags: personalFlags(this.next, age, true),
        languages: languagesFor(this.next, member.ethnicityCode, member.name.style, age),
        movedInOn: member.birthDay < arrivalDay ? isoDate(arrivalDay) : null,
        floating: details,
      });
    }
    this.households.push({
      key,
      orgCode: dwelling.orgCode,
      dwellingKey: dwelling.key,
      headName: head.name.full,
    });
  }
}

const ORG_TYPE_ORDER: Record<OrgUnitType, number> = {
  district: 0,
  street: 1,
  township: 1,
  community: 2,
  village: 2,
  grid: 3,
  unit: 4,
};

/** Parents before children: districts, streets, communities, grids, member units (stable within a type). */
function orgOrder(unit: DemoOrgUnit): number {
  return ORG_TYPE_ORDER[unit.type];
}

/**
 * The whole demo dataset for a seed. Org units come parents first, places parents first, residents grouped by
 * household with the head first. The same seed always gives the same dataset.
 */
export function buildDemoDataset(seed: number = DEMO_DEFAULT_SEED): DemoDataset {
  return new Generator(seed).build();
}

/** Inter-ethnic marriages (族际通婚): households whose head and spouse have different ethnicities. */
export function countInterEthnicCouples(dataset: Pick<DemoDataset, 'residents'>): number {
  const heads = new Map<string, string>();
  const spouses = new Map<string, string>();
  for (const resident of dataset.residents) {
    if (resident.relationToHead === 'head') heads.set(resident.householdKey, resident.ethnicityCode);
    if (resident.relationToHead === 'spouse') spouses.set(resident.householdKey, resident.ethnicityCode);
  }
  let count = 0;
  for (const [household, ethnicity] of spouses) {
    if (heads.get(household) !== ethnicity) count += 1;
  }
  return count;
}

// ---------------------------------------------------------------------------------------------------------
// Resident factory for benchmarks

/** Population per single year of age (0–99), relative: China around 2026, roughly by five-year band. */
const AGE_WEIGHTS: readonly number[] = [
  7.6, 14, 17, 16, 15, 17, 24, 24, 19, 20, 24, 23, 21, 15, 14, 9, 5.6, 3, 1, 0.2,
].flatMap((weight) => [weight, weight, weight, weight, weight]);

/** Birth days 0 … 36524 days before the reference date: about a hundred years. */
const FACTORY_DAYS = 36_525;
/** A day appears at most this often among the slots. */
const SLOTS_PER_DAY = 4;
/** ID sequence numbers of the factory stay below 500 (see IdNumberAllocator). */
const FACTORY_MAX_SEQUENCE_HALF = 250;

const FACTORY_ETHNICITIES = new WeightedTable<string>([
  ['01', 86],
  ['33', 4],
  ['03', 2.5],
  ['04', 2.2],
  ['07', 1.2],
  ['15', 1.2],
  ['06', 0.8],
  ['11', 0.6],
  ['08', 0.4],
  ['02', 0.2],
  ['10', 0.1],
]);

interface FactoryOrigin {
  ethnicityCode: string;
  region: string;
  reason: FloatingReason;
}

const FACTORY_FLOATING = new WeightedTable<FactoryOrigin>([
  ...XINJIANG_UYGHUR.regions.map(
    (region) => [{ ethnicityCode: '05', region, reason: 'trade' as const }, 2] as const,
  ),
  ...HUI_NORTHWEST.regions.map(
    (region) => [{ ethnicityCode: '03', region, reason: 'trade' as const }, 2] as const,
  ),
  ...HAN_SICHUAN.regions.map(
    (region) => [{ ethnicityCode: '01', region, reason: 'work' as const }, 6] as const,
  ),
  [{ ethnicityCode: '01', region: '510107', reason: 'study' }, 4],
  [{ ethnicityCode: '33', region: '513223', reason: 'work' }, 4],
  [{ ethnicityCode: '04', region: '513231', reason: 'work' }, 3],
  [{ ethnicityCode: '07', region: '513401', reason: 'work' }, 3],
  [{ ethnicityCode: '15', region: '500242', reason: 'work' }, 3],
]);

/** Birth-day slots in a seeded order: a day appears as often as its age is common (up to SLOTS_PER_DAY). */
function buildFactorySlots(seed: number): { day: Int32Array; occurrence: Uint8Array } {
  const counts = new Uint8Array(FACTORY_DAYS);
  const maxWeight = Math.max(...AGE_WEIGHTS);
  let carried = 0;
  let total = 0;
  for (let d = 0; d < FACTORY_DAYS; d++) {
    const weight = AGE_WEIGHTS[Math.min(99, Math.floor(d / 365.2425))] ?? 0;
    const before = Math.floor(carried);
    carried += (weight / maxWeight) * SLOTS_PER_DAY;
    const count = Math.min(SLOTS_PER_DAY, Math.floor(carried) - before);
    counts[d] = count;
    total += count;
  }
  const day = new Int32Array(total);
  const occurrence = new Uint8Array(total);
  let at = 0;
  for (let d = 0; d < FACTORY_DAYS; d++) {
    for (let o = 0; o < (counts[d] as number); o++) {
      day[at] = d;
      occurrence[at] = o;
      at += 1;
    }
  }
  const next = mulberry32(mix32(seed, 0xfac7));
  for (let i = total - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const heldDay = day[i] as number;
    const heldOccurrence = occurrence[i] as number;
    day[i] = day[j] as number;
    occurrence[i] = occurrence[j] as number;
    day[j] = heldDay;
    occurrence[j] = heldOccurrence;
  }
  return { day, occurrence };
}

/**
 * A fast maker of standalone residents for benchmarks. `index` is the resident's running number across all
 * calls (0, 1, 2 …); the ID number is unique for every index by construction: the index picks a birth-day
 * slot (days appear as often as their age is common) and, every time the slots are used up, the next pair of
 * sequence numbers. The capacity is several million indexes; beyond it the factory throws a RangeError.
 * Everything else about the resident is drawn from a generator seeded with (seed, index), so a resident does
 * not depend on the order of the calls. Household and dwelling are left to the caller.
 */
export function createResidentFactory(
  seed: number,
): (orgCode: string, index: number) => Omit<DemoResident, 'householdKey' | 'dwellingKey'> {
  const slots = buildFactorySlots(seed);
  const slotCount = slots.day.length;
  const capacity = Math.floor(FACTORY_MAX_SEQUENCE_HALF / SLOTS_PER_DAY) * slotCount;
  const compactDays: string[] = new Array<string>(FACTORY_DAYS);
  const isoDays: string[] = new Array<string>(FACTORY_DAYS);
  const ages = new Uint8Array(FACTORY_DAYS);
  const years = new Uint16Array(FACTORY_DAYS);
  for (let d = 0; d < FACTORY_DAYS; d++) {
    const birthDay = REFERENCE_DAY - d;
    isoDays[d] = isoDate(birthDay);
    compactDays[d] = compactDate(birthDay);
    ages[d] = ageOn(birthDay);
    years[d] = yearOf(birthDay);
  }
  const seedMix = mix32(seed, 0xbe7c4);
  // One generator reused by every call (reseeded per index), so no closure is made per resident
  let state = 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  /** 'YYYY-MM-DD' of a day between about 1926 and the reference date, from the precomputed table. */
  const isoOf = (day: number): string => isoDays[REFERENCE_DAY - day] as string;

  return (orgCode, index) => {
    if (!Number.isInteger(index) || index < 0 || index >= capacity) {
      throw new RangeError(`resident factory index must be an integer in [0, ${capacity})`);
    }
    const slot = index % slotCount;
    const half = Math.floor(index / slotCount) * SLOTS_PER_DAY + (slots.occurrence[slot] as number);
    const d = slots.day[slot] as number;
    const age = ages[d] as number;

    state = mix32(seedMix, index);
    const gender: Gender = next() < 0.51 ? 'male' : 'female';
    const floatingOrigin = age >= 16 && age <= 60 && next() < 0.12 ? FACTORY_FLOATING.at(next()) : undefined;
    const ethnicityCode = floatingOrigin?.ethnicityCode ?? FACTORY_ETHNICITIES.at(next());
    const region = floatingOrigin?.region ?? DEMO_DISTRICT_REGION_CODE;
    const style = defaultNameStyle(next, ethnicityCode);
    const name = nameInStyle(next, style, ethnicityCode, gender, years[d] as number);
    const first17 =
      region + (compactDays[d] as string) + String(half * 2 + (gender === 'male' ? 1 : 0)).padStart(3, '0');
    const phoneShare = age < 18 ? 0 : age >= 85 ? 0.5 : age >= 70 ? 0.8 : 0.96;
    const phone = next() < phoneShare ? mobileNumber(next) : null;
    const relationToHead: HouseholdRelation =
      age < 18 ? 'child' : age >= 75 && next() < 0.3 ? 'parent' : next() < 0.55 ? 'head' : 'spouse';
    const flags = personalFlags(next, age, floatingOrigin !== undefined);
    if (next() < (age >= 65 ? 0.12 : 0.015)) flags.hardship = true;
    if (flags.hardship && next() < 0.5) flags.minimumLivingAllowance = true;
    if (age >= 65 && next() < 0.15) flags.elderlyAlone = true;
    const birthDay = REFERENCE_DAY - d;

    const resident: Omit<DemoResident, 'householdKey' | 'dwellingKey'> = {
      orgCode,
      relationToHead,
      name: name.full,
      gender,
      ethnicityCode,
      idNumber: first17 + computeCheckDigit(first17),
      phone,
      residenceType: floatingOrigin !== undefined ? 'floating' : next() < 0.015 ? 'registered' : 'permanent',
      originRegionCode: region,
      flags,
      languages: languagesFor(next, ethnicityCode, name.style, age),
      movedInOn: null,
    };
    if (floatingOrigin !== undefined) {
      const arrivalDay = Math.max(birthDay, REFERENCE_DAY - 15 - Math.floor(next() * 2300));
      resident.movedInOn = isoOf(arrivalDay);
      resident.floating = {
        arrivalDate: resident.movedInOn,
        originRegionCode: region,
        reason: floatingOrigin.reason,
        expectedStayMonths: STAY_MONTHS[Math.floor(next() * STAY_MONTHS.length)] as number,
      };
    } else if (next() < 0.7) {
      const earliest = Math.max(birthDay, dayNumber(1995, 1, 1));
      resident.movedInOn = isoOf(earliest + Math.floor(next() * (REFERENCE_DAY - earliest + 1)));
    }
    return resident;
  };
}
