import { describe, expect, it } from 'vitest';
import {
  applyTemplate,
  columnLetter,
  detectLayout,
  detectRegisterKind,
  matchHeader,
  normalizeHeader,
  toTemplate,
  type SheetLayout,
} from './layout.ts';
import type { RawCell, RawRow } from './sheet-reader.ts';

/** Rows of a sheet from arrays, numbered from `first` (a null row is a blank one, left out as a reader would). */
function sheetRows(sheet: string, rows: (RawCell[] | null)[], first = 1): RawRow[] {
  return rows.flatMap((cells, index) => (cells ? [{ sheet, row: first + index, cells }] : []));
}

function fieldsOf(layout: SheetLayout | null): Record<string, string | null> {
  return Object.fromEntries((layout?.columns ?? []).map((column) => [column.header, column.field]));
}

describe('matchHeader', () => {
  it.each([
    ['姓名', 'name'],
    ['姓 名', 'name'],
    ['*姓名', 'name'],
    ['姓名（必填）', 'name'],
    ['居民姓名', 'name'],
    ['少数民族人员姓名', 'name'],
    ['公民身份号码', 'idNumber'],
    ['身份证号（18位）', 'idNumber'],
    ['证件号码', 'idNumber'],
    ['民族成份', 'ethnicity'],
    ['族别', 'ethnicity'],
    ['出生年月', 'birthDate'],
    ['联系方式', 'phone'],
    ['手机号码', 'phone'],
    ['家庭住址', 'address'],
    ['院落', 'estate'],
    ['幢', 'building'],
    ['门牌号', 'room'],
    ['所属网格', 'grid'],
    ['户主姓名', 'householdHead'],
    ['与户主关系', 'relationToHead'],
    ['人员类别', 'residenceType'],
    ['籍贯', 'originRegion'],
    ['特殊人群', 'flags'],
    ['是否低保', 'flag.minimumLivingAllowance'],
    ['政治面貌', 'flag.partyMember'],
    ['流入时间', 'arrivalDate'],
    ['流入原因', 'floatingReason'],
    ['来源地', 'floatingOrigin'],
    ['房东电话', 'landlordPhone'],
    ['房屋状态', 'dwellingStatus'],
    ['是否出租', 'rented'],
    ['序号', 'ignored'],
  ])('maps %s to %s', (header, field) => {
    expect(matchHeader(header).field).toBe(field);
  });

  it('does not take a header about someone else for the person’s own field', () => {
    expect(matchHeader('紧急联系人电话').field).toBeNull();
    expect(matchHeader('监护人姓名').field).toBeNull();
    expect(matchHeader('宗教信仰').field).toBeNull();
  });

  it('normalises headers and numbers columns as Excel does', () => {
    expect(normalizeHeader(' 身份证号码\n（必填）： ')).toBe('身份证号码');
    expect([0, 25, 26, 51, 99].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'CV']);
  });
});

