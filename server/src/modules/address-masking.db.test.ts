import { parse as parseCsv } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiClient, loginAs, makeIdNumber, useRegistryTest, type ApiClient } from '../../test/fixtures.ts';
import { registerColumns } from './exports/register-layouts.ts';

/*
 * Exact addresses (entrance and room) are masked in every list, detail, search, history and export
 * unless revealed: one value at a time, with a reason, by a role that may reveal, and audited.
 * The place tree shows dwelling labels to those who manage places.
 */

const r = useRegistryTest();
let worker: ApiClient;
let viewer: ApiClient;
/** The cookie of each client, for the raw downloads. */
const cookies = new Map<ApiClient, string>();

/** What must never reach a reader who has not revealed it: the entrance and the room. */
const DOOR = /2单元|301室|3组15号/;
const fullAddress = '羌兴苑一期1栋2单元301室';
const maskedAddress = '羌兴苑一期1栋*单元***室';
const originAddress = '汶川县威州镇布瓦村3组15号';

const ids = {} as {
  estate: string;
  building: string;
  entrance: string;
  dwelling: string;
  household: string;
  looseHousehold: string;
  head: string;
  pairing: string;
};

beforeAll(async () => {
  const { tree } = r;
  for (const [username, role] of [
    ['addr-worker', 'community_worker'],
    ['addr-viewer', 'viewer'],
  ] as const) {
    const { cookie } = await loginAs(r.app, r.t.database, username, role, tree.communityA.id);
    const client = apiClient(r.app, cookie);
    cookies.set(client, cookie);
    if (role === 'viewer') viewer = client;
    else worker = client;
  }
  const place = async (body: Record<string, unknown>) => {
    const answer = await worker.post('/api/places', body);
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body.id as string;
  };
  ids.estate = await place({ orgUnitId: tree.communityA.id, kind: 'estate', name: '羌兴苑一期' });
  ids.building = await place({
    orgUnitId: tree.gridA1.id,
    kind: 'building',
    name: '1栋',
    parentId: ids.estate,
  });
  ids.entrance = await place({
    orgUnitId: tree.gridA1.id,
    kind: 'entrance',
    name: '2单元',
    parentId: ids.building,
  });
  ids.dwelling = await place({
    orgUnitId: tree.gridA1.id,
    kind: 'dwelling',
    name: '301室',
    parentId: ids.entrance,
  });
  const household = await worker.post('/api/households', {
    orgUnitId: tree.gridA1.id,
    dwellingId: ids.dwelling,
    address: fullAddress,
  });
  expect(household.status).toBe(201);
  // A write answers the address masked too.
  expect(household.body.address).toBe(maskedAddress);
  ids.household = household.body.id;
  ids.looseHousehold = (
    await worker.post('/api/households', { orgUnitId: tree.gridA2.id, address: '清真寺巷12号' })
  ).body.id;
  const head = await worker.post('/api/residents', {
    orgUnitId: tree.gridA1.id,
    name: '羌门户',
    ethnicityCode: '33',
    idNumber: makeIdNumber('513221', '19860606', 17),
    householdId: ids.household,
    relationToHead: 'head',
    residenceType: 'floating',
    floating: { arrivalDate: '2026-01-10', originAddress, reason: 'work' },
  });
  expect(head.status, JSON.stringify(head.body)).toBe(201);
  expect(head.body.floating.originAddress).toBe('汶川县威州镇布瓦村*组**号');
  ids.head = head.body.id;
  const me = (await worker.get('/api/auth/me')).body;
  const pairing = await worker.post('/api/pairings', {
    householdId: ids.household,
    cadreId: me.id,
    startedOn: '2026-01-01',
    frequencyDays: 30,
  });
  expect(pairing.status, JSON.stringify(pairing.body)).toBe(201);
  ids.pairing = pairing.body.id;
});

