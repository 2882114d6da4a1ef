import { beforeAll, describe, expect, it } from 'vitest';
import { localDateText } from '@shiliuzi/shared/dates';
import { makeIdNumber, type ApiClient, useRegistryTest } from '../../../test/fixtures.ts';

const r = useRegistryTest();
let worker: ApiClient;
let gridWorker: ApiClient;
let workerId: string;
let foreignUserId: string;
let foreignResidentId: string;

const daysAgo = (n: number) => {
  const d = new Date();
  d.setDate(d.getDate() - n);
  return localDateText(d);
};

beforeAll(async () => {
  worker = await r.signIn('petition-worker', 'community_worker', r.tree.communityA.id);
  gridWorker = await r.signIn('petition-grid', 'grid_worker', r.tree.gridA1.id);
  const other = await r.signIn('petition-other', 'community_worker', r.tree.communityB.id);
  const ids = await r.t.database.db.selectFrom('appUser').select(['id', 'username']).execute();
  workerId = ids.find((u) => u.username === 'petition-worker')!.id;
  foreignUserId = ids.find((u) => u.username === 'petition-other')!.id;
  foreignResidentId = (
    await other.post('/api/residents', {
      orgUnitId: r.tree.gridB1.id,
      name: '乙社区来访人',
      ethnicityCode: '01',
      idNumber: makeIdNumber('110101', '19700101', 41),
    })
  ).body.id;
});

describe('petitions and hotline calls', () => {
  it('moves received → handling → done, keeps the timeline and refuses going back', async () => {
    const created = await worker.post('/api/petitions', {
      orgUnitId: r.tree.gridA1.id,
      channel: 'visit',
      receivedDate: daysAgo(10),
      requesterName: '李大爷',
      subject: '小区路灯损坏',
      assigneeId: workerId,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'received',
      assigneeName: 'petition-worker',
      responseDate: null,
      dueDate: daysAgo(-50),
      isOverdue: false,
    });
    const id = created.body.id;
    const handling = await worker.post(`/api/petitions/${id}/status`, {
      version: created.body.version,
      status: 'handling',
      notes: '已联系物业',
    });
    expect(handling.status).toBe(200);
    const done = await worker.post(`/api/petitions/${id}/status`, {
      version: handling.body.version,
      status: 'done',
      date: daysAgo(3),
    });
    expect(done.body).toMatchObject({ status: 'done', responseDate: daysAgo(3) });
    expect(done.body.events.map((e: { toStatus: string }) => e.toStatus)).toEqual([
      'received',
      'handling',
      'done',
    ]);

    const back = await worker.post(`/api/petitions/${id}/status`, {
      version: done.body.version,
      status: 'received',
    });
    expect(back.status).toBe(409);
    expect(back.body.error).toMatchObject({ code: 'petition_transition_invalid' });
    expect(back.body.error.message).toMatch(/不能/);
    const again = await worker.post(`/api/petitions/${id}/status`, {
      version: done.body.version,
      status: 'handling',
    });
    expect(again.body.error.code).toBe('petition_transition_invalid');
    expect((await worker.get(`/api/petitions/${id}`)).body.status).toBe('done');
  });

  it('takes the due date from the SLA set for the unit or above, and lists what is overdue', async () => {
    const sla = await worker.post('/api/petitions/sla', {
      orgUnitId: r.tree.communityA.id,
      channel: 'hotline',
      days: 2,
    });
    expect(sla.status).toBe(200);
    expect(sla.body).toMatchObject({ days: { hotline: 2, visit: 60 }, own: ['hotline'] });
    const inGrid = await worker.get(`/api/petitions/sla?orgUnitId=${r.tree.gridA1.id}`);
    expect(inGrid.body).toMatchObject({ days: { hotline: 2 }, own: [] });

    const late = await worker.post('/api/petitions', {
      orgUnitId: r.tree.gridA1.id,
      channel: 'hotline',
      receivedDate: daysAgo(5),
      subject: '噪音扰民',
    });
    expect(late.body).toMatchObject({ dueDate: daysAgo(3), isOverdue: true, requesterName: null });
    const overdue = await worker.get('/api/petitions?overdue=true&hotline=true');
    expect(overdue.body.items.map((p: { id: string }) => p.id)).toEqual([late.body.id]);
    const onTime = await worker.post(`/api/petitions/${late.body.id}/status`, {
      version: late.body.version,
      status: 'done',
      date: daysAgo(4),
    });
    expect(onTime.body.isOverdue).toBe(false);
    expect((await worker.get('/api/petitions?overdue=true&hotline=true')).body.total).toBe(0);
  });

  it('refuses an assignee or requester outside the scope, a future date and a response before receipt', async () => {
    const base = {
      orgUnitId: r.tree.gridA1.id,
      channel: 'letter',
      receivedDate: daysAgo(1),
      subject: '来信反映',
    };
    const before = (await worker.get('/api/petitions?pageSize=200')).body.total;
    const assignee = await worker.post('/api/petitions', { ...base, assigneeId: foreignUserId });
    expect(assignee.status).toBe(400);
    expect(assignee.body.error.code).toBe('petition_assignee_not_found');
    const requester = await worker.post('/api/petitions', {
      ...base,
      requesterResidentId: foreignResidentId,
    });
    expect(requester.body.error.code).toBe('petition_requester_not_found');
    const future = await worker.post('/api/petitions', { ...base, receivedDate: daysAgo(-1) });
    expect(future.body.error.code).toBe('date_in_future');
    const notes = await worker.post('/api/petitions', { ...base, status: 'done' });
    expect(notes.status).toBe(400);
    expect((await worker.get('/api/petitions?pageSize=200')).body.total).toBe(before);

    const ok = await worker.post('/api/petitions', base);
    const early = await worker.post(`/api/petitions/${ok.body.id}/status`, {
      version: ok.body.version,
      status: 'not_accepted',
      date: daysAgo(2),
    });
    expect(early.body.error.code).toBe('date_before_intake');
  });

  it('shows a grid worker only his grid’s petitions', async () => {
    await worker.post('/api/petitions', {
      orgUnitId: r.tree.gridA2.id,
      channel: 'online',
      receivedDate: daysAgo(1),
      subject: '第二网格的网上信访',
    });
    const seen = await gridWorker.get('/api/petitions?pageSize=200');
    expect(seen.body.total).toBeGreaterThan(0);
    expect(new Set(seen.body.items.map((p: { orgUnitId: string }) => p.orgUnitId))).toEqual(
      new Set([r.tree.gridA1.id]),
    );
    const theirs = (await worker.get(`/api/petitions?q=${encodeURIComponent('第二网格')}`)).body.items[0];
    expect((await gridWorker.get(`/api/petitions/${theirs.id}`)).status).toBe(404);
    const assignees = await gridWorker.get('/api/users/pickable');
    expect(assignees.body.map((u: { name: string }) => u.name)).toEqual(['petition-grid']);
  });
});
