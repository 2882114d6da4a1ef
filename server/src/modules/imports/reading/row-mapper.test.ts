import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type ExcelJS from 'exceljs';
import { detectLayout } from './layout.ts';
import { mapRows, type MappedRow, type MapRowsOptions } from './row-mapper.ts';
import { openRegisterFile, previewRegisterFile } from './register-file.ts';
import type { RawCell, RawRow } from './sheet-reader.ts';
import { makeIdNumber, writeWorkbook } from './test-files.ts';

const TODAY = new Date('2026-01-15T12:00:00+08:00');

const ID_ZHANG = makeIdNumber('513221', '19850302', 123);
const ID_LI = makeIdNumber('513221', '19900101', 2);
const ID_15 = '513221850302133'; // a man born 1985-03-02, first-generation number
const ID_WRONG_CHECK = ID_ZHANG.slice(0, 17) + (ID_ZHANG.endsWith('0') ? '1' : '0');
const FULL_WIDTH_LI = [...ID_LI].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');

/**
 * A minority register as communities keep it: a merged title, a 填报单位 line, a two-row header with merged
 * groups and shuffled columns, a column nobody asked for, formula, rich-text and date cells, an ID number
 * typed as a number, a 15-digit one, full-width digits, a blank row, a duplicate, a section row, a footer.
 * Then a floating register, and a sheet of instructions without a header.
 */
function buildMessyWorkbook(book: ExcelJS.Workbook): void {
  const sheet = book.addWorksheet('少数民族台账');
  sheet.mergeCells('A1:R1');
  sheet.getCell('A1').value = '××社区少数民族人员台账（2025年）';
  sheet.getCell('A2').value = '填报单位：××社区居委会';
  sheet.getCell('N2').value = '填报日期：2025年3月1日';
  const groups = ['序号', '身份证号码', '姓名', '性别', '民族', '出生日期', '户籍地', null, null, '现住址'];
  const singles = ['联系电话', '所属网格', '人员标识', '宗教信仰', '备注'];
  sheet.getRow(3).values = [...groups, null, null, null, ...singles];
  sheet.getRow(4).values = [
    null,
    null,
    null,
    null,
    null,
    null,
    '省',
    '市',
    '县',
    '小区',
    '楼栋',
    '单元',
    '室',
  ];
  for (const column of ['A', 'B', 'C', 'D', 'E', 'F', 'N', 'O', 'P', 'Q', 'R']) {
    sheet.mergeCells(`${column}3:${column}4`);
  }
  sheet.mergeCells('G3:I3');
  sheet.mergeCells('J3:M3');

  const zhang = [ID_ZHANG, '张三', '男', '羌', new Date(Date.UTC(1985, 2, 2)), '四川省', '阿坝州', '汶川县'];
  const zhangRest = ['羌兴苑', 1, 2, 301, '138 1234 5678', '3网格', '低保、党员', '无', null];
  const rows: Record<number, RawCell[] | ExcelJS.CellValue[]> = {
    5: [1, ...zhang, ...zhangRest],
    6: [
      2,
      FULL_WIDTH_LI,
      { richText: [{ text: '李', font: { bold: true } }, { text: '四' }] },
      '女',
      { formula: '"回"&"族"', result: '回族' },
      '1990.01.01',
      '四川',
      null,
      '茂县',
      '和顺苑',
      '3幢',
      '1单元',
      '502室',
      '+86 139-0000-1111',
      '第3网格',
      null,
      null,
      null,
    ],
    7: [
      3,
      510703198503021000,
      '王五',
      '男',
      '藏族',
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      '三网格',
    ],
    8: [4, ID_15, '赵六', '女', '土家', '1985-3-2', null, null, null, '云溪苑', 12, 2, 301],
    10: [
      5,
      null,
      '𠀀明😀',
      '男',
      '维族',
      19900101,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      '第三网格',
      '残疾 退役军人',
    ],
    11: [6, ...zhang, ...zhangRest],
    12: [7, null, null, '女', '藏族'],
    13: [8, ID_WRONG_CHECK, '钱七', '男', '回族'],
    14: [9, null, '孙八', '女', '火星族'],
    15: [10, null, '周九', '男', '汉族'],
    16: ['第四网格'],
    17: [11, null, '吴十', '女', '彝族'],
    18: ['填表人：郑一', null, null, null, null, '审核人：冯二'],
  };
  for (const [row, values] of Object.entries(rows)) {
    sheet.getRow(Number(row)).values = values as ExcelJS.CellValue[];
  }

  const floating = book.addWorksheet('流动人口');
  floating.addRow([
    '姓名',
    '民族',
    '身份证号',
    '来本地日期',
    '流入原因',
    '来源地',
    '房东姓名',
    '房东电话',
    '经营摊位',
  ]);
  floating.addRow([
    '阿依古丽',
    '维吾尔族',
    makeIdNumber('653101', '19920315', 24),
    new Date(Date.UTC(2024, 4, 1)),
    '经商',
    '新疆喀什',
    '陈房东',
    '13988887777',
    '农贸市场12号摊位',
  ]);

  const notes = book.addWorksheet('填表说明');
  notes.addRow(['1. 身份证号码一列请设为文本格式']);
  notes.addRow(['2. 民族请填写全称']);
}

