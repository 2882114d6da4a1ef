import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/database.ts';
import {
  apiClient,
  buildTestApp,
  loginAs,
  makeIdNumber,
  type ApiClient,
  type TestApp,
} from '../../../test/fixtures.ts';
import { cliEnv, cliRunner } from '../../../test/cli.ts';
import { createTestDatabase, openInstallDatabase, type TestDatabase } from '../../../test/test-database.ts';

let t: TestDatabase;
/** The CLI's environment: the same database the test opened. */
let env: NodeJS.ProcessEnv;

const { cli, cliFails } = cliRunner(() => env);

beforeAll(async () => {
  t = await createTestDatabase();
  env = cliEnv(t);
});

afterAll(async () => {
  await t?.cleanup();
});

describe('shiliuzi org and stats', () => {
  let app: TestApp;
  let database: Database;
  let api: ApiClient;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    await cli('org', 'add', '--code', 'QX', '--name', '青溪区', '--type', 'district');
    await cli('org', 'add', '--code', 'HM', '--name', '和鸣街道', '--type', 'street', '--parent', 'QX');
    await cli('org', 'add', '--code', 'YD', '--name', '云朵社区', '--type', 'community', '--parent', 'HM');
    await cli('org', 'add', '--code', 'TX', '--name', '同心社区', '--type', 'community', '--parent', 'HM');
    for (const grid of ['YD-1', 'YD-2']) {
      await cli('org', 'add', '--code', grid, '--name', `${grid}网格`, '--type', 'grid', '--parent', 'YD');
    }
    await cli('org', 'add', '--code', 'TX-1', '--name', '同心一网格', '--type', 'grid', '--parent', 'TX');
    await cli('org', 'add', '--code', 'YD-U1', '--name', '云朵小学', '--type', 'unit', '--parent', 'YD');
    const list = JSON.parse(await cli('org', 'list', '--json')) as { code: string; parent: string | null }[];
    expect(list.find((u) => u.code === 'YD-1')).toMatchObject({
      parent: 'YD',
      type: 'grid',
      name: 'YD-1网格',
    });

    // The API process opens the same database the CLI wrote.
    database = openInstallDatabase(t.dataDir ?? '', t.url);
    app = await buildTestApp(database);
    const orgs = await database.db.selectFrom('orgUnit').select(['id', 'code']).execute();
    for (const o of orgs) ids.set(o.code, o.id);
    api = apiClient(
      app,
      (await loginAs(app, database, 'yd-worker', 'community_worker', ids.get('YD')!)).cookie,
    );
    const txApi = apiClient(
      app,
      (await loginAs(app, database, 'tx-worker', 'community_worker', ids.get('TX')!)).cookie,
    );

    // Community YD, built through the API: an estate with 2 buildings, 3 entrances, 5 dwellings (2 rented).
    const estate = (
      await api.post('/api/places', { orgUnitId: ids.get('YD'), kind: 'estate', name: '羌寨小区' })
    ).body;
    const dwellings: string[] = [];
    for (const b of [1, 2]) {
      const building = (
        await api.post('/api/places', {
          orgUnitId: ids.get('YD-1'),
          kind: 'building',
          name: `${b}栋`,
          parentId: estate.id,
        })
      ).body;
      for (const e of b === 1 ? [1, 2] : [1]) {
        const entrance = (
          await api.post('/api/places', {
            orgUnitId: ids.get('YD-1'),
            kind: 'entrance',
            name: `${e}单元`,
            parentId: building.id,
          })
        ).body;
        const rooms = b === 1 && e === 1 ? [101, 102, 201] : [101];
        for (const room of rooms) {
          const d = await api.post('/api/places', {
            orgUnitId: ids.get('YD-1'),
            kind: 'dwelling',
            name: `${b}-${e}-${room}`,
            parentId: entrance.id,
            isRental: room === 102 || room === 201,
            landlordName: room === 102 || room === 201 ? '房东甲' : null,
          });
          expect(d.status).toBe(201);
          dwellings.push(d.body.id);
        }
      }
    }
    // Household 1: Qiang head + Han spouse (inter-ethnic) + child (Qiang).
    // Household 2: Hui head + Hui spouse; Household 3: Uyghur floating vendor alone.
    const h = async (dwellingId: string) =>
      (await api.post('/api/households', { orgUnitId: ids.get('YD-1'), dwellingId })).body.id as string;
    const h1 = await h(dwellings[0]!);
    const h2 = await h(dwellings[1]!);
    const h3 = await h(dwellings[2]!);
    const people = [
      {
        householdId: h1,
        relationToHead: 'head',
        name: '杨山',
        ethnicityCode: '33',
        id: ['513221', '19800101', 11],
      },
      {
        householdId: h1,
        relationToHead: 'spouse',
        name: '李梅',
        ethnicityCode: '01',
        id: ['510704', '19820303', 22],
      },
      {
        householdId: h1,
        relationToHead: 'child',
        name: '杨小禾',
        ethnicityCode: '33',
        id: ['510704', '20100505', 31],
      },
      {
        householdId: h2,
        relationToHead: 'head',
        name: '马福',
        ethnicityCode: '03',
        id: ['622901', '19700707', 13],
      },
      {
        householdId: h2,
        relationToHead: 'spouse',
        name: '马兰',
        ethnicityCode: '03',
        id: ['622901', '19720808', 24],
      },
      {
        householdId: h3,
        relationToHead: 'head',
        name: '艾力·买买提',
        ethnicityCode: '05',
        id: ['653101', '19900909', 15],
        residenceType: 'floating',
        floating: { reason: 'trade', stall: '东门摊位' },
      },
    ];
    for (const { id, ...p } of people) {
      const [region, birth, seq] = id as [string, string, number];
      const res = await api.post('/api/residents', {
        orgUnitId: ids.get('YD-1'),
        ...p,
        idNumber: makeIdNumber(region, birth, seq),
      });
      expect(res.status).toBe(201);
    }
    // A moved-out resident and a deleted one do not count.
    await api.post('/api/residents', {
      orgUnitId: ids.get('YD-2'),
      name: '张迁',
      ethnicityCode: '04',
      gender: 'male',
      movedInOn: '2020-01-01',
      movedOutOn: '2025-06-30',
    });
    const removed = await api.post('/api/residents', {
      orgUnitId: ids.get('YD-2'),
      name: '刘删',
      ethnicityCode: '07',
      gender: 'female',
    });
    await api.delete(`/api/residents/${removed.body.id}?version=1`);
    // Community TX: one Han and one Tujia resident, an inter-ethnic couple of its own.
    const tx = (await txApi.post('/api/households', { orgUnitId: ids.get('TX-1') })).body.id;
    await txApi.post('/api/residents', {
      orgUnitId: ids.get('TX-1'),
      householdId: tx,
      relationToHead: 'head',
      name: '陈强',
      ethnicityCode: '01',
      gender: 'male',
    });
    await txApi.post('/api/residents', {
      orgUnitId: ids.get('TX-1'),
      householdId: tx,
      relationToHead: 'spouse',
      name: '向芳',
      ethnicityCode: '15',
      gender: 'female',
    });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await database?.destroy();
  });

  it('counts every figure of a community built through the API', async () => {
    const stats = JSON.parse(await cli('stats', '--org', 'YD', '--json', '--to', '2026-11-01'));
    expect(stats).toMatchObject({
      orgCode: 'YD',
      asOf: '2026-11-01',
      residents: 6,
      households: 3,
      minorityResidents: 5,
      minorityGroups: 3,
      byEthnicity: { '01': 1, '03': 2, '05': 1, '33': 2 },
      interEthnicCouples: 1,
      floatingResidents: 1,
      grids: 2,
      memberUnits: 1,
      buildings: 2,
      entrances: 3,
      dwellings: 5,
      rentalDwellings: 2,
      movedOut: 0,
    });
    expect(stats.minorityShare).toBeCloseTo(5 / 6);
    expect(Object.keys(stats.byEthnicity)).not.toContain('04');
  });

  it('breaks a community down by grid and member unit, and by age band and gender', async () => {
    const stats = JSON.parse(await cli('stats', '--org', 'YD', '--json', '--to', '2026-11-01'));
    expect(stats.byChild).toEqual([
      {
        orgUnitId: ids.get('YD-1'),
        code: 'YD-1',
        name: 'YD-1网格',
        type: 'grid',
        residents: 6,
        households: 3,
        minorityResidents: 5,
        floatingResidents: 1,
      },
      expect.objectContaining({ code: 'YD-2', residents: 0, households: 0 }),
      expect.objectContaining({ code: 'YD-U1', type: 'unit', residents: 0 }),
    ]);
    const band = (from: number) => stats.ageBands.find((b: { from: number }) => b.from === from);
    // Ages on 2026-11-01: 46 and 44 (a couple), 16, 56 and 54 (a couple), 36.
    expect(band(10)).toMatchObject({ to: 19, male: 1, female: 0 });
    expect(band(30)).toMatchObject({ male: 1, female: 0 });
    expect(band(40)).toMatchObject({ male: 1, female: 1 });
    expect(band(50)).toMatchObject({ male: 1, female: 1 });
    expect(band(80)).toMatchObject({ to: null, male: 0, female: 0 });
  });

  it('counts the moved-out resident on a date before the move', async () => {
    const stats = JSON.parse(
      await cli('stats', '--org', 'YD', '--json', '--from', '2025-01-01', '--to', '2025-06-01'),
    );
    expect(stats.byEthnicity['04']).toBe(1);
    const after = JSON.parse(
      await cli('stats', '--org', 'YD', '--json', '--from', '2025-01-01', '--to', '2025-12-31'),
    );
    expect(after.movedOut).toBe(1);
    expect(after.byEthnicity['04']).toBeUndefined();
  });

  it('rolls both communities up to the street, and agrees with the API', async () => {
    const stats = JSON.parse(await cli('stats', '--org', 'HM', '--json', '--to', '2026-11-01'));
    expect(stats).toMatchObject({
      residents: 8,
      households: 4,
      interEthnicCouples: 2,
      grids: 3,
      byEthnicity: { '15': 1 },
    });
    expect(
      stats.byChild.map((c: { code: string; residents: number; households: number }) => [
        c.code,
        c.residents,
        c.households,
      ]),
    ).toEqual([
      ['TX', 2, 1],
      ['YD', 6, 3],
    ]);
    const admin = apiClient(
      app,
      (await loginAs(app, database, 'qx-admin', 'system_admin', ids.get('QX')!)).cookie,
    );
    const viaApi = await admin.get(`/api/org-units/${ids.get('HM')}/statistics?to=2026-11-01`);
    // `stats --json` also carries the dispute, petition and hotline figures.
    const disputesPetitions = await admin.get(
      `/api/org-units/${ids.get('HM')}/dispute-petition-statistics?to=2026-11-01`,
    );
    // The CLI's JSON carries the casework figures too; they have their own routes.
    const { visits, mustVisits, pairings, assistance, ...others } = stats;
    expect({ ...viaApi.body, ...disputesPetitions.body }).toEqual(others);
    const casework = await admin.get(`/api/casework/statistics?orgUnitId=${ids.get('HM')}&to=2026-11-01`);
    expect(casework.body).toEqual({ visits, mustVisits, pairings, assistance });
  });

  it('does not show a community worker the figures of a neighbouring community', async () => {
    const { status } = await api.get(`/api/org-units/${ids.get('TX')}/statistics`);
    expect(status).toBe(404);
  });

  it('answers figures asked again with every change since, made here or by another process', async () => {
    const figures = async () => (await api.get(`/api/org-units/${ids.get('YD')}/statistics`)).body;
    const before = await figures();
    expect(await figures()).toEqual(before);
    // Another process adds a grid.
    await cli('org', 'add', '--code', 'YD-3', '--name', 'YD-3网格', '--type', 'grid', '--parent', 'YD');
    const withGrid = await figures();
    expect(withGrid.grids).toBe(before.grids + 1);
    // The server itself registers a Dongxiang resident there.
    const added = await api.post('/api/residents', {
      orgUnitId: (
        await database.db
          .selectFrom('orgUnit')
          .select('id')
          .where('code', '=', 'YD-3')
          .executeTakeFirstOrThrow()
      ).id,
      name: '马成',
      ethnicityCode: '34',
      gender: 'male',
    });
    expect(added.status).toBe(201);
    const withResident = await figures();
    expect(withResident.residents).toBe(before.residents + 1);
    expect(withResident.byEthnicity['34']).toBe((before.byEthnicity['34'] ?? 0) + 1);
    // Figures already counted are still refused outside the asker's scope.
    const txApi = apiClient(
      app,
      (await loginAs(app, database, 'tx-worker-2', 'community_worker', ids.get('TX')!)).cookie,
    );
    expect((await txApi.get(`/api/org-units/${ids.get('YD')}/statistics`)).status).toBe(404);
  });

  it('refuses bad CLI input with a Chinese message and a non-zero exit', async () => {
    expect(
      await cliFails('org', 'add', '--code', 'X1', '--name', '网格', '--type', 'grid', '--parent', 'HM'),
    ).toContain('上级组织类型不符合层级要求');
    expect(await cliFails('stats', '--org', 'NOPE', '--json')).toContain('组织编码 NOPE 不存在');
    expect(
      await cliFails('org', 'add', '--code', 'YD', '--name', '重复', '--type', 'community', '--parent', 'HM'),
    ).toContain('组织编码已存在');
  });
});
