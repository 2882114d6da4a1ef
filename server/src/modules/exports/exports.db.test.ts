import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDateText } from '@shiliuzi/shared/dates';
import { maskIdNumber, maskPhone } from '@shiliuzi/shared/masking';
import type { OrgUnit } from '@shiliuzi/shared/org-units';
import type { ResidentInput } from '@shiliuzi/shared/residents';
import { buildTestApp, loginAs, makeIdNumber, type TestApp } from '../../../test/fixtures.ts';
import { cliEnv, cliRunner } from '../../../test/cli.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { readZipEntries } from '../../../test/zip-entries.ts';
import { cliActor } from '../../lib/actor.ts';
import { chineseDate, exportText, registerNames } from '../../locales/export.zh-CN.ts';
import { householdService } from '../households/household.service.ts';
import { orgUnitService } from '../org-units/org-unit.service.ts';
import { placeService } from '../places/place.service.ts';
import { residentService } from '../residents/resident.service.ts';
import { statisticsService } from '../statistics/statistics.service.ts';
import { exportService, registerKinds, type RegisterKind } from './exports.service.ts';
import { registerColumns } from './register-layouts.ts';
import { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE } from './register-writers.ts';

const run = promisify(execFile);
const today = localDateText();

let t: TestDatabase;
let app: TestApp;
let workDir: string;
/** The CLI's environment: the same database the test opened. */
let env: NodeJS.ProcessEnv;
const units = new Map<string, OrgUnit>();
const cookies = new Map<string, string>();

/** The people of the data set whose numbers the tests look for. */
const yang = { name: '杨山', idNumber: makeIdNumber('513221', '19800101', 11), phone: '13812345678' };
const ali = { name: '艾力·买买提', idNumber: makeIdNumber('653101', '19900909', 15), phone: '13600001111' };
const landlordPhone = '13900001111';
const formulaNames = ['=HYPERLINK("http://x","y")', '+1', '-2', '@SUM(A1)'];
const quotedNote = '他说:"你好,世界"\n第二行';

/**
 * 云朵社区 (YD) with two grids: YD-1 holds an estate's building with four dwellings (a family of
 * three, a rented room of a floating vendor, a vacant rental and a vacant flat), residents whose
 * names are formulas, three of the same name, one held for review, one moved out and one deleted;
 * YD-2 a Hui couple in a dwelling of their own. 同心社区 (TX) next door is never in YD's registers.
 */
