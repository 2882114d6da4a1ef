import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '@shiliuzi/shared/casework-visits';
import { localDateText } from '@shiliuzi/shared/dates';
import {
  loginAs,
  makeIdNumber,
  type ApiClient,
  type TestTree,
  useRegistryTest,
} from '../../../test/fixtures.ts';

const registry = useRegistryTest();

let tree: TestTree;
let worker: ApiClient; // community worker of community A
let gridWorker: ApiClient; // grid worker of grid A1
let cadre: ApiClient; // a second community worker of A, paired with households
let ids: { worker: string; gridWorker: string; cadre: string };
const today = localDateText();

async function idOf(client: ApiClient): Promise<string> {
  return (await client.get('/api/auth/me')).body.id;
}

async function addResident(
  client: ApiClient,
  orgUnitId: string,
  name: string,
  seq: number,
  extra: Record<string, unknown> = {},
) {
  const answer = await client.post('/api/residents', {
    orgUnitId,
    name,
    ethnicityCode: '03',
    idNumber: makeIdNumber('622901', '19600101', seq),
    residenceType: 'permanent',
    ...extra,
  });
  expect(answer.status).toBe(201);
  return answer.body as { id: string; householdId: string | null };
}

beforeAll(async () => {
  tree = registry.tree;
  worker = await registry.signIn('visit-worker', 'community_worker', tree.communityA.id);
  gridWorker = await registry.signIn('visit-grid-a1', 'grid_worker', tree.gridA1.id);
  cadre = await registry.signIn('visit-cadre', 'community_worker', tree.communityA.id);
  ids = { worker: await idOf(worker), gridWorker: await idOf(gridWorker), cadre: await idOf(cadre) };
});

