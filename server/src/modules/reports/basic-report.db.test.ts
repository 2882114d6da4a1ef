import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findEthnicGroup } from '@shiliuzi/shared/ethnicity';
import type { OrgUnit } from '@shiliuzi/shared/org-units';
import type { ResidentInput } from '@shiliuzi/shared/residents';
import type { RegistryStatistics } from '@shiliuzi/shared/statistics';
import { buildTestApp, loginAs, makeIdNumber, type TestApp } from '../../../test/fixtures.ts';
import { readPdf, type Pdf, type PdfLine } from '../../../test/pdf.ts';
import { cliEnv, cliRunner } from '../../../test/cli.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { readZipEntries } from '../../../test/zip-entries.ts';
import type { Database } from '../../db/database.ts';
import { cliActor } from '../../lib/actor.ts';
import { formatPercent } from '../../locales/report.zh-CN.ts';
import { householdService } from '../households/household.service.ts';
import { orgUnitService } from '../org-units/org-unit.service.ts';
import { placeService } from '../places/place.service.ts';
import { residentService } from '../residents/resident.service.ts';
import { statisticsService } from '../statistics/statistics.service.ts';
import { composeBasicReport } from './basic-report.builder.ts';
import { DOCX_CONTENT_TYPE } from './report.routes.ts';

const run = promisify(execFile);
const PERIOD = { from: '2026-01-01', to: '2026-11-01' };

let t: TestDatabase;
/** The CLI's environment: the same database the test opened. */
let env: NodeJS.ProcessEnv;
let workDir: string;
const units = new Map<string, OrgUnit>();

const { cli, cliFails } = cliRunner(() => env);

/**
 * Converts a .docx to PDF with LibreOffice, in a profile of its own so that runs never share one,
 * and answers the PDF's path. Fails (never skips) when soffice is missing: CI installs it.
 */
async function convertToPdf(docx: string): Promise<string> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'shiliuzi-lo-profile-'));
  const outDir = path.dirname(docx);
  try {
    await run(
      'soffice',
      [
        `-env:UserInstallation=${pathToFileURL(profile).href}`,
        '--headless',
        '--convert-to',
        'pdf',
        '--outdir',
        outDir,
        docx,
      ],
      { timeout: 60_000 },
    );
  } catch (error) {
    throw new Error(
      `LibreOffice (soffice) could not convert the report; it must be installed: ${(error as Error).message}`,
      { cause: error },
    );
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
  const pdf = path.join(outDir, `${path.basename(docx, '.docx')}.pdf`);
  if (!fs.existsSync(pdf)) throw new Error(`soffice wrote no PDF for ${docx}`);
  return pdf;
}