async function auditRows(action: string) {
  return r.t.database.db
    .selectFrom('auditLog')
    .selectAll()
    .where('action', '=', action)
    .orderBy('seq')
    .execute();
}

async function csvOf(client: ApiClient, register: 'residents' | 'floating' | 'dwellings', reveal = false) {
  const answer = await r.app.inject({
    url: `/api/exports/${register}?orgUnitId=${r.tree.communityA.id}&format=csv${reveal ? '&reveal=true' : ''}`,
    headers: { cookie: cookies.get(client)! },
  });
  return { status: answer.statusCode, text: answer.body };
}

describe('exact addresses for a role without the reveal right', () => {
  it('are masked in the resident detail, the household list and detail, the pairing and every history', async () => {
    const detail = await viewer.get(`/api/residents/${ids.head}`);
    expect(detail.status).toBe(200);
    expect(detail.body.address).toBe(maskedAddress);
    expect(detail.body.floating.originAddress).toBe('汶川县威州镇布瓦村*组**号');

    const list = await viewer.get(`/api/households?orgUnitId=${r.tree.communityA.id}&pageSize=50`);
    const mine = list.body.items.find((h: { id: string }) => h.id === ids.household);
    expect(mine).toMatchObject({ address: maskedAddress, dwellingAddress: maskedAddress });
    const loose = list.body.items.find((h: { id: string }) => h.id === ids.looseHousehold);
    expect(loose).toMatchObject({ address: '清真寺巷**号', dwellingAddress: null });
    const household = await viewer.get(`/api/households/${ids.household}`);
    expect(household.body).toMatchObject({ address: maskedAddress, dwellingAddress: maskedAddress });

    const pairing = await viewer.get(`/api/pairings/${ids.pairing}`);
    expect(pairing.body.householdLabel).toBe(maskedAddress);

    const histories = await Promise.all([
      viewer.get(`/api/households/${ids.household}/history`),
      viewer.get(`/api/residents/${ids.head}/history`),
      viewer.get(`/api/places/${ids.dwelling}/history`),
    ]);
    expect(histories[0]!.body[0].after.address).toBe(maskedAddress);
    expect(histories[1]!.body[0].after.floating.originAddress).toBe('汶川县威州镇布瓦村*组**号');
    expect(histories[2]!.body[0].after.name).toBe('***室');

    for (const answer of [detail, list, household, pairing, ...histories]) {
      expect(answer.status).toBe(200);
      expect(JSON.stringify(answer.body)).not.toMatch(DOOR);
    }
  });

  it('are masked in the place tree, whose names and addresses the viewer cannot search by entrance or room', async () => {
    const entrances = await viewer.get(`/api/places?parentId=${ids.building}`);
    expect(entrances.body.items.map((p: { name: string }) => p.name)).toEqual(['*单元']);
    const dwellings = await viewer.get(`/api/places?parentId=${ids.entrance}`);
    expect(dwellings.body.items.map((p: { name: string }) => p.name)).toEqual(['***室']);
    const dwelling = await viewer.get(`/api/places/${ids.dwelling}`);
    expect(dwelling.body.name).toBe('***室');
    // The estate and the building stay as they are.
    const building = await viewer.get(`/api/places/${ids.building}`);
    expect(building.body.name).toBe('1栋');
    for (const answer of [entrances, dwellings, dwelling])
      expect(JSON.stringify(answer.body)).not.toMatch(DOOR);

    // A search by what the mask hides finds nothing; by what it shows, as much as anyone.
    expect((await viewer.get(`/api/places?q=301`)).body.total).toBe(0);
    expect((await viewer.get(`/api/places?q=${encodeURIComponent('2单元')}`)).body.total).toBe(0);
    expect((await viewer.get(`/api/places?q=${encodeURIComponent('1栋')}`)).body.total).toBe(1);
    expect((await viewer.get(`/api/households?q=${encodeURIComponent('2单元301')}`)).body.total).toBe(0);
    expect((await viewer.get(`/api/households?q=12`)).body.total).toBe(0);
    const byArea = await viewer.get(`/api/households?q=${encodeURIComponent('羌兴苑一期1栋')}`);
    expect(byArea.body.items.map((h: { id: string }) => h.id)).toEqual([ids.household]);
    expect((await viewer.get(`/api/pairings?q=301`)).body.total).toBe(0);
  });

  it('cannot be revealed, and are masked in every register the viewer exports', async () => {
    for (const field of ['address', 'originAddress']) {
      const answer = await viewer.post(`/api/residents/${ids.head}/reveal`, { field, reason: '核对住址' });
      expect(answer.status).toBe(403);
    }
    for (const field of ['address', 'dwellingAddress']) {
      const answer = await viewer.post(`/api/households/${ids.household}/reveal`, {
        field,
        reason: '核对住址',
      });
      expect(answer.status).toBe(403);
    }

    const residents = await csvOf(viewer, 'residents');
    expect(residents.status).toBe(200);
    const records = parseCsv(residents.text, { bom: true }) as string[][];
    const at = (header: string) => registerColumns.residents.findIndex((c) => c.header === header);
    const head = records.find((record) => record[at('姓名')] === '羌门户')!;
    expect(head[at('现住址')]).toBe(maskedAddress);
    const floating = await csvOf(viewer, 'floating');
    const dwellings = await csvOf(viewer, 'dwellings');
    const d = (header: string) => registerColumns.dwellings.findIndex((c) => c.header === header);
    const room = (parseCsv(dwellings.text, { bom: true }) as string[][]).find(
      (record) => record[d('楼栋')] === '1栋',
    )!;
    expect([room[d('小区/院落')], room[d('楼栋')], room[d('单元')], room[d('房号')]]).toEqual([
      '羌兴苑一期',
      '1栋',
      '*单元',
      '***室',
    ]);
    for (const file of [residents, floating, dwellings]) {
      expect(file.status).toBe(200);
      expect(file.text).not.toMatch(DOOR);
    }
  });
});