async function seedCommunity() {
  const db = t.database.db;
  const addUnit = async (code: string, name: string, type: OrgUnit['type'], parent: string | null) => {
    const unit = await orgUnitService.createOrgUnit(db, cliActor, {
      code,
      name,
      type,
      parentId: parent === null ? null : units.get(parent)!.id,
    });
    units.set(code, unit);
  };
  await addUnit('QX', '青溪区', 'district', null);
  await addUnit('HM', '和鸣街道', 'street', 'QX');
  await addUnit('YD', '云朵社区', 'community', 'HM');
  await addUnit('YD-1', '云朵一网格', 'grid', 'YD');
  await addUnit('YD-2', '云朵二网格', 'grid', 'YD');
  await addUnit('TX', '同心社区', 'community', 'HM');
  const id = (code: string) => units.get(code)!.id;

  const place = async (
    org: string,
    kind: 'estate' | 'building' | 'entrance' | 'dwelling',
    name: string,
    parentId: string | null,
    rental?: { landlordName: string; landlordPhone: string },
  ) =>
    (
      await placeService.createPlace(db, cliActor, {
        orgUnitId: id(org),
        kind,
        name,
        parentId,
        isRental: rental !== undefined,
        ...rental,
      })
    ).id;
  const estate = await place('YD', 'estate', '羌寨小区', null);
  const building1 = await place('YD-1', 'building', '1栋', estate);
  const entrance1 = await place('YD-1', 'entrance', '1单元', building1);
  const d101 = await place('YD-1', 'dwelling', '101', entrance1);
  const d102 = await place('YD-1', 'dwelling', '102', entrance1, {
    landlordName: '王房东',
    landlordPhone,
  });
  await place('YD-1', 'dwelling', '201', entrance1, { landlordName: '=cmd|calc', landlordPhone });
  await place('YD-1', 'dwelling', '202', entrance1);
  const building2 = await place('YD-2', 'building', '2栋', estate);
  const entrance2 = await place('YD-2', 'entrance', '1单元', building2);
  const d2101 = await place('YD-2', 'dwelling', '101', entrance2);
  await place('TX', 'dwelling', '同心苑1号', null);

  const h1 = (
    await householdService.createHousehold(db, cliActor, { orgUnitId: id('YD-1'), dwellingId: d101 })
  ).id;
  const h2 = (
    await householdService.createHousehold(db, cliActor, { orgUnitId: id('YD-2'), dwellingId: d2101 })
  ).id;

  const person = (
    org: string,
    input: Partial<ResidentInput> & Pick<ResidentInput, 'name' | 'ethnicityCode'>,
  ) =>
    residentService.registerResident(db, cliActor, {
      orgUnitId: id(org),
      residenceType: 'permanent',
      ...(input.idNumber ? {} : { gender: 'female' as const }),
      ...input,
    });
  await person('YD-1', {
    ...yang,
    ethnicityCode: '33',
    householdId: h1,
    relationToHead: 'head',
    flags: { partyMember: true, volunteer: true },
  });
  await person('YD-1', {
    name: '李梅',
    ethnicityCode: '01',
    idNumber: makeIdNumber('510704', '19820303', 22),
    householdId: h1,
    relationToHead: 'spouse',
  });
  await person('YD-1', {
    name: '杨小禾',
    ethnicityCode: '33',
    idNumber: makeIdNumber('510704', '20100505', 31),
    householdId: h1,
    relationToHead: 'child',
    languages: ['汉语', '羌语'],
  });
  await person('YD-1', {
    ...ali,
    ethnicityCode: '05',
    residenceType: 'floating',
    dwellingId: d102,
    movedInOn: '2026-03-01',
    floating: {
      arrivalDate: '2026-03-01',
      originAddress: '新疆维吾尔自治区喀什市',
      reason: 'trade',
      expectedStayMonths: 12,
      stall: '东门摊位',
      landlordName: '王房东',
      landlordPhone,
    },
  });
  for (const name of formulaNames) {
    await person('YD-1', { name, ethnicityCode: '01', note: name === '@SUM(A1)' ? quotedNote : '=1+1' });
  }
  for (let i = 0; i < 3; i++) await person('YD-1', { name: '王同名', ethnicityCode: '01' });
  const held = await person('YD-1', { name: '何待核', ethnicityCode: '01' });
  await db.updateTable('resident').set({ reviewFlag: 'id_check_digit' }).where('id', '=', held.id).execute();
  await person('YD-1', {
    name: '张迁',
    ethnicityCode: '04',
    movedInOn: '2010-01-01',
    movedOutOn: '2020-06-30',
  });
  const leaving = await person('YD-1', { name: '删除者', ethnicityCode: '04' });
  await residentService.deleteResident(db, cliActor, leaving.id, leaving.version);
  await person('YD-2', {
    name: '马福',
    ethnicityCode: '03',
    idNumber: makeIdNumber('622901', '19700707', 13),
    householdId: h2,
    relationToHead: 'head',
  });
  await person('YD-2', {
    name: '马兰',
    ethnicityCode: '03',
    idNumber: makeIdNumber('622901', '19720808', 24),
    householdId: h2,
    relationToHead: 'spouse',
  });
  await person('TX', { name: '向芳', ethnicityCode: '15' });
  // A household of YD-2 whose head now belongs to TX: the API refuses such a move, but older or
  // bulk-loaded data may hold one, and YD's workers must still not see the head.
  const split = (await householdService.createHousehold(db, cliActor, { orgUnitId: id('YD-2') })).id;
  const mover = await person('YD-2', {
    name: '乙迁入者',
    ethnicityCode: '01',
    householdId: split,
    relationToHead: 'head',
  });
  await person('YD-2', {
    name: '甲留守者',
    ethnicityCode: '01',
    householdId: split,
    relationToHead: 'spouse',
  });
  await db
    .updateTable('resident')
    .set({ orgUnitId: id('TX') })
    .where('id', '=', mover.id)
    .execute();
}