let directory: string;
let messyPath: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'shiliuzi-row-mapper-'));
  messyPath = join(directory, '台账.xlsx');
  await writeWorkbook(messyPath, buildMessyWorkbook);
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function mapFile(options: Parameters<typeof openRegisterFile>[1] = {}) {
  const file = await openRegisterFile(messyPath, { today: TODAY, ...options });
  const rows: MappedRow[] = [];
  for await (const row of file.rows) rows.push(row);
  return { rows, file };
}

/** Problems as 'severity code letter', the way a reviewer reads them. */
function problemsOf(row: MappedRow | undefined): string[] {
  return (row?.problems ?? []).map(
    (problem) => `${problem.severity} ${problem.code} ${problem.columnLetter}`,
  );
}

describe('a messy minority register, row by row', () => {
  it('yields one row per non-blank row after the header and counts the rest', async () => {
    const { rows, file } = await mapFile();
    const minority = rows.filter((row) => row.sheet === '少数民族台账');
    expect(minority.map((row) => row.row)).toEqual([5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18]);
    expect(file.format).toBe('xlsx');
    expect(file.blankRows()).toBe(1);
    const [first, second, third] = file.summary.sheets;
    expect(first).toMatchObject({
      sheet: '少数民族台账',
      titleRows: 2,
      dataRows: 13,
      blankRows: 1,
      rejectedRows: 6,
      flaggedRows: 4,
      unreadRows: 0,
    });
    expect(first!.layout).toMatchObject({ register: 'minority', headerRows: [3, 4] });
    expect(first!.unmappedColumns.map((column) => `${column.letter} ${column.header}`)).toEqual([
      'Q 宗教信仰',
    ]);
    expect(first!.messages).toEqual(['以下列未对应到任何项目，未导入：宗教信仰。']);
    expect(second).toMatchObject({ sheet: '流动人口', dataRows: 1, rejectedRows: 0, flaggedRows: 0 });
    expect(third).toMatchObject({ sheet: '填表说明', layout: null, skipped: 'no_header', unreadRows: 2 });
    expect(file.summary).toMatchObject({
      dataRows: 14,
      blankRows: 1,
      rejectedRows: 6,
      flaggedRows: 4,
      unreadRows: 2,
    });
  });

  it('maps and normalises every value of a clean row', async () => {
    const { rows } = await mapFile();
    expect(rows[0]).toEqual({
      sheet: '少数民族台账',
      row: 5,
      register: 'minority',
      values: {
        name: '张三',
        idNumber: ID_ZHANG,
        gender: 'male',
        birthDate: '1985-03-02',
        ethnicityCode: '33',
        phone: '13812345678',
        originRegionCode: '513221',
        flags: { minimumLivingAllowance: true, partyMember: true },
        grid: { number: 3, name: '3网格' },
        address: { estate: '羌兴苑', building: '1', entrance: '2', room: '301' },
      },
      problems: [],
    });
  });

  it('reads rich text, formula results, full-width digits, short names and address parts', async () => {
    const { rows } = await mapFile();
    const li = rows.find((row) => row.row === 6)!;
    expect(li.problems).toEqual([]);
    expect(li.values).toEqual({
      name: '李四',
      idNumber: ID_LI,
      gender: 'female',
      birthDate: '1990-01-01',
      ethnicityCode: '03',
      phone: '13900001111',
      originRegionCode: '513223',
      grid: { number: 3, name: '第3网格' },
      address: { estate: '和顺苑', building: '3', entrance: '1', room: '502' },
    });
  });

  it('gives each problem its severity, column, value and reason', async () => {
    const { rows } = await mapFile();
    const byRow = new Map(rows.map((row) => [row.row, row]));
    expect(problemsOf(byRow.get(7))).toEqual(['reject id_number_scientific_notation B']);
    expect(byRow.get(7)!.problems[0]).toMatchObject({
      column: '身份证号码',
      value: '510703198503021000',
      reason: expect.stringContaining('无法恢复'),
    });
    expect(problemsOf(byRow.get(8))).toEqual(['flag gender_mismatch D']);
    expect(byRow.get(8)!.values).toMatchObject({
      idNumber: makeIdNumber('513221', '19850302', 133),
      gender: 'male',
      birthDate: '1985-03-02',
      ethnicityCode: '15',
      address: { estate: '云溪苑', building: '12', entrance: '2', room: '301' },
    });
    expect(byRow.get(8)!.problems[0]!.reason).toBe('性别与身份证号码不符，已按身份证号码记为“男”，请核实。');
    expect(problemsOf(byRow.get(10))).toEqual(['flag flag_unknown P']);
    expect(byRow.get(10)!.values).toMatchObject({
      name: '𠀀明😀',
      ethnicityCode: '05',
      birthDate: '1990-01-01',
      gender: 'male',
      grid: { number: 3, name: '第三网格' },
      flags: { disabled: true },
    });
    expect(byRow.get(10)!.problems[0]!.reason).toContain('退役军人');
    expect(problemsOf(byRow.get(11))).toEqual(['flag duplicate_row ']);
    expect(byRow.get(11)!.problems[0]!.reason).toContain('第 5 行');
    expect(problemsOf(byRow.get(12))).toEqual(['reject name_missing C']);
    expect(byRow.get(12)!.problems[0]).toMatchObject({ column: '姓名', reason: '缺少姓名，本行未导入。' });
    expect(problemsOf(byRow.get(13))).toEqual(['reject id_check_digit B']);
    expect(problemsOf(byRow.get(14))).toEqual(['reject ethnicity_unknown E']);
    expect(problemsOf(byRow.get(15))).toEqual(['flag not_minority E']);
    expect(problemsOf(byRow.get(16))).toEqual(['reject not_a_record A']);
    expect(byRow.get(17)).toMatchObject({ problems: [], values: { grid: { number: 4, name: '第四网格' } } });
    expect(problemsOf(byRow.get(18))).toEqual(['reject not_a_record A']);
  });

  it('holds an ID number with a wrong check digit for checking when asked', async () => {
    const { rows } = await mapFile({ holdInvalidIdNumbers: true });
    const row = rows.find((candidate) => candidate.row === 13)!;
    expect(row.values.idNumber).toBe(ID_WRONG_CHECK);
    expect(row.problems).toEqual([
      {
        severity: 'flag',
        code: 'id_check_digit',
        column: '身份证号码',
        columnLetter: 'B',
        value: ID_WRONG_CHECK,
        reason: '身份证号码校验位错误，已按原样保留并标记为“待核实”，请尽快核对。',
      },
    ]);
  });

  it('maps a floating register’s details', async () => {
    const { rows } = await mapFile();
    expect(rows.find((row) => row.sheet === '流动人口')).toEqual({
      sheet: '流动人口',
      row: 2,
      register: 'floating',
      values: {
        name: '阿依古丽',
        idNumber: makeIdNumber('653101', '19920315', 24),
        gender: 'female',
        birthDate: '1992-03-15',
        ethnicityCode: '05',
        residenceType: 'floating',
        floating: {
          arrivalDate: '2024-05-01',
          reason: 'trade',
          originAddress: '新疆喀什',
          stall: '农贸市场12号摊位',
          landlordName: '陈房东',
          landlordPhone: '13988887777',
        },
      },
      problems: [],
    });
  });

  it('uses a layout the user corrected, and skips a sheet the user left out', async () => {
    const preview = await previewRegisterFile(messyPath);
    expect(
      preview.sheets.map((sheet) => [sheet.sheet, sheet.rowCount, sheet.layout?.register ?? null]),
    ).toEqual([
      ['少数民族台账', 17, 'minority'],
      ['流动人口', 2, 'floating'],
      ['填表说明', 2, null],
    ]);
    const minority = preview.sheets[0]!.layout!;
    const corrected = {
      ...minority,
      columns: minority.columns.map((column) =>
        column.header === '宗教信仰' ? { ...column, field: 'note' as const } : column,
      ),
    };
    const floating = { ...preview.sheets[1]!.layout!, ignored: true };
    const { rows, file } = await mapFile({ layouts: [corrected, floating] });
    expect(rows.find((row) => row.row === 5)?.values.note).toBe('无');
    expect(rows.some((row) => row.sheet === '流动人口')).toBe(false);
    expect(file.summary.sheets[1]).toMatchObject({ skipped: 'ignored', unreadRows: 2 });
  });
});

