import { beforeAll, describe, expect, it } from 'vitest';
import { localDateText } from '@shiliuzi/shared/dates';
import { loginAs, makeIdNumber, type ApiClient, useRegistryTest } from '../../../test/fixtures.ts';

const r = useRegistryTest();
/** The session cookie of a new community worker of 甲社区 (for downloads, read as raw bodies). */
const cookieOf = async (username: string) =>
  (await loginAs(r.app, r.t.database, username, 'community_worker', r.tree.communityA.id)).cookie;
let worker: ApiClient;
let gridWorker: ApiClient;
let residentA1: { id: string; name: string };
let residentB1: { id: string };

const tomorrow = () => {
  const d = new Date();
  d.setDate(d.getDate() + 1);
  return localDateText(d);
};

const intake = (orgUnitId: string, overrides: Record<string, unknown> = {}) => ({
  orgUnitId,
  intakeDate: '2026-03-02',
  source: 'survey',
  category: 'neighbour',
  isEthnicFactor: true,
  riskLevel: 'medium',
  handlingLevel: 'grid',
  summary: '楼上漏水引发邻里争执',
  parties: [{ name: '张三', ethnicityCode: '01' }],
  ...overrides,
});

beforeAll(async () => {
  worker = await r.signIn('dispute-worker', 'community_worker', r.tree.communityA.id);
  gridWorker = await r.signIn('dispute-grid', 'grid_worker', r.tree.gridA1.id);
  const admin = await r.signIn('dispute-admin', 'system_admin', r.tree.district.id);
  residentA1 = (
    await worker.post('/api/residents', {
      orgUnitId: r.tree.gridA1.id,
      name: '马小梅',
      ethnicityCode: '03',
      idNumber: makeIdNumber('622901', '19850505', 21),
    })
  ).body;
  residentB1 = (
    await admin.post('/api/residents', {
      orgUnitId: r.tree.gridB1.id,
      name: '乙社区居民',
      ethnicityCode: '01',
      idNumber: makeIdNumber('110101', '19800101', 31),
    })
  ).body;
});