beforeAll(async () => {
  t = await createTestDatabase();
  app = await buildTestApp(t.database);
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiliuzi-export-'));
  env = cliEnv(t);
  await seedCommunity();
  const users: [string, 'community_worker' | 'grid_worker' | 'viewer', string][] = [
    ['yd-worker', 'community_worker', 'YD'],
    ['yd1-grid', 'grid_worker', 'YD-1'],
    ['yd-viewer', 'viewer', 'YD'],
  ];
  for (const [username, role, unit] of users) {
    cookies.set(username, (await loginAs(app, t.database, username, role, units.get(unit)!.id)).cookie);
  }
}, 60_000);

afterAll(async () => {
  await app?.close();
  await t?.cleanup();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

async function download(url: string, username = 'yd-worker') {
  const response = await app.inject({ method: 'GET', url, headers: { cookie: cookies.get(username)! } });
  return {
    status: response.statusCode,
    headers: response.headers,
    body: response.rawPayload,
    json: () => response.json() as { error: { code: string; message: string } },
  };
}

const exportUrl = (register: RegisterKind, org: string, query = '') =>
  `/api/exports/${register}?orgUnitId=${units.get(org)!.id}${query}`;

async function readWorkbook(bytes: Buffer): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  expect(workbook.worksheets).toHaveLength(1);
  return workbook.worksheets[0]!;
}

/** Every row of a sheet as plain values (rich text and hyperlinks would show up as objects). */
function rowsOf(sheet: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, number) => {
    rows[number - 1] = Array.from({ length: sheet.columnCount }, (_, i) => row.getCell(i + 1).value ?? null);
  });
  return rows;
}

const headersOf = (register: RegisterKind) => registerColumns[register].map((c) => c.header);

/** The column of a header (0-based). */
const col = (register: RegisterKind, header: string) => headersOf(register).indexOf(header);

async function figures(org: string) {
  return statisticsService.computeRegistryStatistics(t.database.db, cliActor, units.get(org)!.id, {
    to: today,
  });
}