describe('mapRows on raw rows', () => {
  function rowsOf(
    sheet: string,
    header: RawCell[],
    data: Record<number, RawCell[]>,
    extra: Partial<RawRow>[] = [],
  ) {
    const rows: RawRow[] = [{ sheet, row: 1, cells: header }];
    for (const [row, cells] of Object.entries(data)) rows.push({ sheet, row: Number(row), cells });
    extra.forEach((patch, index) => Object.assign(rows[index + 1]!, patch));
    return rows;
  }

  async function mapAll(rows: RawRow[], options: MapRowsOptions = {}) {
    const stream = mapRows(rows, 'detect', { today: TODAY, ...options });
    const mapped: MappedRow[] = [];
    for await (const row of stream) mapped.push(row);
    return { mapped, summary: stream.summary };
  }

  it('rejects rows over the column and cell limits, naming the cell', async () => {
    const rows = rowsOf(
      '居民',
      ['姓名', '民族', '备注'],
      { 2: ['张三', '羌族', 'x'.repeat(2000)], 3: ['李四', '回族'] },
      [{ overlongCells: [2] }, { extraCells: 100 }],
    );
    const { mapped } = await mapAll(rows);
    expect(problemsOf(mapped[0])).toEqual(['reject cell_too_long C']);
    expect(mapped[0]!.problems[0]!.value).toHaveLength(201);
    expect(mapped[0]!.problems[0]!.reason).toBe('单元格内容超过 2000 个字符，本行未导入。');
    expect(problemsOf(mapped[1])).toEqual(['reject too_many_columns ']);
  });

  it('flags a second row with the same ID number and other content', async () => {
    const id = makeIdNumber('513221', '19850302', 123);
    const rows = rowsOf('居民', ['姓名', '民族', '身份证号码'], {
      2: ['张三', '羌族', id],
      3: ['张叁', '羌族', id],
    });
    const { mapped } = await mapAll(rows);
    expect(problemsOf(mapped[1])).toEqual(['flag duplicate_id_number C']);
  });

  it('flags values it cannot read and keeps the row', async () => {
    const rows = rowsOf(
      '居民',
      [
        '姓名',
        '民族',
        '性别',
        '出生年月',
        '联系电话',
        '户籍地',
        '人员类别',
        '与户主关系',
        '是否党员',
        '迁入日期',
      ],
      { 2: ['张三', '羌族', '未知', '1985.3', '12345', '火星', '外籍', '邻居', '群众', '2099-01-01'] },
    );
    const { mapped } = await mapAll(rows);
    expect(problemsOf(mapped[0])).toEqual([
      'flag gender_unknown C',
      'flag date_incomplete D',
      'flag phone_invalid E',
      'flag origin_unknown F',
      'flag residence_type_unknown G',
      'flag relation_unknown H',
      'flag date_invalid J',
    ]);
    expect(mapped[0]!.values).toEqual({ name: '张三', ethnicityCode: '33', flags: { partyMember: false } });
  });

  it('treats formula errors as blank and says so', async () => {
    const rows = rowsOf('居民', ['姓名', '民族'], { 2: ['#N/A', '羌族'] });
    const { mapped } = await mapAll(rows);
    expect(problemsOf(mapped[0])).toEqual(['flag cell_error A', 'reject name_missing A']);
  });

  it('rejects a repeated header row and requires an address in a dwelling register', async () => {
    const rows = rowsOf('出租房屋', ['小区', '楼栋', '房号', '房屋状态', '房东', '房东电话'], {
      2: ['羌兴苑', '1栋', '301室', '出租', '陈房东', '13988887777'],
      3: ['小区', '楼栋', '房号', '房屋状态', '房东', '房东电话'],
      4: [null, null, null, '空置', '李房东'],
    });
    const { mapped } = await mapAll(rows);
    expect(mapped[0]).toMatchObject({
      register: 'dwellings',
      problems: [],
      values: {
        address: { estate: '羌兴苑', building: '1', room: '301' },
        dwelling: { status: 'rented', landlordName: '陈房东', landlordPhone: '13988887777' },
      },
    });
    expect(problemsOf(mapped[1])).toEqual(['reject header_repeated ']);
    expect(problemsOf(mapped[2])).toEqual(['reject address_missing A']);
  });

  it('counts blank rows between data rows, not after the last', async () => {
    const rows = rowsOf('居民', ['姓名', '民族'], { 4: ['张三', '羌族'], 7: ['李四', '回族'] });
    rows.push({ sheet: '居民', row: 8, cells: [null, '  '] });
    const { mapped, summary } = await mapAll(rows);
    expect(mapped.map((row) => row.row)).toEqual([4, 7]);
    expect(summary.blankRows).toBe(4);
  });

  it('detects the layout of a sheet shorter than the search window', async () => {
    const rows = rowsOf('居民', ['姓名', '民族'], { 2: ['张三', '羌族'] });
    expect(detectLayout(rows)?.headerRows).toEqual([1]);
    const { mapped } = await mapAll(rows);
    expect(mapped).toHaveLength(1);
  });
});
