import { describe, expect, it } from 'vitest';
import { computeCheckDigit } from './id-number.ts';
import {
  cellText,
  excelSerialToDate,
  isBlankCell,
  matchRegionPrefix,
  normalizeDateCell,
  normalizeEthnicityCell,
  normalizeIdNumberCell,
  normalizePersonName,
  normalizePhoneCell,
  normalizePlacePart,
  parseChineseNumber,
  parseDwellingStatus,
  parseFlagList,
  parseFloatingReason,
  parseGender,
  parseGridName,
  parseRegionCell,
  parseRelationToHead,
  parseResidenceType,
  parseStayMonths,
  parseYesNo,
  splitAddress,
} from './import-normalize.ts';

function makeIdNumber(region: string, birth: string, sequence: number): string {
  const first17 = `${region}${birth}${String(sequence).padStart(3, '0')}`;
  return first17 + computeCheckDigit(first17);
}

const TODAY = new Date('2026-01-15T12:00:00+08:00');

describe('cellText and isBlankCell', () => {
  it('gives numbers without exponent, dates as YYYY-MM-DD and trims text', () => {
    expect(cellText(510703198503021000)).toBe('510703198503021000');
    expect(cellText(new Date(Date.UTC(1985, 2, 2)))).toBe('1985-03-02');
    expect(cellText('  张三 ')).toBe('张三');
    expect(cellText(null)).toBe('');
    expect(cellText(true)).toBe('TRUE');
  });

  it('treats whitespace of every kind as blank', () => {
    expect(isBlankCell(' \u3000\u200B ')).toBe(true);
    expect(isBlankCell(null)).toBe(true);
    expect(isBlankCell(0)).toBe(false);
    expect(isBlankCell(false)).toBe(false);
  });
});

describe('normalizePersonName', () => {
  it('removes the alignment spaces of two-character names and keeps rare characters exactly', () => {
    expect(normalizePersonName(' 张  三 ')).toBe('张三');
    expect(normalizePersonName('张\u3000三')).toBe('张三');
    expect(normalizePersonName('𠀀明😀')).toBe('𠀀明😀');
  });

  it('unifies the middle dot of transliterated names', () => {
    expect(normalizePersonName('阿不都.买买提')).toBe('阿不都·买买提');
    expect(normalizePersonName('阿不都 • 买买提')).toBe('阿不都·买买提');
  });
});

describe('normalizeEthnicityCell', () => {
  it.each([
    ['羌', '33'],
    ['羌族', '33'],
    ['维族', '05'],
    ['维吾尔', '05'],
    ['维', '05'],
    ['回', '03'],
    ['土家', '15'],
    ['土家族  ', '15'],
    ['羌族\u3000', '33'],
    ['ＨＵＩ', '03'],
    ['３３', '33'],
    ['维吾尔族（维）', '05'],
    ['汉', '01'],
  ])('reads %s as %s', (text, code) => {
    expect(normalizeEthnicityCell(text)).toEqual({ status: 'valid', code });
  });

  it('refuses ambiguous and unknown text, and says when the cell is empty', () => {
    expect(normalizeEthnicityCell('哈')).toEqual({ status: 'unknown', text: '哈' });
    expect(normalizeEthnicityCell('火星族')).toEqual({ status: 'unknown', text: '火星族' });
    expect(normalizeEthnicityCell('  ')).toEqual({ status: 'empty' });
  });
});

describe('normalizeIdNumberCell', () => {
  const id = makeIdNumber('513221', '19850302', 123);

  it('accepts full-width digits, spaces and a lower-case x', () => {
    const withX = makeIdNumber('513221', '19900101', 2);
    const fullWidth = [...id].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');
    expect(normalizeIdNumberCell(fullWidth, { today: TODAY })).toMatchObject({
      status: 'valid',
      idNumber: id,
    });
    expect(normalizeIdNumberCell(` ${id.slice(0, 6)} ${id.slice(6)} `, { today: TODAY })).toMatchObject({
      status: 'valid',
      idNumber: id,
    });
    expect(normalizeIdNumberCell(withX.toLowerCase(), { today: TODAY })).toMatchObject({
      status: 'valid',
      idNumber: withX,
    });
  });

  it('converts a 15-digit number, typed as text or as a number cell', () => {
    const id15 = '513221850302123';
    const expected = {
      status: 'valid',
      idNumber: makeIdNumber('513221', '19850302', 123),
      birthDate: '1985-03-02',
      gender: 'male',
      converted15: true,
    };
    expect(normalizeIdNumberCell(id15, { today: TODAY })).toMatchObject(expected);
    expect(normalizeIdNumberCell(513221850302123, { today: TODAY })).toMatchObject(expected);
  });

  it('refuses scientific notation and number cells longer than 15 digits as unrecoverable', () => {
    expect(normalizeIdNumberCell('5.10703E+17')).toEqual({
      status: 'invalid',
      problem: 'scientific_notation',
    });
    expect(normalizeIdNumberCell(5.10703e17)).toEqual({ status: 'invalid', problem: 'scientific_notation' });
    expect(normalizeIdNumberCell(510703198503021000)).toEqual({
      status: 'invalid',
      problem: 'scientific_notation',
    });
  });

  it('rejects a wrong check digit unless asked to hold it', () => {
    const wrong = id.slice(0, 17) + (id.endsWith('0') ? '1' : '0');
    expect(normalizeIdNumberCell(wrong, { today: TODAY })).toEqual({
      status: 'invalid',
      problem: 'check_digit',
    });
    expect(normalizeIdNumberCell(wrong.toLowerCase(), { holdInvalidIdNumbers: true, today: TODAY })).toEqual({
      status: 'held',
      idNumber: wrong,
    });
  });

  it('names the other faults', () => {
    expect(normalizeIdNumberCell('51322119850302')).toEqual({ status: 'invalid', problem: 'length' });
    expect(normalizeIdNumberCell('51322119850332123X')).toEqual({ status: 'invalid', problem: 'birth_date' });
    expect(normalizeIdNumberCell(null)).toEqual({ status: 'empty' });
  });
});