describe('GET /api/exports/:register (.xlsx)', () => {
  it('writes each register in register layout with the counts of the statistics', async () => {
    const stats = await figures('YD');
    const expected: Record<RegisterKind, number> = {
      residents: stats.residents,
      minority: stats.minorityResidents,
      floating: stats.floatingResidents,
      dwellings: stats.dwellings,
    };
    expect(expected).toEqual({ residents: 15, minority: 5, floating: 1, dwellings: 5 });

    for (const register of registerKinds) {
      const answer = await download(exportUrl(register, 'YD'));
      expect(answer.status, register).toBe(200);
      expect(answer.headers['content-type']).toBe(XLSX_CONTENT_TYPE);
      const fileName = `云朵社区${registerNames[register]}（${today}）.xlsx`;
      expect(answer.headers['content-disposition']).toBe(
        `attachment; filename="YD-${register}-${today}.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`,
      );

      const sheet = await readWorkbook(answer.body);
      const rows = rowsOf(sheet);
      const width = headersOf(register).length;
      expect(sheet.name).toBe(registerNames[register]);
      // Title: merged across the columns, with the unit, the register and the date.
      expect(rows[0]![0]).toBe(`云朵社区${registerNames[register]}（制表日期：${chineseDate(today)}）`);
      expect(sheet.model.merges).toContain(`A1:${sheet.getColumn(width).letter}1`);
      expect(rows[1]).toEqual(headersOf(register));
      // Title and header stay in view, and are printed on every page.
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
      expect(sheet.pageSetup.printTitlesRow).toBe('1:2');
      registerColumns[register].forEach((column, i) =>
        expect(sheet.getColumn(i + 1).width, column.header).toBe(column.width),
      );
      // The rows, numbered 1…n.
      const data = rows.slice(2);
      expect(data, register).toHaveLength(expected[register]);
      expect(data.map((row) => row[0])).toEqual(data.map((_, i) => i + 1));
    }
  });

  it('writes ID numbers, phones and addresses masked, as text cells, grid by grid, with the household', async () => {
    const sheet = await readWorkbook((await download(exportUrl('residents', 'YD'))).body);
    const rows = rowsOf(sheet).slice(2);
    const at = (header: string) => col('residents', header);
    const row = rows.find((r) => r[at('姓名')] === yang.name)!;
    expect(row[at('公民身份号码')]).toBe(maskIdNumber(yang.idNumber));
    expect(row[at('联系电话')]).toBe(maskPhone(yang.phone));
    expect(row).toEqual(
      expect.arrayContaining([
        '男',
        '羌族',
        '1980-01-01',
        '云朵一网格',
        '羌寨小区1栋*单元***',
        '户主',
        '常住',
      ]),
    );
    expect(row[at('户主姓名')]).toBe(yang.name);
    expect(row[at('户籍地')]).toMatch(/^四川省阿坝/);
    expect(row[at('人员标识')]).toBe('党员、志愿者');
    const child = rows.find((r) => r[at('姓名')] === '杨小禾')!;
    expect([child[at('户主姓名')], child[at('与户主关系')]]).toEqual([yang.name, '子女']);
    // Every ID number and phone cell is a string cell, never a number.
    const revealed = await download(exportUrl('residents', 'YD', '&reveal=true')).then((a) => a.body);
    const revealedYang = rowsOf(await readWorkbook(revealed))
      .slice(2)
      .find((r) => r[at('姓名')] === yang.name)!;
    expect(revealedYang[at('现住址')]).toBe('羌寨小区1栋1单元101');
    const xml = readZipEntries(revealed).get('xl/worksheets/sheet1.xml')!;
    for (const cell of sheet.getColumn(at('公民身份号码') + 1).values.slice(3)) {
      if (cell !== null && cell !== undefined) expect(typeof cell).toBe('string');
    }
    // …in the file itself: a string cell (t="str", "inlineStr" or "s"), not a number.
    const idCell = new RegExp(`<c r="E\\d+"([^>]*)><v>${yang.idNumber}</v>`).exec(xml);
    expect(idCell?.[1]).toMatch(/ t="(str|inlineStr|s)"/);
    const phoneCell = new RegExp(`<c r="G\\d+"([^>]*)><v>${yang.phone}</v>`).exec(xml);
    expect(phoneCell?.[1]).toMatch(/ t="(str|inlineStr|s)"/);
    // Grids in tree order: YD-1's rows, then YD-2's.
    const grids = rows.map((r) => r[at('所属网格')]);
    expect(grids.lastIndexOf('云朵一网格')).toBeLessThan(grids.indexOf('云朵二网格'));
    expect(rows.map((r) => r[at('姓名')])).not.toContain('向芳');
    // The head who moved to 同心社区 is out of this worker's sight: no name, nowhere.
    const left = rows.find((r) => r[at('姓名')] === '甲留守者')!;
    expect([left[at('户主姓名')], left[at('与户主关系')]]).toEqual([null, '配偶']);
    expect(rows.flat()).not.toContain('乙迁入者');
    expect(rows.map((r) => r[at('姓名')])).not.toContain('张迁');
    expect(rows.map((r) => r[at('姓名')])).not.toContain('删除者');
    // The row held for review names the reason.
    const held = rows.find((r) => r[at('姓名')] === '何待核')!;
    expect(held[at('待核实')]).toBe('身份证号码校验位错误');
    expect(rows.filter((r) => r[at('待核实')] !== null)).toHaveLength(1);
  });

  it('reveals ID numbers and phones to a role that may reveal, as text', async () => {
    const answer = await download(exportUrl('floating', 'YD', '&reveal=true'));
    expect(answer.status).toBe(200);
    const sheet = await readWorkbook(answer.body);
    const [row] = rowsOf(sheet).slice(2);
    const at = (header: string) => col('floating', header);
    expect(row![at('姓名')]).toBe(ali.name);
    expect(row![at('公民身份号码')]).toBe(ali.idNumber);
    expect(row![at('联系电话')]).toBe(ali.phone);
    expect(row![at('房东电话')]).toBe(landlordPhone);
    expect(sheet.getRow(3).getCell(at('公民身份号码') + 1).type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getRow(3).getCell(at('公民身份号码') + 1).numFmt).toBe('@');
    expect(row).toEqual(
      expect.arrayContaining([
        '维吾尔族',
        '羌寨小区1栋1单元102',
        '新疆维吾尔自治区喀什市',
        '2026-03-01',
        '经商',
        12,
        '东门摊位',
        '王房东',
      ]),
    );
    const masked = rowsOf(await readWorkbook((await download(exportUrl('floating', 'YD'))).body))[2]!;
    expect(masked[at('房东电话')]).toBe(maskPhone(landlordPhone));
  });

  it('lists minority residents with their languages, and dwellings as rented, lived in or vacant', async () => {
    const minority = rowsOf(await readWorkbook((await download(exportUrl('minority', 'YD'))).body)).slice(2);
    const at = (header: string) => col('minority', header);
    expect(minority.map((r) => r[at('姓名')]).sort()).toEqual(
      ['杨小禾', '杨山', '艾力·买买提', '马兰', '马福'].sort(),
    );
    expect(minority.find((r) => r[at('姓名')] === '杨小禾')![at('使用语言')]).toBe('汉语、羌语');

    const dwellings = rowsOf(await readWorkbook((await download(exportUrl('dwellings', 'YD'))).body)).slice(
      2,
    );
    const d = (header: string) => col('dwellings', header);
    const described = dwellings.map((r) =>
      [
        r[d('所属网格')],
        r[d('小区/院落')],
        r[d('楼栋')],
        r[d('单元')],
        r[d('房号')],
        r[d('房屋状态')],
        r[d('户数')],
        r[d('居住人数')],
      ].join(' '),
    );
    // Entrance and room are masked unless revealed; the estate and the building stay.
    expect(described).toEqual([
      '云朵一网格 羌寨小区 1栋 *单元 *** 自住 1 3',
      '云朵一网格 羌寨小区 1栋 *单元 *** 出租 0 1',
      '云朵一网格 羌寨小区 1栋 *单元 *** 空置 0 0',
      '云朵一网格 羌寨小区 1栋 *单元 *** 空置 0 0',
      '云朵二网格 羌寨小区 2栋 *单元 *** 自住 1 2',
    ]);
    const revealed = rowsOf(
      await readWorkbook((await download(exportUrl('dwellings', 'YD', '&reveal=true'))).body),
    ).slice(2);
    expect(revealed.map((r) => `${r[d('楼栋')]}${r[d('单元')]}${r[d('房号')]}`)).toEqual([
      '1栋1单元101',
      '1栋1单元102',
      '1栋1单元201',
      '1栋1单元202',
      '2栋1单元101',
    ]);
    expect(dwellings[1]![d('房东姓名')]).toBe('王房东');
    expect(dwellings[1]![d('房东电话')]).toBe(maskPhone(landlordPhone));
  });

  it('neutralises every cell that a spreadsheet would run as a formula', async () => {
    for (const register of ['residents', 'dwellings'] as const) {
      const answer = await download(exportUrl(register, 'YD', '&reveal=true'));
      const sheet = await readWorkbook(answer.body);
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type, cell.address).not.toBe(ExcelJS.ValueType.Formula);
          if (typeof cell.value === 'string') expect(cell.value, cell.address).not.toMatch(/^[=+\-@\t\r]/);
        }),
      );
      const xml = readZipEntries(answer.body).get('xl/worksheets/sheet1.xml')!;
      expect(xml).not.toContain('<f>');
    }
    const rows = rowsOf(await readWorkbook((await download(exportUrl('residents', 'YD'))).body)).slice(2);
    const names = rows.map((r) => r[col('residents', '姓名')]);
    for (const name of formulaNames) expect(names).toContain(`'${name}`);
    expect(rows.filter((r) => r[col('residents', '备注')] === "'=1+1")).toHaveLength(3);
    const dwellings = rowsOf(await readWorkbook((await download(exportUrl('dwellings', 'YD'))).body));
    expect(dwellings.flat()).toContain("'=cmd|calc");
  });

  it('pages through the register by key: tiny pages give the same file as one page', async () => {
    for (const register of registerKinds) {
      const texts = await Promise.all(
        [1, 2, 1000].map(async (pageSize) => {
          const file = await exportService.prepareRegisterExport(
            t.database.db,
            cliActor,
            { register, orgUnitId: units.get('YD')!.id, format: 'csv', reveal: true },
            { pageSize },
          );
          const chunks: Buffer[] = [];
          const rows = await file.writeTo(
            new Writable({
              write(chunk: Buffer, _encoding, callback) {
                chunks.push(chunk);
                callback();
              },
            }),
          );
          return { rows, text: Buffer.concat(chunks).toString('utf8') };
        }),
      );
      expect(texts[0]!.rows, register).toBeGreaterThan(0);
      expect(texts[1], register).toEqual(texts[0]);
      expect(texts[2], register).toEqual(texts[0]);
    }
  });
});