describe('visits', () => {
  it('records a visit with visitors, people and households visited, and money in fen', async () => {
    const household = (
      await worker.post('/api/households', { orgUnitId: tree.gridA1.id, householdNumber: 'V-1' })
    ).body;
    const resident = await addResident(worker, tree.gridA1.id, '马慰问', 101, {
      householdId: household.id,
      relationToHead: 'head',
    });
    const created = await worker.post('/api/visits', {
      orgUnitId: tree.gridA1.id,
      visitedOn: addDays(today, -2),
      purpose: 'festival',
      visitorIds: [ids.worker, ids.gridWorker],
      residentIds: [resident.id],
      householdIds: [household.id],
      gifts: '米、油',
      amountFen: 50000,
      fundSource: 'charity_one_yuan',
      location: '甲社区一号楼',
      notes: '古尔邦节慰问',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      purpose: 'festival',
      amountFen: 50000,
      fundSource: 'charity_one_yuan',
      residents: [{ id: resident.id, name: '马慰问' }],
      households: [{ id: household.id, label: 'V-1' }],
    });
    expect(created.body.visitors.map((v: { id: string }) => v.id).sort()).toEqual(
      [ids.worker, ids.gridWorker].sort(),
    );

    // Found by the name of the person visited, by purpose and by period; not by another purpose.
    const byName = await worker.get(`/api/visits?q=${encodeURIComponent('马慰问')}`);
    expect(byName.body.items.map((v: { id: string }) => v.id)).toEqual([created.body.id]);
    const byPurpose = await worker.get(`/api/visits?purpose=festival&from=${addDays(today, -3)}&to=${today}`);
    expect(byPurpose.body.total).toBe(1);
    expect((await worker.get('/api/visits?purpose=routine')).body.total).toBe(0);

    const patched = await worker.patch(`/api/visits/${created.body.id}`, {
      version: 1,
      notes: '开斋节慰问',
      householdIds: [],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ version: 2, notes: '开斋节慰问', households: [] });
    const stale = await worker.patch(`/api/visits/${created.body.id}`, { version: 1, notes: 'x' });
    expect(stale.status).toBe(409);

    const history = await worker.get(`/api/visits/${created.body.id}/history`);
    expect(history.body.map((h: { action: string }) => h.action)).toEqual(['update', 'create']);
    expect(history.body[0].after).toMatchObject({ notes: '开斋节慰问', households: [] });

    const deleted = await worker.delete(`/api/visits/${created.body.id}?version=2`);
    expect(deleted.status).toBe(200);
    expect((await worker.get('/api/visits?purpose=festival')).body.total).toBe(0);
    const restored = await worker.post(`/api/visits/${created.body.id}/restore`, { version: 3 });
    expect(restored.status).toBe(200);
    expect((await worker.get('/api/visits?purpose=festival')).body.total).toBe(1);
  });

  it('refuses a visit dated in the future, a negative amount, money without its source and a resident outside the scope', async () => {
    const inB = await addResident(worker, tree.gridA2.id, '李界外', 102);
    const base = { orgUnitId: tree.gridA1.id, visitedOn: today, purpose: 'routine' };

    const future = await worker.post('/api/visits', { ...base, visitedOn: addDays(today, 1) });
    expect(future.status).toBe(400);
    expect(future.body.error).toMatchObject({
      code: 'visit_date_in_future',
      message: '走访日期不能晚于今天',
    });

    const negative = await worker.post('/api/visits', {
      ...base,
      amountFen: -100,
      fundSource: 'street_budget',
    });
    expect(negative.status).toBe(400);
    expect(negative.body.error.message).toContain('金额');

    const fractional = await worker.post('/api/visits', {
      ...base,
      amountFen: 10.5,
      fundSource: 'street_budget',
    });
    expect(fractional.status).toBe(400);

    const noSource = await worker.post('/api/visits', { ...base, amountFen: 20000 });
    expect(noSource.status).toBe(400);
    expect(noSource.body.error.code).toBe('fund_source_required');

    // The grid worker of A1 cannot name a resident of grid A2 …
    const outside = await gridWorker.post('/api/visits', { ...base, residentIds: [inB.id] });
    expect(outside.status).toBe(404);
    expect(outside.body.error.code).toBe('resident_not_found');
    // … nor can anyone record, on grid A1, a resident of another grid.
    const otherGrid = await worker.post('/api/visits', { ...base, residentIds: [inB.id] });
    expect(otherGrid.status).toBe(404);

    const written = await registry.t.database.db
      .selectFrom('visit')
      .select('id')
      .where('visitedOn', '=', today)
      .where('purpose', '=', 'routine')
      .execute();
    expect(written).toEqual([]);
  });

  it('shows a grid worker only the visits of his grid', async () => {
    const mine = await gridWorker.post('/api/visits', {
      orgUnitId: tree.gridA1.id,
      visitedOn: today,
      purpose: 'special',
      notes: '网格一走访',
    });
    expect(mine.status).toBe(201);
    const theirs = await worker.post('/api/visits', {
      orgUnitId: tree.gridA2.id,
      visitedOn: today,
      purpose: 'special',
      notes: '网格二走访',
    });
    expect(theirs.status).toBe(201);
    const listed = await gridWorker.get('/api/visits?purpose=special');
    expect(listed.body.items.map((v: { id: string }) => v.id)).toEqual([mine.body.id]);
    expect((await gridWorker.get(`/api/visits/${theirs.body.id}`)).status).toBe(404);
    expect((await gridWorker.patch(`/api/visits/${theirs.body.id}`, { version: 1, notes: 'x' })).status).toBe(
      404,
    );
    const all = await worker.get('/api/visits?purpose=special');
    expect(all.body.total).toBe(2);
  });
});