describe('normalizeDateCell', () => {
  it.each<[string | number | Date, string]>([
    [new Date(Date.UTC(1985, 2, 2)), '1985-03-02'],
    [31108, '1985-03-02'],
    ['1985.03.02', '1985-03-02'],
    ['1985/3/2', '1985-03-02'],
    ['1985-3-2', '1985-03-02'],
    ['19850302', '1985-03-02'],
    [19850302, '1985-03-02'],
    ['1985年3月2日', '1985-03-02'],
    ['１９８５年３月２日', '1985-03-02'],
    ['1985-3-2 12:30', '1985-03-02'],
    [1985.0302, '1985-03-02'],
  ])('reads %s', (value, date) => {
    expect(normalizeDateCell(value)).toEqual({ status: 'valid', date });
  });

  it('keeps the 1900 leap-year bug of Excel serials', () => {
    expect(excelSerialToDate(1)).toBe('1900-01-01');
    expect(excelSerialToDate(59)).toBe('1900-02-28');
    expect(excelSerialToDate(60)).toBeUndefined();
    expect(excelSerialToDate(61)).toBe('1900-03-01');
    expect(excelSerialToDate(45658)).toBe('2025-01-01');
  });

  it('says when only a year or a year and month is given', () => {
    expect(normalizeDateCell('1985.3')).toEqual({ status: 'partial', year: 1985, month: 3 });
    expect(normalizeDateCell(1985.1)).toEqual({ status: 'partial', year: 1985, month: 10 });
    expect(normalizeDateCell('1985年')).toEqual({ status: 'partial', year: 1985 });
  });

  it('refuses days that do not exist and text that is no date', () => {
    expect(normalizeDateCell('1985-02-29')).toEqual({ status: 'invalid' });
    expect(normalizeDateCell('85.3.2')).toEqual({ status: 'invalid' });
    expect(normalizeDateCell('不详')).toEqual({ status: 'invalid' });
    expect(normalizeDateCell('')).toEqual({ status: 'empty' });
  });
});

describe('normalizePhoneCell', () => {
  it('removes spaces, dashes and +86', () => {
    for (const text of [
      '138 1234 5678',
      '138-1234-5678',
      '+86 13812345678',
      '＋８６１３８１２３４５６７８',
    ]) {
      expect(normalizePhoneCell(text)).toEqual({ status: 'valid', phone: '13812345678', others: [] });
    }
    expect(normalizePhoneCell(13812345678)).toEqual({ status: 'valid', phone: '13812345678', others: [] });
    expect(normalizePhoneCell('0837-6221234')).toMatchObject({ phone: '08376221234' });
  });

  it('takes the first of several numbers and keeps the others apart', () => {
    expect(normalizePhoneCell('13812345678（本人）/ 0837-6221234')).toEqual({
      status: 'valid',
      phone: '13812345678',
      others: ['08376221234'],
    });
  });

  it('refuses what is no phone number', () => {
    expect(normalizePhoneCell('12345')).toEqual({ status: 'invalid', text: '12345' });
  });
});

describe('parseGridName', () => {
  it.each<[string | number, number]>([
    ['3网格', 3],
    ['第3网格', 3],
    ['三网格', 3],
    ['第三网格', 3],
    ['第十二网格', 12],
    ['甲社区第二十一网格', 21],
    ['网格3', 3],
    ['3号网格', 3],
    [3, 3],
  ])('finds the number of %s', (value, number) => {
    expect(parseGridName(value)).toEqual({ number, name: String(value) });
  });

  it('keeps a name without a number', () => {
    expect(parseGridName('羌兴网格')).toEqual({ name: '羌兴网格' });
    expect(parseGridName('')).toBeUndefined();
  });

  it('reads Chinese numbers', () => {
    expect(parseChineseNumber('十')).toBe(10);
    expect(parseChineseNumber('二十三')).toBe(23);
    expect(parseChineseNumber('一百零五')).toBe(105);
    expect(parseChineseNumber('一〇一')).toBe(101);
    expect(parseChineseNumber('两')).toBe(2);
  });
});