describe('GET /api/exports/:register (.csv)', () => {
  it('writes UTF-8 with a byte-order mark, CRLF and quoted text, formulas neutralised', async () => {
    const answer = await download(exportUrl('residents', 'YD', '&format=csv&reveal=true'));
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe(CSV_CONTENT_TYPE);
    expect(answer.headers['content-disposition']).toContain(`filename="YD-residents-${today}.csv"`);
    expect([...answer.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = answer.body.toString('utf8');
    expect(text.startsWith(`\uFEFF"序号","姓名","性别","民族","公民身份号码"`)).toBe(true);
    // Records end with CRLF; the only bare LF is the one inside the quoted note.
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '').match(/\n/g)).toHaveLength(1);
    expect(text).toContain(`"'@SUM(A1)"`);
    expect(text).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(text).toContain(`"他说:""你好,世界""\n第二行"`);

    const records = parseCsv(text, { bom: true, record_delimiter: '\r\n' }) as string[][];
    expect(records[0]).toEqual(headersOf('residents'));
    expect(records).toHaveLength(1 + 15);
    const at = (header: string) => col('residents', header);
    const yangRecord = records.find((r) => r[at('姓名')] === yang.name)!;
    expect(yangRecord[at('公民身份号码')]).toBe(yang.idNumber);
    expect(yangRecord[at('联系电话')]).toBe(yang.phone);
    expect(records.find((r) => r[at('姓名')] === "'@SUM(A1)")![at('备注')]).toBe(quotedNote);
    for (const record of records) {
      for (const field of record) expect(field).not.toMatch(/^[=+\-@\t\r]/);
    }
    // Masked by default.
    const masked = (await download(exportUrl('residents', 'YD', '&format=csv'))).body.toString('utf8');
    expect(masked).toContain(maskIdNumber(yang.idNumber));
    expect(masked).not.toContain(yang.idNumber);
    expect(masked).not.toContain(yang.phone);
  });
});

