import { describe, expect, it } from 'vitest';
import {
  HAN_CODE,
  ethnicGroups,
  ethnicityCodeSchema,
  findEthnicGroup,
  isMinority,
  parseEthnicity,
} from './ethnicity.ts';

describe('ethnicGroups', () => {
  it('lists the 56 GB/T 3304 groups in code order, then the extensions 97 and 98', () => {
    expect(ethnicGroups).toHaveLength(58);
    const standard = ethnicGroups.filter((group) => !group.isExtension);
    expect(standard.map((group) => group.code)).toEqual(
      Array.from({ length: 56 }, (_, index) => String(index + 1).padStart(2, '0')),
    );
    expect(ethnicGroups.filter((group) => group.isExtension).map((group) => group.code)).toEqual([
      '97',
      '98',
    ]);
  });

  it('has unique names, roman spellings and abbreviations', () => {
    for (const field of ['name', 'roman', 'abbrev'] as const) {
      expect(new Set(ethnicGroups.map((group) => group[field])).size).toBe(58);
    }
  });

  it('spells 25 (Sui) as Sui/SU, as the standard does', () => {
    expect(findEthnicGroup('25')).toEqual({
      code: '25',
      name: '水族',
      roman: 'Sui',
      abbrev: 'SU',
      isExtension: false,
    });
  });

  it('has Han as 01 and Jino as 56', () => {
    expect(findEthnicGroup(HAN_CODE)?.name).toBe('汉族');
    expect(findEthnicGroup('56')).toMatchObject({ name: '基诺族', roman: 'Jino', abbrev: 'JN' });
  });

  it('marks the two local extensions', () => {
    expect(findEthnicGroup('97')).toMatchObject({ name: '其他未识别民族', roman: 'Other', abbrev: 'QT' });
    expect(findEthnicGroup('98')).toMatchObject({
      name: '外国血统中国籍人士',
      roman: 'Foreign origin',
      abbrev: 'WX',
    });
  });

  it('cannot be changed by a caller', () => {
    const han = findEthnicGroup('01');
    expect(() => {
      if (han) han.name = 'changed';
    }).toThrow(TypeError);
  });
});

describe('findEthnicGroup', () => {
  it('finds nothing for an unknown or unpadded code', () => {
    expect(findEthnicGroup('57')).toBeUndefined();
    expect(findEthnicGroup('3')).toBeUndefined();
    expect(findEthnicGroup('')).toBeUndefined();
  });
});

describe('parseEthnicity', () => {
  it.each(ethnicGroups.map((group) => [group.name, group.code]))(
    'maps the full name %s to %s',
    (name, code) => {
      expect(parseEthnicity(name)).toBe(code);
    },
  );

  it('maps every code, roman spelling and abbreviation back to its code, in any case', () => {
    for (const group of ethnicGroups) {
      expect(parseEthnicity(group.code)).toBe(group.code);
      expect(parseEthnicity(group.roman)).toBe(group.code);
      expect(parseEthnicity(group.roman.toUpperCase())).toBe(group.code);
      expect(parseEthnicity(group.abbrev)).toBe(group.code);
      expect(parseEthnicity(group.abbrev.toLowerCase())).toBe(group.code);
    }
  });

  it('maps every standard name without its final character', () => {
    for (const group of ethnicGroups.filter((candidate) => !candidate.isExtension)) {
      expect(parseEthnicity(group.name.slice(0, -1))).toBe(group.code);
    }
  });

  it.each([
    ['汉', '01'],
    ['回', '03'],
    ['藏', '04'],
    ['维吾尔', '05'],
    ['苗', '06'],
    ['彝', '07'],
    ['壮', '08'],
    ['满', '11'],
    ['土家', '15'],
    ['哈萨克', '17'],
    ['柯尔克孜', '29'],
    ['羌', '33'],
    ['塔吉克', '41'],
    ['乌孜别克', '43'],
    ['俄罗斯', '44'],
    ['鄂温克', '45'],
    ['塔塔尔', '50'],
    ['鄂伦春', '52'],
    ['高山', '23'],
  ])('maps the short name %s to %s', (text, code) => {
    expect(parseEthnicity(text)).toBe(code);
  });

  it.each([
    ['维族', '05'],
    ['蒙族', '02'],
    ['哈族', '17'],
    ['回民', '03'],
    ['Uyghur', '05'],
    ['Tibetan', '04'],
    ['Kazakh', '17'],
    ['其他', '97'],
    ['未识别民族', '97'],
    ['外国血统', '98'],
    ['foreign origin', '98'],
  ])('maps the variant %s to %s', (text, code) => {
    expect(parseEthnicity(text)).toBe(code);
  });

  it('tells the short name of Tu from that of Tujia', () => {
    expect(parseEthnicity('土')).toBe('30');
    expect(parseEthnicity('土族')).toBe('30');
    expect(parseEthnicity('土家')).toBe('15');
  });

  it('refuses the one character that could be Hani or Kazak', () => {
    expect(parseEthnicity('哈')).toBeUndefined();
    expect(parseEthnicity('哈尼')).toBe('16');
  });

  it('pads a one-digit code', () => {
    expect(parseEthnicity('3')).toBe('03');
    expect(parseEthnicity('1')).toBe('01');
  });

  it('tolerates surrounding and inner whitespace, full-width characters and any case', () => {
    expect(parseEthnicity('  回族\t')).toBe('03');
    expect(parseEthnicity('\u3000回\u3000族\u3000')).toBe('03');
    expect(parseEthnicity('０３')).toBe('03');
    expect(parseEthnicity('３')).toBe('03');
    expect(parseEthnicity('ＨＵＩ')).toBe('03');
    expect(parseEthnicity('hUi')).toBe('03');
    expect(parseEthnicity('\u200B羌族')).toBe('33');
  });

  it('finds nothing for empty, unknown or made-up text', () => {
    for (const text of ['', '   ', '0', '00', '57', '99', '003', '火星族', '族', 'Martian', '汉族人']) {
      expect(parseEthnicity(text)).toBeUndefined();
    }
  });
});

describe('isMinority', () => {
  it('is true for 02 to 56 only', () => {
    expect(isMinority('02')).toBe(true);
    expect(isMinority('33')).toBe(true);
    expect(isMinority('56')).toBe(true);
    expect(ethnicGroups.filter((group) => isMinority(group.code))).toHaveLength(55);
  });

  it('is false for Han, the extensions and unknown codes', () => {
    for (const code of [HAN_CODE, '97', '98', '57', '3', '']) expect(isMinority(code)).toBe(false);
  });
});

describe('ethnicityCodeSchema', () => {
  it('accepts a known code', () => {
    expect(ethnicityCodeSchema.parse('33')).toBe('33');
    expect(ethnicityCodeSchema.parse('98')).toBe('98');
  });

  it('refuses an unknown code with the unknown_ethnicity key', () => {
    const result = ethnicityCodeSchema.safeParse('3');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('unknown_ethnicity');
  });
});