describe('the four must-visits', () => {
  it('assigns the paired cadre, else the grid worker, due after the configured days; a matching visit closes it; late is overdue', async () => {
    // Community A waits 2 days for a hospitalised resident; the default (3) stays for hardship.
    const refused = await gridWorker.post('/api/must-visits/rules', {
      orgUnitId: tree.gridA1.id,
      kind: 'hospitalised',
      dueDays: 1,
    });
    expect(refused.status).toBe(403);
    const rules = await worker.post('/api/must-visits/rules', {
      orgUnitId: tree.communityA.id,
      kind: 'hospitalised',
      dueDays: 2,
    });
    expect(rules.status).toBe(200);
    const effective = await worker.get(`/api/must-visits/rules?orgUnitId=${tree.gridA1.id}`);
    expect(effective.body).toEqual(
      expect.arrayContaining([
        { kind: 'hospitalised', dueDays: 2, setOnOrgUnitId: tree.communityA.id },
        { kind: 'hardship', dueDays: 3, setOnOrgUnitId: null },
      ]),
    );

    const household = (
      await worker.post('/api/households', { orgUnitId: tree.gridA1.id, householdNumber: 'M-1' })
    ).body;
    const paired = await addResident(worker, tree.gridA1.id, '马住院', 103, {
      householdId: household.id,
      relationToHead: 'head',
    });
    const unpaired = await addResident(worker, tree.gridA1.id, '白困难', 104);
    const pairing = await worker.post('/api/pairings', {
      householdId: household.id,
      cadreId: ids.cadre,
      startedOn: addDays(today, -100),
      frequencyDays: 30,
    });
    expect(pairing.status).toBe(201);

    const event = await worker.post('/api/must-visits', {
      residentId: paired.id,
      kind: 'hospitalised',
      eventOn: addDays(today, -1),
      note: '因病住院',
    });
    expect(event.status).toBe(201);
    expect(event.body).toMatchObject({
      assigneeId: ids.cadre,
      assignedByPairing: true,
      dueOn: addDays(today, 1),
      state: 'open',
    });
    const other = await worker.post('/api/must-visits', {
      residentId: unpaired.id,
      kind: 'hardship',
      eventOn: addDays(today, -5),
    });
    expect(other.body).toMatchObject({
      assigneeId: ids.gridWorker,
      assignedByPairing: false,
      dueOn: addDays(today, -2),
      state: 'overdue',
    });

    // The grid worker's own list: the overdue task is his; the cadre's task is not.
    const mine = await gridWorker.get('/api/must-visits?mine=true&state=pending');
    expect(mine.body.items.map((t: { id: string }) => t.id)).toEqual([other.body.id]);
    const overdueByWorker = await worker.get(`/api/must-visits/overdue?by=assignee`);
    expect(overdueByWorker.body).toEqual([{ id: ids.gridWorker, name: 'visit-grid-a1', overdue: 1 }]);
    const overdueByUnit = await worker.get(
      `/api/must-visits/overdue?by=orgUnit&orgUnitId=${tree.communityA.id}`,
    );
    expect(overdueByUnit.body).toEqual([{ id: tree.gridA1.id, name: tree.gridA1.name, overdue: 1 }]);

    // A routine visit, or one before the event, does not close it; a hospital visit does.
    await cadre.post('/api/visits', {
      orgUnitId: tree.gridA1.id,
      visitedOn: today,
      purpose: 'routine',
      residentIds: [paired.id],
    });
    await cadre.post('/api/visits', {
      orgUnitId: tree.gridA1.id,
      visitedOn: addDays(today, -3),
      purpose: 'hospitalised',
      residentIds: [paired.id],
    });
    expect((await worker.get(`/api/must-visits/${event.body.id}`)).body.state).toBe('open');
    const visit = await cadre.post('/api/visits', {
      orgUnitId: tree.gridA1.id,
      visitedOn: today,
      purpose: 'hospitalised',
      householdIds: [household.id],
    });
    const closed = (await worker.get(`/api/must-visits/${event.body.id}`)).body;
    expect(closed).toMatchObject({ state: 'done', visitId: visit.body.id, doneOn: today });

    // The late one closes too, and is no longer overdue; deleting its visit opens it again.
    const late = await gridWorker.post('/api/visits', {
      orgUnitId: tree.gridA1.id,
      visitedOn: today,
      purpose: 'hardship',
      residentIds: [unpaired.id],
    });
    expect((await worker.get(`/api/must-visits/${other.body.id}`)).body.state).toBe('done');
    expect((await worker.get('/api/must-visits/overdue?by=assignee')).body).toEqual([]);
    await gridWorker.delete(`/api/visits/${late.body.id}?version=1`);
    expect((await worker.get(`/api/must-visits/${other.body.id}`)).body).toMatchObject({
      state: 'overdue',
      visitId: null,
    });
    const history = await worker.get(`/api/must-visits/${other.body.id}/history`);
    expect(history.body.map((h: { action: string }) => h.action)).toEqual(['update', 'update', 'create']);
  });

  it('refuses an event in the future and a resident outside the scope', async () => {
    const resident = await addResident(worker, tree.gridA2.id, '未来事件', 105);
    const future = await worker.post('/api/must-visits', {
      residentId: resident.id,
      kind: 'dispute',
      eventOn: addDays(today, 2),
    });
    expect(future.status).toBe(400);
    expect(future.body.error.code).toBe('event_date_in_future');
    const outside = await gridWorker.post('/api/must-visits', {
      residentId: resident.id,
      kind: 'dispute',
      eventOn: today,
    });
    expect(outside.status).toBe(404);
  });
});