describe('who may export what', () => {
  it('refuses reveal to a viewer with a Chinese message, and gives the viewer the masked register', async () => {
    const refused = await download(exportUrl('residents', 'YD', '&reveal=true'), 'yd-viewer');
    expect(refused.status).toBe(403);
    expect(refused.json().error).toEqual({ code: 'forbidden', message: exportText.revealForbidden });
    const masked = await download(exportUrl('residents', 'YD', '&format=csv'), 'yd-viewer');
    expect(masked.status).toBe(200);
    expect(masked.body.toString('utf8')).toContain(maskIdNumber(yang.idNumber));
  });

  it('answers 404 to a grid worker asking for another community, the parent community or nothing', async () => {
    for (const url of [
      exportUrl('residents', 'TX'),
      exportUrl('dwellings', 'TX', '&format=csv'),
      exportUrl('minority', 'YD'),
      `/api/exports/residents?orgUnitId=${randomUUID()}`,
    ]) {
      const answer = await download(url, 'yd1-grid');
      expect(answer.status, url).toBe(404);
      expect(answer.json().error.code).toBe('org_unit_not_found');
    }
  });

  it("gives a grid worker his grid's rows, without the places above his grid", async () => {
    const answer = await download(exportUrl('residents', 'YD-1', '&format=csv'), 'yd1-grid');
    expect(answer.status).toBe(200);
    const records = parseCsv(answer.body.toString('utf8'), { bom: true }) as string[][];
    expect(records).toHaveLength(1 + 12);
    const yangRecord = records.find((r) => r[col('residents', '姓名')] === yang.name)!;
    // The estate belongs to the community, which the grid worker cannot see.
    expect(yangRecord[col('residents', '现住址')]).toBe('1栋*单元***');
    expect(answer.body.toString('utf8')).not.toContain('羌寨小区');
  });

  it('refuses an unknown register or format', async () => {
    expect((await download(`/api/exports/visits?orgUnitId=${units.get('YD')!.id}`)).status).toBe(400);
    expect((await download(exportUrl('residents', 'YD', '&format=pdf'))).status).toBe(400);
  });
});