describe('disputes', () => {
  it('records a dispute with a registered and a free-text party, their ethnicities and a timeline', async () => {
    const created = await worker.post(
      '/api/disputes',
      intake(r.tree.gridA1.id, {
        parties: [{ residentId: residentA1.id }, { name: '外来商户李四', ethnicityCode: '05' }],
      }),
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      outcome: 'ongoing',
      closedOn: null,
      isEthnicFactor: true,
      parties: [
        { residentId: residentA1.id, name: '马小梅', ethnicityCode: '03' },
        { residentId: null, name: '外来商户李四', ethnicityCode: '05' },
      ],
    });
    const id = created.body.id;

    const step = await worker.post(`/api/disputes/${id}/steps`, {
      version: created.body.version,
      stepDate: '2026-03-03',
      notes: '网格员上门了解情况，组织双方协商',
      handledBy: '王网格员',
    });
    expect(step.status).toBe(201);
    const second = await worker.post(`/api/disputes/${id}/steps`, {
      version: step.body.version,
      stepDate: '2026-03-05',
      notes: '物业维修完毕，双方达成一致',
    });
    expect(second.body.steps.map((s: { stepDate: string }) => s.stepDate)).toEqual([
      '2026-03-03',
      '2026-03-05',
    ]);

    const resolved = await worker.patch(`/api/disputes/${id}`, {
      version: second.body.version,
      outcome: 'resolved',
      closedOn: '2026-03-05',
      followUp: '一周后回访，关系融洽',
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ outcome: 'resolved', closedOn: '2026-03-05' });

    const history = await worker.get(`/api/disputes/${id}/history`);
    expect(history.body.map((h: { action: string }) => h.action)).toEqual([
      'update',
      'update',
      'update',
      'create',
    ]);
    expect(history.body[0].after).toMatchObject({ outcome: 'resolved', closedOn: '2026-03-05' });
    expect(history.body[1].after.mediationStep.notes).toBe('物业维修完毕，双方达成一致');

    const stale = await worker.post(`/api/disputes/${id}/steps`, {
      version: second.body.version,
      stepDate: '2026-03-06',
      notes: '旧版本',
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('stale_version');
  });

  it('finds disputes by filters and by a party’s name, server side and paged', async () => {
    await worker.post(
      '/api/disputes',
      intake(r.tree.gridA2.id, {
        category: 'labour',
        handlingLevel: 'community',
        riskLevel: 'high',
        isEthnicFactor: false,
        parties: [{ name: '赵老板' }],
        summary: '拖欠工资',
      }),
    );
    const byName = await worker.get(`/api/disputes?q=${encodeURIComponent('李四')}`);
    expect(byName.body.items).toHaveLength(1);
    expect(byName.body.items[0].parties[1].name).toBe('外来商户李四');
    const bySummary = await worker.get(`/api/disputes?q=${encodeURIComponent('漏水')}`);
    expect(bySummary.body.total).toBe(1);
    const labour = await worker.get('/api/disputes?category=labour&handlingLevel=community&riskLevel=high');
    expect(labour.body.items.map((d: { parties: { name: string }[] }) => d.parties[0]!.name)).toEqual([
      '赵老板',
    ]);
    const resolved = await worker.get('/api/disputes?outcome=resolved');
    expect(resolved.body.total).toBe(1);
    const paged = await worker.get('/api/disputes?pageSize=1&page=2');
    expect(paged.body).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(paged.body.items).toHaveLength(1);
  });

  it('shows a grid worker only the disputes of his grid', async () => {
    const own = await gridWorker.post('/api/disputes', intake(r.tree.gridA1.id, { summary: '网格内纠纷' }));
    expect(own.status).toBe(201);
    const listed = await gridWorker.get('/api/disputes?pageSize=200');
    expect(listed.body.items.map((d: { orgUnitId: string }) => d.orgUnitId)).toEqual(
      listed.body.items.map(() => r.tree.gridA1.id),
    );
    expect(listed.body.total).toBe(2);
    const other = (await worker.get(`/api/disputes?category=labour`)).body.items[0];
    expect((await gridWorker.get(`/api/disputes/${other.id}`)).status).toBe(404);
    const elsewhere = await gridWorker.post('/api/disputes', intake(r.tree.gridA2.id));
    expect(elsewhere.status).toBe(404);
  });

  it('refuses a party outside the scope, a date in the future and a step before the intake, writing nothing', async () => {
    const before = (await worker.get('/api/disputes?pageSize=200')).body.total;
    const foreign = await worker.post(
      '/api/disputes',
      intake(r.tree.gridA1.id, { parties: [{ residentId: residentB1.id }] }),
    );
    expect(foreign.status).toBe(400);
    expect(foreign.body.error).toMatchObject({ code: 'dispute_party_not_found' });
    expect(foreign.body.error.message).toMatch(/当事人/);

    const future = await worker.post('/api/disputes', intake(r.tree.gridA1.id, { intakeDate: tomorrow() }));
    expect(future.status).toBe(400);
    expect(future.body.error).toMatchObject({
      code: 'date_in_future',
      message: expect.stringContaining('不能晚于今天'),
    });

    const both = await worker.post(
      '/api/disputes',
      intake(r.tree.gridA1.id, { parties: [{ residentId: residentA1.id, name: '两者都填' }] }),
    );
    expect(both.body.error.code).toBe('dispute_party_invalid');
    const none = await worker.post('/api/disputes', intake(r.tree.gridA1.id, { parties: [] }));
    expect(none.status).toBe(400);
    expect((await worker.get('/api/disputes?pageSize=200')).body.total).toBe(before);

    const d = (await worker.get('/api/disputes?q=' + encodeURIComponent('漏水'))).body.items[0];
    const early = await worker.post(`/api/disputes/${d.id}/steps`, {
      version: d.version,
      stepDate: '2026-03-01',
      notes: '早于受理',
    });
    expect(early.status).toBe(400);
    expect(early.body.error.code).toBe('date_before_intake');
    expect((await worker.get(`/api/disputes/${d.id}`)).body.steps).toHaveLength(2);
  });

  it('deletes softly and restores', async () => {
    const d = (await worker.get('/api/disputes?category=labour')).body.items[0];
    const deleted = await worker.delete(`/api/disputes/${d.id}?version=${d.version}`);
    expect(deleted.status).toBe(200);
    expect((await worker.get('/api/disputes?category=labour')).body.total).toBe(0);
    expect((await worker.get('/api/disputes?category=labour&includeDeleted=true')).body.total).toBe(1);
    const restored = await worker.post(`/api/disputes/${d.id}/restore`, { version: deleted.body.version });
    expect(restored.body.deletedAt).toBeNull();
  });

  it('exports the register with parties and their ethnicities, formulas neutralised, only in scope', async () => {
    await worker.post(
      '/api/disputes',
      intake(r.tree.gridA1.id, {
        summary: '=HYPERLINK("http://x")',
        parties: [{ residentId: residentA1.id }],
      }),
    );
    const app = r.app;
    const csv = await app.inject({
      method: 'GET',
      url: `/api/disputes/export?orgUnitId=${r.tree.communityA.id}&format=csv`,
      headers: { cookie: await cookieOf('dispute-export') },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('马小梅（回族）');
    expect(csv.body).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv.body).toContain('已化解');
    const xlsx = await app.inject({
      method: 'GET',
      url: `/api/disputes/export?orgUnitId=${r.tree.communityA.id}`,
      headers: { cookie: await cookieOf('dispute-export-2') },
    });
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const foreign = await app.inject({
      method: 'GET',
      url: `/api/disputes/export?orgUnitId=${r.tree.communityB.id}&format=csv`,
      headers: { cookie: await cookieOf('dispute-export-3') },
    });
    expect(foreign.statusCode).toBe(404);
  });
});