describe('exact addresses for a role with the reveal right', () => {
  it('are masked by default too, but the place tree names the dwellings for those who manage places', async () => {
    const detail = await worker.get(`/api/residents/${ids.head}`);
    expect(detail.body.address).toBe(maskedAddress);
    expect((await worker.get(`/api/households/${ids.household}`)).body.address).toBe(maskedAddress);
    expect((await worker.get(`/api/places/${ids.dwelling}`)).body.name).toBe('301室');
    const entrances = await worker.get(`/api/places?parentId=${ids.building}`);
    expect(entrances.body.items.map((p: { name: string }) => p.name)).toEqual(['2单元']);
    expect((await worker.get(`/api/places?q=301`)).body.total).toBe(1);
    expect((await worker.get(`/api/households?q=${encodeURIComponent('2单元301')}`)).body.total).toBe(1);
  });

  it('reveals one address with a reason and records the reveal, never the address', async () => {
    const revealed = await worker.post(`/api/residents/${ids.head}/reveal`, {
      field: 'address',
      reason: '入户走访核实身份',
    });
    expect(revealed).toEqual({ status: 200, body: { value: fullAddress } });
    const origin = await worker.post(`/api/residents/${ids.head}/reveal`, {
      field: 'originAddress',
      reason: '核对来源地',
    });
    expect(origin.body.value).toBe(originAddress);
    for (const field of ['address', 'dwellingAddress']) {
      const answer = await worker.post(`/api/households/${ids.household}/reveal`, {
        field,
        reason: '办理帮扶救助事项',
      });
      expect(answer.body.value, field).toBe(fullAddress);
    }
    // Without a reason nothing is revealed.
    const bare = await worker.post(`/api/households/${ids.household}/reveal`, { field: 'address' });
    expect(bare.status).toBe(400);

    // A reveal is written before its answer leaves; the viewer's refused ones are on record too.
    const residentReveals = await auditRows('resident.reveal');
    expect(
      residentReveals.map((row) => [row.objectId, row.reason, JSON.parse(row.detail!).field, row.result]),
    ).toEqual([
      [ids.head, 'forbidden', 'address', 'denied'],
      [ids.head, 'forbidden', 'originAddress', 'denied'],
      [ids.head, '入户走访核实身份', 'address', 'ok'],
      [ids.head, '核对来源地', 'originAddress', 'ok'],
    ]);
    const householdReveals = (await auditRows('household.reveal')).filter((row) => row.result === 'ok');
    expect(householdReveals.map((row) => [row.objectId, row.reason, JSON.parse(row.detail!).field])).toEqual([
      [ids.household, '办理帮扶救助事项', 'address'],
      [ids.household, '办理帮扶救助事项', 'dwellingAddress'],
    ]);
    // The revealed values themselves are nowhere in the log (a search keeps the words typed).
    const everything = JSON.stringify(await r.t.database.db.selectFrom('auditLog').selectAll().execute());
    expect(everything.includes(fullAddress) || everything.includes(originAddress)).toBe(false);
  });

  it('keeps the stored address when a form sends back the masked one, and stores a new one', async () => {
    const reveal = async (url: string, field: string) =>
      (await worker.post(url, { field, reason: '台账数据核对更正' })).body.value;
    const household = (await worker.get(`/api/households/${ids.household}`)).body;
    const patched = await worker.patch(`/api/households/${ids.household}`, {
      version: household.version,
      address: household.address,
      note: '核对过',
    });
    expect(patched.status).toBe(200);
    expect(await reveal(`/api/households/${ids.household}/reveal`, 'address')).toBe(fullAddress);

    const head = (await worker.get(`/api/residents/${ids.head}`)).body;
    const sentBack = await worker.patch(`/api/residents/${ids.head}`, {
      version: head.version,
      floating: { ...head.floating, landlordPhone: undefined },
    });
    expect(sentBack.status).toBe(200);
    expect(await reveal(`/api/residents/${ids.head}/reveal`, 'originAddress')).toBe(originAddress);
    const leftOut = await worker.patch(`/api/residents/${ids.head}`, {
      version: sentBack.body.version,
      floating: { arrivalDate: '2026-01-10', reason: 'trade' },
    });
    expect(leftOut.body.floating).toMatchObject({
      reason: 'trade',
      originAddress: '汶川县威州镇布瓦村*组**号',
    });
    expect(await reveal(`/api/residents/${ids.head}/reveal`, 'originAddress')).toBe(originAddress);

    const moved = await worker.patch(`/api/households/${ids.household}`, {
      version: patched.body.version,
      address: '羌兴苑一期1栋2单元302室',
    });
    expect(moved.body.address).toBe(maskedAddress);
    expect(await reveal(`/api/households/${ids.household}/reveal`, 'address')).toBe(
      '羌兴苑一期1栋2单元302室',
    );
    // The move is on record, and read masked like the address itself.
    const history = (await worker.get(`/api/households/${ids.household}/history`)).body;
    expect(history[0]).toMatchObject({
      before: { address: maskedAddress },
      after: { address: maskedAddress },
    });
    await worker.patch(`/api/households/${ids.household}`, {
      version: moved.body.version,
      address: fullAddress,
    });
  });

  it('exports whole addresses only when revealed', async () => {
    const masked = await csvOf(worker, 'residents');
    expect(masked.text).toContain(maskedAddress);
    expect(masked.text).not.toMatch(DOOR);
    const revealed = await csvOf(worker, 'residents', true);
    expect(revealed.text).toContain(fullAddress);
    const floating = await csvOf(worker, 'floating', true);
    expect(floating.text).toContain(originAddress);
    const dwellings = await csvOf(worker, 'dwellings', true);
    expect(dwellings.text).toContain('"2单元","301室"');
  });
});