describe('parseGender, parseYesNo and the closed sets', () => {
  it('reads genders', () => {
    expect(parseGender('男')).toBe('male');
    expect(parseGender('女性')).toBe('female');
    expect(parseGender(' 男性 ')).toBe('male');
    expect(parseGender('未知')).toBeUndefined();
  });

  it('reads yes and no', () => {
    for (const yes of ['是', '√', 'Y', true, 1]) expect(parseYesNo(yes)).toBe(true);
    for (const no of ['否', '无', '×', 'N', false, 0]) expect(parseYesNo(no)).toBe(false);
    expect(parseYesNo('也许')).toBeUndefined();
  });

  it('reads residence types, relations, reasons and dwelling states', () => {
    expect(parseResidenceType('户籍人口')).toBe('registered');
    expect(parseResidenceType('流动人口')).toBe('floating');
    expect(parseResidenceType('常住')).toBe('permanent');
    expect(parseRelationToHead('长子')).toBe('child');
    expect(parseRelationToHead('妻')).toBe('spouse');
    expect(parseRelationToHead('儿媳')).toBe('child_in_law');
    expect(parseFloatingReason('务工')).toBe('work');
    expect(parseFloatingReason('经商')).toBe('trade');
    expect(parseDwellingStatus('空置')).toBe('vacant');
    expect(parseDwellingStatus('已出租')).toBe('rented');
    expect(parseStayMonths('半年')).toBe(6);
    expect(parseStayMonths('2年')).toBe(24);
    expect(parseStayMonths('18个月')).toBe(18);
  });

  it('reads a combined flags cell and names what it cannot read', () => {
    expect(parseFlagList('低保户、残疾；党员 志愿者')).toEqual({
      flags: ['minimumLivingAllowance', 'disabled', 'partyMember', 'volunteer'],
      unknown: [],
    });
    expect(parseFlagList('空巢老人，无，退役军人')).toEqual({
      flags: ['elderlyAlone'],
      unknown: ['退役军人'],
    });
  });
});

describe('splitAddress', () => {
  it.each([
    ['羌兴苑一期1栋2单元301', { estate: '羌兴苑一期', building: '1', entrance: '2', room: '301' }],
    ['和顺苑3幢1单元502室', { estate: '和顺苑', building: '3', entrance: '1', room: '502' }],
    ['云溪苑12-2-301', { estate: '云溪苑', building: '12', entrance: '2', room: '301' }],
    ['5号楼3单元201', { building: '5', entrance: '3', room: '201' }],
    ['和顺苑一栋二单元101', { estate: '和顺苑', building: '1', entrance: '2', room: '101' }],
    ['和平小区5栋2-301', { estate: '和平小区', building: '5', entrance: '2', room: '301' }],
    [
      '四川省阿坝州汶川县威州镇羌兴苑二期3栋1单元201室',
      { estate: '羌兴苑二期', building: '3', entrance: '1', room: '201' },
    ],
    ['和顺苑', { estate: '和顺苑' }],
  ])('splits %s', (text, parts) => {
    expect(splitAddress(text)).toEqual(parts);
  });

  it('normalises parts given in their own columns', () => {
    expect(normalizePlacePart('building', '一栋')).toBe('1');
    expect(normalizePlacePart('building', 3)).toBe('3');
    expect(normalizePlacePart('entrance', '2单元')).toBe('2');
    expect(normalizePlacePart('room', '301室')).toBe('301');
    expect(normalizePlacePart('estate', ' 羌兴苑 ')).toBe('羌兴苑');
  });
});

describe('parseRegionCell', () => {
  it.each([
    ['四川省阿坝藏族羌族自治州汶川县', '513221'],
    ['四川省阿坝州汶川县', '513221'],
    ['四川汶川', '513221'],
    ['汶川县威州镇某村', '513221'],
    ['北京市朝阳区', '110105'],
    ['新疆维吾尔自治区喀什地区', '653100'],
    ['宁夏', '640000'],
    ['513221', '513221'],
  ])('reads %s as %s', (text, code) => {
    expect(parseRegionCell(text)).toBe(code);
  });

  it('refuses a county name shared by two provinces without its province', () => {
    expect(parseRegionCell('朝阳区')).toBeUndefined();
    expect(parseRegionCell('火星')).toBeUndefined();
  });

  it('only takes names written with their unit when asked', () => {
    expect(matchRegionPrefix('和平小区', true)).toBeUndefined();
    expect(matchRegionPrefix('汶川县和平小区', true)).toEqual({ code: '513221', consumed: 3 });
  });
});