describe('pairing', () => {
  it('tells who was responsible for a household on a date, and refuses overlaps', async () => {
    const household = (
      await worker.post('/api/households', { orgUnitId: tree.gridA2.id, householdNumber: 'P-1' })
    ).body;
    const first = await worker.post('/api/pairings', {
      householdId: household.id,
      cadreId: ids.worker,
      startedOn: '2025-01-01',
      endedOn: '2025-06-30',
      frequencyDays: 30,
    });
    expect(first.status).toBe(201);
    const overlap = await worker.post('/api/pairings', {
      householdId: household.id,
      cadreId: ids.cadre,
      startedOn: '2025-06-01',
      frequencyDays: 30,
    });
    expect(overlap.status).toBe(409);
    expect(overlap.body.error.code).toBe('pairing_overlaps');
    const backwards = await worker.post('/api/pairings', {
      householdId: household.id,
      cadreId: ids.cadre,
      startedOn: '2025-09-01',
      endedOn: '2025-08-01',
      frequencyDays: 30,
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.code).toBe('pairing_end_before_start');
    const second = await worker.post('/api/pairings', {
      householdId: household.id,
      cadreId: ids.cadre,
      startedOn: '2025-07-01',
      frequencyDays: 60,
    });
    expect(second.status).toBe(201);

    const on = async (date: string) =>
      (await worker.get(`/api/pairings?householdId=${household.id}&activeOn=${date}`)).body.items.map(
        (p: { cadreId: string }) => p.cadreId,
      );
    expect(await on('2024-12-31')).toEqual([]);
    expect(await on('2025-03-15')).toEqual([ids.worker]);
    expect(await on('2025-06-30')).toEqual([ids.worker]);
    expect(await on('2025-07-01')).toEqual([ids.cadre]);
    expect(await on(today)).toEqual([ids.cadre]);

    // Due for contact: never contacted since 2025-07-01 with a 60-day frequency.
    expect(second.body.contactDueOn).toBe('2025-08-30');
    const due = await cadre.get(`/api/pairings?mine=true&contactDueBy=${today}`);
    expect(due.body.items.map((p: { id: string }) => p.id)).toContain(second.body.id);
    // A visit by the cadre to a member of the household is a contact.
    const member = await addResident(worker, tree.gridA2.id, '联系户成员', 106, {
      householdId: household.id,
      relationToHead: 'head',
    });
    await cadre.post('/api/visits', {
      orgUnitId: tree.gridA2.id,
      visitedOn: today,
      purpose: 'routine',
      residentIds: [member.id],
    });
    const after = (await cadre.get(`/api/pairings/${second.body.id}`)).body;
    expect(after).toMatchObject({ lastContactOn: today, contactDueOn: addDays(today, 60) });
    const dueNow = await cadre.get(`/api/pairings?mine=true&contactDueBy=${today}`);
    expect(dueNow.body.items.map((p: { id: string }) => p.id)).not.toContain(second.body.id);

    // Ending the pairing is kept in its history.
    const ended = await worker.patch(`/api/pairings/${second.body.id}`, { version: 1, endedOn: today });
    expect(ended.status).toBe(200);
    const history = await worker.get(`/api/pairings/${second.body.id}/history`);
    expect(history.body[0]).toMatchObject({
      action: 'update',
      before: { endedOn: null },
      after: { endedOn: today },
    });
  });
});

describe('visitor and cadre pickers', () => {
  it('offers the users of the caller’s subtree, searched by name, and nobody else', async () => {
    const everyone = await worker.get('/api/users/pickable');
    expect(everyone.status).toBe(200);
    const names = everyone.body.map((u: { name: string }) => u.name);
    expect(names).toEqual(expect.arrayContaining(['visit-worker', 'visit-grid-a1', 'visit-cadre']));
    expect(everyone.body.find((u: { id: string }) => u.id === ids.gridWorker)).toMatchObject({
      orgUnitName: tree.gridA1.name,
    });

    const searched = await worker.get(`/api/users/pickable?q=${encodeURIComponent('CADRE')}`);
    expect(searched.body.map((u: { id: string }) => u.id)).toEqual([ids.cadre]);
    const ofGrid = await worker.get(`/api/users/pickable?orgUnitId=${tree.gridA1.id}`);
    expect(ofGrid.body.map((u: { id: string }) => u.id)).toEqual([ids.gridWorker]);

    // A grid worker sees only his grid; a community of another branch is out of reach.
    const fromGrid = await gridWorker.get('/api/users/pickable');
    expect(fromGrid.body.map((u: { id: string }) => u.id)).toEqual([ids.gridWorker]);
    const outside = await gridWorker.get(`/api/users/pickable?orgUnitId=${tree.communityB.id}`);
    expect(outside.status).toBe(404);

    // A read-only user names nobody on a record, so he is not offered the list.
    const viewer = await registry.signIn('visit-viewer', 'viewer', tree.communityA.id);
    expect((await viewer.get('/api/users/pickable')).status).toBe(403);
  });

  it('records the visitors and the paired cadre chosen in the pickers', async () => {
    const household = (
      await worker.post('/api/households', { orgUnitId: tree.gridA1.id, householdNumber: 'PK-1' })
    ).body;
    const visit = await worker.post('/api/visits', {
      orgUnitId: tree.gridA1.id,
      visitedOn: today,
      purpose: 'routine',
      visitorIds: [ids.cadre, ids.gridWorker],
      householdIds: [household.id],
    });
    expect(visit.status).toBe(201);
    expect(visit.body.visitors.map((u: { id: string }) => u.id).sort()).toEqual(
      [ids.cadre, ids.gridWorker].sort(),
    );
    const pairing = await worker.post('/api/pairings', {
      householdId: household.id,
      cadreId: ids.gridWorker,
      startedOn: today,
      frequencyDays: 30,
    });
    expect(pairing.status).toBe(201);
    expect(pairing.body).toMatchObject({ cadreId: ids.gridWorker, cadreName: 'visit-grid-a1' });
  });
});

describe('assistance', () => {
  it('records applications, lets a community worker approve them, and totals them per source', async () => {
    const resident = await addResident(worker, tree.gridA1.id, '帮困对象', 107);
    const apply = (amountFen: number, fundSource: string, kind = 'cash') =>
      gridWorker.post('/api/assistance', {
        orgUnitId: tree.gridA1.id,
        residentId: resident.id,
        kind,
        amountFen,
        fundSource,
        appliedOn: addDays(today, -3),
        description: '生活困难',
      });
    const negative = await apply(-1, 'street_budget');
    expect(negative.status).toBe(400);
    const a = await apply(32200, 'street_budget', 'housing_subsidy');
    const b = await apply(50000, 'charity_one_yuan');
    const c = await apply(10000, 'charity_one_yuan', 'goods');
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    expect(a.body).toMatchObject({ status: 'pending', decidedBy: null, residentName: '帮困对象' });

    // A grid worker records, a community worker decides.
    const byGrid = await gridWorker.post(`/api/assistance/${a.body.id}/decision`, {
      version: 1,
      decision: 'approved',
      decidedOn: today,
    });
    expect(byGrid.status).toBe(403);
    const approved = await worker.post(`/api/assistance/${a.body.id}/decision`, {
      version: 1,
      decision: 'approved',
      decidedOn: today,
    });
    expect(approved.body).toMatchObject({
      status: 'approved',
      decidedBy: ids.worker,
      decidedByName: 'visit-worker',
      decidedOn: today,
    });
    const again = await worker.post(`/api/assistance/${a.body.id}/decision`, {
      version: 2,
      decision: 'rejected',
      decidedOn: today,
    });
    expect(again.status).toBe(409);
    await worker.post(`/api/assistance/${b.body.id}/decision`, {
      version: 1,
      decision: 'approved',
      decidedOn: today,
    });
    await worker.post(`/api/assistance/${c.body.id}/decision`, {
      version: 1,
      decision: 'rejected',
      decidedOn: today,
    });

    const totals = await worker.get(`/api/assistance/totals?status=approved&from=${addDays(today, -30)}`);
    expect(totals.body).toEqual({
      count: 2,
      amountFen: 82200,
      bySource: {
        street_budget: { count: 1, amountFen: 32200 },
        charity_one_yuan: { count: 1, amountFen: 50000 },
      },
    });
    const listed = await gridWorker.get(
      `/api/assistance?q=${encodeURIComponent('帮困')}&sort=amountFen&order=desc`,
    );
    expect(listed.body.items.map((x: { amountFen: number }) => x.amountFen)).toEqual([50000, 32200, 10000]);
  });
});

describe('registers', () => {
  it('exports the visits and assistance of the subtree as text cells with formulas neutralised', async () => {
    const { cookie } = await loginAs(
      registry.app,
      registry.t.database,
      'export-worker',
      'community_worker',
      tree.communityA.id,
    );
    const resident = await addResident(worker, tree.gridA1.id, '台账对象', 108);
    await worker.post('/api/visits', {
      orgUnitId: tree.gridA1.id,
      visitedOn: today,
      purpose: 'festival',
      residentIds: [resident.id],
      amountFen: 30050,
      fundSource: 'street_budget',
      notes: '=HYPERLINK("http://x")',
    });
    await worker.post('/api/assistance', {
      orgUnitId: tree.gridA1.id,
      residentId: resident.id,
      kind: 'goods',
      amountFen: 12345,
      fundSource: 'charity_one_yuan',
      appliedOn: today,
      description: '+冬季物资',
    });
    const get = (url: string) => registry.app.inject({ method: 'GET', url, headers: { cookie } });

    const visits = await get(
      `/api/visits/export?orgUnitId=${tree.communityA.id}&format=csv&purpose=festival`,
    );
    expect(visits.statusCode).toBe(200);
    expect(visits.headers['content-type']).toContain('text/csv');
    const lines = visits.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toContain('"走访日期","走访事由"');
    const row = lines.find((line) => line.includes('台账对象'))!;
    expect(row).toContain(`"${today}","节日慰问"`);
    expect(row).toContain('"300.50","街道经费"');
    expect(row).toContain(`"'=HYPERLINK(""http://x"")"`);

    const assistance = await get(
      `/api/assistance/export?orgUnitId=${tree.communityA.id}&format=csv&q=${encodeURIComponent('冬季')}`,
    );
    const assistanceLines = assistance.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(assistanceLines).toHaveLength(2);
    expect(assistanceLines[1]).toBe(
      `1,"台账对象","物资","123.45","爱心一元捐","${today}","待审批",,,"'+冬季物资"`,
    );

    const xlsx = await get(`/api/visits/export?orgUnitId=${tree.communityA.id}`);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    expect(decodeURIComponent(String(xlsx.headers['content-disposition']))).toContain('走访慰问台账');

    // The grid worker of A1 gets no register of community A, nor of grid A2.
    const grid = await gridWorker.get(`/api/visits/export?orgUnitId=${tree.gridA2.id}&format=csv`);
    expect(grid.status).toBe(404);
  });
});