describe('detectLayout', () => {
  it('skips title rows and finds a one-row header with columns in any order', () => {
    const rows = sheetRows('Sheet1', [
      ['××社区少数民族人员台账'],
      ['填报单位：××社区', null, null, '填报日期：2025年3月'],
      null,
      ['身份证号码', '民族', '序号', '姓名', '宗教信仰', '联系电话'],
      ['513221198503021236', '羌族', 1, '张三', '无', '13812345678'],
    ]);
    const layout = detectLayout(rows);
    expect(layout).toMatchObject({
      sheet: 'Sheet1',
      register: 'minority',
      headerRows: [4],
      titles: ['××社区少数民族人员台账', '填报单位：××社区 填报日期：2025年3月'],
    });
    expect(fieldsOf(layout)).toEqual({
      身份证号码: 'idNumber',
      民族: 'ethnicity',
      序号: 'ignored',
      姓名: 'name',
      宗教信仰: null,
      联系电话: 'phone',
    });
    expect(layout!.columns.find((column) => column.header === '宗教信仰')).toMatchObject({
      letter: 'E',
      matchedBy: 'none',
    });
  });

  it('combines a group row with its detail row (户籍地 over 省/市/县, 现住址 over 小区/楼栋/单元/室)', () => {
    const rows = sheetRows('居民', [
      ['××社区居民花名册'],
      ['序号', '姓名', '户籍地', null, null, '现住址', null, null, null, '房东', null, '备注'],
      [null, null, '省', '市', '县', '小区', '楼栋', '单元', '室', '姓名', '电话', null],
      [1, '张三', '四川省', '阿坝州', '汶川县', '羌兴苑', 1, 2, 301, '李四', '13812345678', null],
    ]);
    const layout = detectLayout(rows);
    expect(layout?.headerRows).toEqual([2, 3]);
    expect(fieldsOf(layout)).toEqual({
      序号: 'ignored',
      姓名: 'name',
      '户籍地/省': 'originRegion',
      '户籍地/市': 'originRegion',
      '户籍地/县': 'originRegion',
      '现住址/小区': 'estate',
      '现住址/楼栋': 'building',
      '现住址/单元': 'entrance',
      '现住址/室': 'room',
      '房东/姓名': 'landlordName',
      '房东/电话': 'landlordPhone',
      备注: 'note',
    });
  });

  it('combines a lone group with details that carry the other headers', () => {
    const rows = sheetRows('居民', [
      ['××社区居民住址登记表'],
      [null, null, '户籍地'],
      ['姓名', '民族', '省', '市', '县'],
      ['张三', '羌族', '四川省', '阿坝州', '汶川县'],
    ]);
    const layout = detectLayout(rows);
    expect(layout?.headerRows).toEqual([2, 3]);
    expect(fieldsOf(layout)).toEqual({
      姓名: 'name',
      民族: 'ethnicity',
      '户籍地/省': 'originRegion',
      '户籍地/市': 'originRegion',
      '户籍地/县': 'originRegion',
    });
  });

  it('does not take a title row for a group row', () => {
    const rows = sheetRows('居民', [
      ['××社区居民住址登记表'],
      ['姓名', '民族', '现住址', '宗教信仰'],
      ['张三', '羌族', '羌兴苑1栋2单元301', '无'],
    ]);
    const layout = detectLayout(rows);
    expect(layout?.headerRows).toEqual([2]);
    expect(layout?.titles).toEqual(['××社区居民住址登记表']);
  });

  it('does not take the first data row for a second header row', () => {
    const rows = sheetRows('居民', [
      ['姓名', '与户主关系', '人员标识', '备注'],
      ['张三', '户主', '党员', '低保'],
      ['李四', '妻', null, null],
    ]);
    expect(detectLayout(rows)?.headerRows).toEqual([1]);
  });

  it('finds nothing in a sheet without a header', () => {
    expect(detectLayout(sheetRows('说明', [['填表说明'], ['1. 身份证号码请设为文本格式']]))).toBeNull();
    expect(detectLayout([])).toBeNull();
  });

  it('only looks at the first rows', () => {
    const rows = sheetRows('居民', [...Array.from({ length: 30 }, () => ['说明']), ['姓名', '民族']]);
    expect(detectLayout(rows)).toBeNull();
    expect(detectLayout(rows, { maxHeaderSearchRows: 31 })?.headerRows).toEqual([31]);
  });
});

describe('register kinds', () => {
  it('reads the kind from titles, sheet name and headers, in that order', () => {
    const none = new Set<null>();
    expect(detectRegisterKind('Sheet1', ['××社区流动人口登记台账'], none)).toBe('floating');
    expect(detectRegisterKind('Sheet1', ['流动少数民族人员台账'], none)).toBe('floating');
    expect(detectRegisterKind('Sheet1', ['出租房屋台账'], none)).toBe('dwellings');
    expect(detectRegisterKind('空置房', [], none)).toBe('dwellings');
    expect(detectRegisterKind('少数民族', [], none)).toBe('minority');
    expect(detectRegisterKind('Sheet1', [], new Set(['name', 'arrivalDate'] as const))).toBe('floating');
    expect(detectRegisterKind('Sheet1', [], new Set(['estate', 'room', 'dwellingStatus'] as const))).toBe(
      'dwellings',
    );
    expect(detectRegisterKind('Sheet1', [], new Set(['name', 'ethnicity'] as const))).toBe('residents');
  });
});

describe('templates', () => {
  const rows = sheetRows('居民', [
    ['姓名', '民族', '宗教信仰', '身份证'],
    ['张三', '羌族', '无', '513221198503021236'],
  ]);

  it('keeps a corrected mapping and applies it to the next file', () => {
    const detected = detectLayout(rows)!;
    const corrected: SheetLayout = {
      ...detected,
      register: 'minority',
      columns: detected.columns.map((column) =>
        column.header === '身份证' ? { ...column, field: null } : column,
      ),
    };
    const template = toTemplate(corrected);
    expect(template).toEqual({
      register: 'minority',
      columns: { 姓名: 'name', 民族: 'ethnicity', 宗教信仰: null, 身份证: null },
    });
    const again = applyTemplate(detectLayout(rows)!, template);
    expect(again.register).toBe('minority');
    expect(fieldsOf(again)).toEqual({ 姓名: 'name', 民族: 'ethnicity', 宗教信仰: null, 身份证: null });
  });

  it('lets a template name headers no synonym knows, which also helps find the header row', () => {
    const custom = sheetRows('居民', [
      ['人员名称', '族属'],
      ['张三', '羌族'],
    ]);
    expect(detectLayout(custom)).toBeNull();
    const layout = detectLayout(custom, { template: { columns: { 人员名称: 'name', 族属: 'ethnicity' } } });
    expect(fieldsOf(layout)).toEqual({ 人员名称: 'name', 族属: 'ethnicity' });
    expect(layout?.columns[0]?.matchedBy).toBe('template');
  });
});