/** A community with known figures: places, households, residents of four groups, a floating vendor, moves. */
async function seedCommunity(database: Database) {
  const db = database.db;
  const addUnit = async (
    code: string,
    name: string,
    type: OrgUnit['type'],
    parent: string | null,
    areaKm2?: number,
  ) => {
    const unit = await orgUnitService.createOrgUnit(db, cliActor, {
      code,
      name,
      type,
      parentId: parent === null ? null : units.get(parent)!.id,
      areaKm2: areaKm2 ?? null,
    });
    units.set(code, unit);
  };
  await addUnit('QX', '青溪区', 'district', null);
  await addUnit('HM', '和鸣街道', 'street', 'QX');
  await addUnit('YD', '云朵社区', 'community', 'HM', 2.6);
  await addUnit('YD-1', '云朵一网格', 'grid', 'YD');
  await addUnit('YD-2', '云朵二网格', 'grid', 'YD');
  await addUnit('YD-U1', '云朵小学', 'unit', 'YD');
  await addUnit('TX', '同心社区', 'community', 'HM');
  const grid = units.get('YD-1')!.id;

  const place = async (
    kind: 'estate' | 'building' | 'entrance' | 'dwelling',
    name: string,
    parentId: string | null,
    isRental = false,
  ) =>
    (
      await placeService.createPlace(db, cliActor, {
        orgUnitId: kind === 'estate' ? units.get('YD')!.id : grid,
        kind,
        name,
        parentId,
        isRental,
      })
    ).id;
  const estate = await place('estate', '羌寨小区', null);
  const dwellings: string[] = [];
  for (const b of [1, 2]) {
    const building = await place('building', `${b}栋`, estate);
    for (const e of b === 1 ? [1, 2] : [1]) {
      const entrance = await place('entrance', `${e}单元`, building);
      for (const room of b === 1 && e === 1 ? [101, 102, 201] : [101]) {
        dwellings.push(await place('dwelling', `${b}-${e}-${room}`, entrance, room === 102 || room === 201));
      }
    }
  }
  const household = async (dwellingId: string) =>
    (await householdService.createHousehold(db, cliActor, { orgUnitId: grid, dwellingId })).id;
  const [h1, h2, h3] = [
    await household(dwellings[0]!),
    await household(dwellings[1]!),
    await household(dwellings[2]!),
  ];
  const person = (
    p: Partial<ResidentInput> & Pick<ResidentInput, 'name' | 'ethnicityCode'>,
    id?: [string, string, number],
  ) =>
    residentService.registerResident(db, cliActor, {
      orgUnitId: grid,
      residenceType: 'permanent',
      ...(id ? { idNumber: makeIdNumber(...id) } : { gender: 'female' }),
      ...p,
    });
  // Household 1: Qiang head, Han spouse (inter-ethnic), Qiang child; household 2: a Hui couple;
  // household 3: a Uyghur vendor who moved in this year.
  await person({ name: '杨山', ethnicityCode: '33', householdId: h1, relationToHead: 'head' }, [
    '513221',
    '19800101',
    11,
  ]);
  await person({ name: '李梅', ethnicityCode: '01', householdId: h1, relationToHead: 'spouse' }, [
    '510704',
    '19820303',
    22,
  ]);
  await person({ name: '杨小禾', ethnicityCode: '33', householdId: h1, relationToHead: 'child' }, [
    '510704',
    '20100505',
    31,
  ]);
  await person({ name: '马福', ethnicityCode: '03', householdId: h2, relationToHead: 'head' }, [
    '622901',
    '19700707',
    13,
  ]);
  await person({ name: '马兰', ethnicityCode: '03', householdId: h2, relationToHead: 'spouse' }, [
    '622901',
    '19720808',
    24,
  ]);
  await person(
    {
      name: '艾力·买买提',
      ethnicityCode: '05',
      householdId: h3,
      relationToHead: 'head',
      residenceType: 'floating',
      movedInOn: '2026-05-01',
      floating: { reason: 'trade', stall: '东门摊位' },
    },
    ['653101', '19900909', 15],
  );
  // Moved out during the period: counted as a move, not as a resident.
  await person({ name: '张迁', ethnicityCode: '04', movedInOn: '2020-01-01', movedOutOn: '2026-06-30' });
  // The neighbouring community: never in YD's figures.
  await residentService.registerResident(db, cliActor, {
    orgUnitId: units.get('TX')!.id,
    residenceType: 'permanent',
    name: '向芳',
    ethnicityCode: '15',
    gender: 'female',
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  env = cliEnv(t);
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiliuzi-report-'));
  await seedCommunity(t.database);
}, 60_000);

afterAll(async () => {
  await t?.cleanup();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

/**
 * The text of the pages without the page numbers, as one string without white space: lines break
 * anywhere in Chinese, and pdftotext puts spaces where LibreOffice sets Chinese apart from digits.
 */
const bodyText = (pdf: Pdf) =>
  pdf.pages
    .map((page) => page.text.replace(/^\s*—\s*\d+\s*—\s*$/gm, ''))
    .join('')
    .replace(/\s+/g, '');

describe('shiliuzi report basic', () => {
  it('writes the report of a community with the figures of shiliuzi stats, readable in LibreOffice on A4', async () => {
    const stats = JSON.parse(
      await cli('stats', '--org', 'YD', '--json', '--from', PERIOD.from, '--to', PERIOD.to),
    ) as RegistryStatistics;
    expect(stats).toMatchObject({
      residents: 6,
      households: 3,
      minorityResidents: 5,
      minorityGroups: 3,
      interEthnicCouples: 1,
      floatingResidents: 1,
      movedIn: 1,
      movedOut: 1,
      grids: 2,
      memberUnits: 1,
      buildings: 2,
      entrances: 3,
      dwellings: 5,
      rentalDwellings: 2,
    });

    const docx = path.join(workDir, 'yd.docx');
    const printed = await cli(
      'report',
      'basic',
      '--org',
      'YD',
      '--out',
      docx,
      '--from',
      PERIOD.from,
      '--to',
      PERIOD.to,
    );
    expect(printed).toContain(docx);
    const pdf = await readPdf(await convertToPdf(docx));
    const text = bodyText(pdf);

    // Every figure of `stats --json`, as the report words it.
    for (const phrase of [
      '云朵社区基本情况',
      '辖区面积2.6平方公里',
      `共划分网格${stats.grids}个`,
      `登记驻区单位${stats.memberUnits}个`,
      `楼栋${stats.buildings}栋、单元${stats.entrances}个、房屋${stats.dwellings}套`,
      `出租房屋${stats.rentalDwellings}套`,
      `居民${stats.residents}人、${stats.households}户`,
      `流动人口${stats.floatingResidents}人，占居民总数的${formatPercent(stats.floatingResidents / stats.residents)}`,
      `迁入居民${stats.movedIn}人，迁出居民${stats.movedOut}人`,
      `少数民族居民${stats.minorityResidents}人，占居民总数的${formatPercent(stats.minorityShare)}`,
      `分属${stats.minorityGroups}个少数民族`,
      `族际通婚家庭共${stats.interEthnicCouples}对`,
    ]) {
      expect(text).toContain(phrase);
    }
    expect(formatPercent(stats.minorityShare)).toBe('83.3%');
    for (const [code, count] of Object.entries(stats.byEthnicity)) {
      const name = findEthnicGroup(code)!.name;
      expect(text).toContain(`${name}${count}人`);
      // The table row: group, count, share.
      expect(text).toContain(`${name}${count}${formatPercent(count / stats.residents)}`);
    }
    expect(text).not.toContain('藏族');
    expect(text).not.toContain('土家族');

    // All of the report's text, from the same figures, is in the PDF.
    const blocks = composeBasicReport({
      statistics: stats,
      orgUnit: { name: '云朵社区', type: 'community', areaKm2: 2.6 },
      issuedOn: PERIOD.to,
    });
    for (const block of blocks) {
      if ('text' in block) expect(text).toContain(block.text);
    }

    // A4 pages; Chinese set in a CJK font (no boxes); the 29 pt line grid; “— n —” page numbers,
    // right on odd pages and left on even ones. Positions are pdftotext's: from the page's top left.
    expect(pdf.pages.length).toBeGreaterThanOrEqual(1);
    for (const page of pdf.pages) {
      expect(page.width).toBeCloseTo(595.3, 0);
      expect(page.height).toBeCloseTo(841.9, 0);
    }
    const isCjkFont = (font: string) => /CJK|GB2312|Song|Hei|Kai|Fang|Ming|SimSun/i.test(font);
    const chinese = pdf.pages.flatMap((page) => page.runs).filter((run) => /\p{Script=Han}/u.test(run.text));
    expect(chinese.length).toBeGreaterThan(10);
    for (const run of chinese) expect(isCjkFont(run.font), `${run.text} in ${run.font}`).toBe(true);
    // …and those fonts are in the file, embedded, with the map that makes their text readable.
    for (const font of new Set(chinese.map((run) => run.font))) {
      expect(pdf.fonts.find((listed) => listed.name === font)).toMatchObject({
        embedded: true,
        toUnicode: true,
      });
    }

    // 3号 lines follow each other at whole multiples of the line pitch (a table between them aside).
    // pdftotext gives no font size but a box as high as the type: 3号 lines are as high as the first
    // line of the first paragraph, which pdftohtml sees in 16 pt.
    const first = pdf.pages[0]!;
    const opening = blocks
      .flatMap((block) => (block.kind === 'paragraph' ? [block.text] : []))[0]!
      .slice(0, 6);
    expect(first.runs.find((run) => run.text.startsWith(opening))?.size).toBe(16);
    const model = first.lines.find((line) => line.text.startsWith(opening))!;
    const isBody = (line: PdfLine) => Math.abs(line.yMax - line.yMin - (model.yMax - model.yMin)) < 0.1;
    const bodyLines = first.lines.filter(isBody);
    expect(bodyLines.length).toBeGreaterThan(10);
    first.lines.forEach((line, k) => {
      const above = first.lines[k - 1];
      if (!above || !isBody(above) || !isBody(line)) return;
      const lines = (line.yMin - above.yMin) / 28.95;
      expect(Math.abs(lines - Math.round(lines)), `${above.text} → ${line.text}`).toBeLessThan(0.02);
    });
    const left = Math.min(...bodyLines.map((line) => line.xMin));
    expect(left).toBeCloseTo((28 / 25.4) * 72, 0);
    for (const [index, page] of pdf.pages.entries()) {
      const number = page.lines.find((line) => line.text === `— ${index + 1} —`);
      expect(number, `page number on page ${index + 1}`).toBeDefined();
      // Wholly in the 35 mm bottom margin.
      expect(number!.yMin).toBeGreaterThan(page.height - (35 / 25.4) * 72);
      if (index % 2 === 0) expect(number!.xMin).toBeGreaterThan(page.width / 2);
      else expect(number!.xMax).toBeLessThan(page.width / 2);
    }
  }, 120_000);

  it('refuses an unknown org code with a Chinese message and a non-zero exit', async () => {
    expect(
      await cliFails('report', 'basic', '--org', 'NOPE', '--out', path.join(workDir, 'x.docx')),
    ).toContain('组织编码 NOPE 不存在');
    expect(fs.existsSync(path.join(workDir, 'x.docx'))).toBe(false);
  });
});

describe('GET /api/reports/basic', () => {
  let app: TestApp;
  let workerCookie: string;
  let gridCookie: string;

  beforeAll(async () => {
    app = await buildTestApp(t.database);
    workerCookie = (await loginAs(app, t.database, 'yd-worker', 'community_worker', units.get('YD')!.id))
      .cookie;
    gridCookie = (await loginAs(app, t.database, 'yd1-grid', 'grid_worker', units.get('YD-1')!.id)).cookie;
  });

  afterAll(async () => {
    await app?.close();
  });

  const get = (url: string, cookie: string) => app.inject({ method: 'GET', url, headers: { cookie } });

  it('answers the .docx with its Chinese file name and the figures of the statistics', async () => {
    const yd = units.get('YD')!;
    const response = await get(
      `/api/reports/basic?orgUnitId=${yd.id}&from=${PERIOD.from}&to=${PERIOD.to}`,
      workerCookie,
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(DOCX_CONTENT_TYPE);
    const disposition = String(response.headers['content-disposition']);
    expect(disposition).toContain('attachment;');
    expect(disposition).toContain('filename="YD-basic-2026-11-01.docx"');
    const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)![1]!;
    expect(decodeURIComponent(encoded)).toBe('云朵社区基本情况（2026-11-01）.docx');

    const document = readZipEntries(response.rawPayload).get('word/document.xml')!;
    const stats = await statisticsService.computeRegistryStatistics(t.database.db, cliActor, yd.id, PERIOD);
    expect(document).toContain(`辖区登记在册居民${stats.residents}人、${stats.households}户`);
    expect(document).toContain(`少数民族居民${stats.minorityResidents}人，占居民总数的83.3%`);
  });

  it('gives a grid worker the report of his grid and 404 for the community above it', async () => {
    const own = await get(
      `/api/reports/basic?orgUnitId=${units.get('YD-1')!.id}&to=${PERIOD.to}`,
      gridCookie,
    );
    expect(own.statusCode).toBe(200);
    const document = readZipEntries(own.rawPayload).get('word/document.xml')!;
    expect(document).toContain('云朵一网格基本情况');

    for (const code of ['YD', 'HM', 'TX', 'YD-2']) {
      const refused = await get(`/api/reports/basic?orgUnitId=${units.get(code)!.id}`, gridCookie);
      expect(refused.statusCode, code).toBe(404);
      expect(refused.json().error.code).toBe('org_unit_not_found');
    }
    const unknown = await get(
      '/api/reports/basic?orgUnitId=0194a8c2-8f1b-7000-8000-000000000000',
      gridCookie,
    );
    expect(unknown.statusCode).toBe(404);
    expect((await get('/api/reports/basic?orgUnitId=not-a-uuid', gridCookie)).statusCode).toBe(400);
  });

  it('answers 401 without a session', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/reports/basic?orgUnitId=${units.get('YD')!.id}`,
    });
    expect(response.statusCode).toBe(401);
  });
});