describe('GET /api/exports/templates/:register', () => {
  it('gives an empty register with the title and header rows of the export', async () => {
    for (const register of registerKinds) {
      const answer = await download(`/api/exports/templates/${register}`, 'yd-viewer');
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe(XLSX_CONTENT_TYPE);
      expect(answer.headers['content-disposition']).toContain(`filename="${register}-template.xlsx"`);
      expect(answer.headers['content-disposition']).toContain(
        encodeURIComponent(`${registerNames[register]}（模板）.xlsx`),
      );
      const sheet = await readWorkbook(answer.body);
      const rows = rowsOf(sheet);
      expect(rows).toHaveLength(2);
      expect(String(rows[0]![0])).toMatch(new RegExp(`^${registerNames[register]}（填报单位：`));
      expect(rows[1]).toEqual(headersOf(register));
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    }
  });
});

/**
 * Converts a file with LibreOffice in a profile of its own, so that runs never share one, and
 * answers the converted text. Fails (never skips) when soffice is missing: CI installs it.
 */
async function convertWithLibreOffice(file: string): Promise<string> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'shiliuzi-lo-profile-'));
  const outDir = fs.mkdtempSync(path.join(workDir, 'lo-'));
  try {
    await run(
      'soffice',
      [
        `-env:UserInstallation=${pathToFileURL(profile).href}`,
        '--headless',
        '--convert-to',
        'csv:Text - txt - csv (StarCalc):44,34,76,1',
        '--outdir',
        outDir,
        file,
      ],
      { timeout: 90_000 },
    );
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
  const converted = path.join(outDir, `${path.basename(file, path.extname(file))}.csv`);
  if (!fs.existsSync(converted)) throw new Error(`soffice wrote no CSV for ${file}`);
  return fs.readFileSync(converted, 'utf8');
}

describe('shiliuzi export', () => {
  const runner = cliRunner(() => env);
  const cli = async (...args: string[]) => ({ stdout: await runner.cli(...args) });
  const { cliFails } = runner;

  it('writes a register as .xlsx that LibreOffice opens, and prints the path and the row count', async () => {
    const file = path.join(workDir, 'yd-residents.xlsx');
    const { stdout } = await cli('export', 'residents', '--org', 'YD', '--out', file);
    expect(stdout.trim()).toBe(`已导出全部居民台账 15 行：${file}`);
    const sheet = await readWorkbook(fs.readFileSync(file));
    expect(sheet.rowCount).toBe(2 + 15);

    const text = await convertWithLibreOffice(file);
    expect(text).toContain(`云朵社区全部居民台账（制表日期：${chineseDate(today)}）`);
    for (const name of [yang.name, ali.name, '马兰', '何待核']) expect(text).toContain(name);
    expect(text).toContain(maskIdNumber(yang.idNumber));
    // LibreOffice keeps the neutralised formula as text, it does not evaluate it.
    expect(text).toContain(`'=HYPERLINK(""http://x"",""y"")`);
  }, 120_000);

  it('writes .csv by the extension, revealed on request', async () => {
    const file = path.join(workDir, 'yd-minority.csv');
    const { stdout } = await cli('export', 'minority', '--org', 'YD', '--out', file, '--reveal');
    expect(stdout).toContain(`已导出少数民族居民台账 5 行：${file}`);
    const text = fs.readFileSync(file, 'utf8');
    expect(text.startsWith('\uFEFF"序号"')).toBe(true);
    expect(text).toContain(yang.idNumber);
  }, 60_000);

  it('refuses an unknown register, file type or org code in Chinese, and writes nothing', async () => {
    const file = path.join(workDir, 'nothing.xlsx');
    expect(await cliFails('export', 'visits', '--org', 'YD', '--out', file)).toContain('未知台账 visits');
    expect(
      await cliFails('export', 'residents', '--org', 'YD', '--out', path.join(workDir, 'x.txt')),
    ).toContain('输出文件须以 .xlsx 或 .csv 结尾');
    expect(await cliFails('export', 'residents', '--org', 'NOPE', '--out', file)).toContain(
      '组织编码 NOPE 不存在',
    );
    expect(fs.existsSync(file)).toBe(false);
  }, 60_000);
});
