import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '@shiliuzi/shared/casework-visits';
import { localDateText } from '@shiliuzi/shared/dates';
import { makeIdNumber, type ApiClient, type TestTree, useRegistryTest } from '../../../test/fixtures.ts';

const registry = useRegistryTest();
const today = localDateText();

let tree: TestTree;
let worker: ApiClient; // community worker of community A: plans campaigns
let gridWorker: ApiClient; // grid worker of grid A1
let cadre: ApiClient; // community worker of A, paired with a household of grid A2
let ids: { gridWorker: string; cadre: string };
let seq = 300;

async function household(orgUnitId: string, number: string) {
  const answer = await worker.post('/api/households', { orgUnitId, householdNumber: number });
  expect(answer.status).toBe(201);
  return answer.body.id as string;
}

async function resident(
  orgUnitId: string,
  name: string,
  ethnicityCode: string,
  flags: Record<string, boolean>,
  householdId?: string,
) {
  const answer = await worker.post('/api/residents', {
    orgUnitId,
    name,
    ethnicityCode,
    idNumber: makeIdNumber('622901', '19550101', (seq += 1)),
    residenceType: 'permanent',
    flags,
    ...(householdId ? { householdId, relationToHead: 'head' } : {}),
  });
  expect(answer.status).toBe(201);
  return answer.body.id as string;
}

const target = {
  ethnicityCodes: ['03', '05'],
  minorityOnly: false,
  flags: ['hardship', 'minimumLivingAllowance'],
};
let h1: string, h3: string, r4: string, h1Head: string;

beforeAll(async () => {
  tree = registry.tree;
  worker = await registry.signIn('campaign-worker', 'community_worker', tree.communityA.id);
  gridWorker = await registry.signIn('campaign-grid', 'grid_worker', tree.gridA1.id);
  cadre = await registry.signIn('campaign-cadre', 'community_worker', tree.communityA.id);
  ids = {
    gridWorker: (await gridWorker.get('/api/auth/me')).body.id,
    cadre: (await cadre.get('/api/auth/me')).body.id,
  };
  // In the group: a Hui hardship household of A1, a Uyghur minimum-living household of A2 (paired),
  // and a Hui hardship resident of A1 without a household. Not in it: a Han hardship household and
  // a Hui household with no hardship.
  h1 = await household(tree.gridA1.id, 'C-1');
  h1Head = await resident(tree.gridA1.id, '马大爷', '03', { hardship: true }, h1);
  const h2 = await household(tree.gridA1.id, 'C-2');
  await resident(tree.gridA1.id, '张困难', '01', { hardship: true }, h2);
  h3 = await household(tree.gridA2.id, 'C-3');
  await resident(tree.gridA2.id, '艾力', '05', { minimumLivingAllowance: true }, h3);
  r4 = await resident(tree.gridA1.id, '马独居', '03', { hardship: true });
  const h5 = await household(tree.gridA1.id, 'C-5');
  await resident(tree.gridA1.id, '马平常', '03', {}, h5);
  expect(
    (
      await worker.post('/api/pairings', {
        householdId: h3,
        cadreId: ids.cadre,
        startedOn: addDays(today, -100),
        frequencyDays: 30,
      })
    ).status,
  ).toBe(201);
  // A festival visit to the head of C-1 before the campaign is planned, inside its window.
  expect(
    (
      await gridWorker.post('/api/visits', {
        orgUnitId: tree.gridA1.id,
        visitedOn: addDays(today, -2),
        purpose: 'festival',
        residentIds: [h1Head],
      })
    ).status,
  ).toBe(201);
});

describe('festival visit campaigns', () => {
  let campaignId: string;

  it('previews how many households and residents a target group holds, and for whom', async () => {
    const query = `orgUnitId=${tree.communityA.id}&plannedOn=${addDays(today, 3)}&ethnicityCodes=03,05&flags=hardship,minimumLivingAllowance`;
    const preview = await worker.get(`/api/visit-campaigns/preview?${query}`);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ households: 2, residents: 1, total: 3 });
    const byAssignee = Object.fromEntries(
      preview.body.byAssignee.map((a: { id: string; count: number }) => [a.id, a.count]),
    );
    expect(byAssignee).toEqual({ [ids.gridWorker]: 2, [ids.cadre]: 1 });
    // Only minorities, with no flag: every minority household and resident of the community.
    const minorities = await worker.get(
      `/api/visit-campaigns/preview?orgUnitId=${tree.communityA.id}&plannedOn=${today}&minorityOnly=true`,
    );
    expect(minorities.body).toMatchObject({ households: 3, residents: 1 });
  });

  it('plans one visit per household (or lone resident) in one go, closes those already made, and never twice', async () => {
    const input = {
      orgUnitId: tree.communityA.id,
      festival: 'eid_al_adha',
      startsOn: addDays(today, -5),
      plannedOn: addDays(today, 3),
      target,
    };
    const created = await worker.post('/api/visit-campaigns', input);
    expect(created.status).toBe(201);
    campaignId = created.body.id;
    expect(created.body).toMatchObject({
      name: `${addDays(today, 3).slice(0, 4)}年古尔邦节走访`,
      festival: 'eid_al_adha',
      // C-1 was visited at the festival already.
      progress: { planned: 3, done: 1, open: 2, overdue: 0 },
    });

    const again = await worker.post('/api/visit-campaigns', { ...input, name: '再来一次' });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'visit_campaign_exists' });
    expect(again.body.error.message).toContain('无需重复创建');

    const replanned = await worker.post(`/api/visit-campaigns/${campaignId}/replan`);
    expect(replanned.body).toMatchObject({ added: 0, campaign: { progress: { planned: 3 } } });
    // A household joining the group is added by the next run, and only it.
    const h6 = await household(tree.gridA1.id, 'C-6');
    await resident(tree.gridA1.id, '阿依古丽', '05', { hardship: true }, h6);
    const more = await worker.post(`/api/visit-campaigns/${campaignId}/replan`);
    expect(more.body).toMatchObject({ added: 1, campaign: { progress: { planned: 4, done: 1, open: 3 } } });
    expect((await worker.post(`/api/visit-campaigns/${campaignId}/replan`)).body.added).toBe(0);

    const planned = (await worker.get(`/api/planned-visits?campaignId=${campaignId}&pageSize=50`)).body;
    expect(planned.total).toBe(4);
    const of = (key: string) =>
      planned.items.find(
        (p: { householdId: string; residentId: string }) => (p.householdId ?? p.residentId) === key,
      );
    expect(of(h1)).toMatchObject({ state: 'done', assigneeId: ids.gridWorker, assignedByPairing: false });
    expect(of(h1).householdLabel).toBe('C-1 · 马大爷');
    expect(of(h3)).toMatchObject({ state: 'open', assigneeId: ids.cadre, assignedByPairing: true });
    expect(of(r4)).toMatchObject({ state: 'open', residentName: '马独居', assigneeId: ids.gridWorker });
  });

  it('is done when a festival visit is recorded, and open again when that visit is deleted', async () => {
    const stateOf = async (key: string) =>
      (await worker.get(`/api/planned-visits?campaignId=${campaignId}&pageSize=50`)).body.items.find(
        (p: { householdId: string; residentId: string }) => (p.householdId ?? p.residentId) === key,
      );
    await cadre.post('/api/visits', {
      orgUnitId: tree.gridA2.id,
      visitedOn: today,
      purpose: 'festival',
      householdIds: [h3],
    });
    expect(await stateOf(h3)).toMatchObject({ state: 'done', doneOn: today });

    // A routine visit is no festival visit.
    await gridWorker.post('/api/visits', {
      orgUnitId: tree.gridA1.id,
      visitedOn: today,
      purpose: 'routine',
      residentIds: [r4],
    });
    expect((await stateOf(r4)).state).toBe('open');
    const festive = await gridWorker.post('/api/visits', {
      orgUnitId: tree.gridA1.id,
      visitedOn: today,
      purpose: 'festival',
      residentIds: [r4],
    });
    expect((await stateOf(r4)).visitId).toBe(festive.body.id);
    await gridWorker.delete(`/api/visits/${festive.body.id}?version=${festive.body.version}`);
    expect(await stateOf(r4)).toMatchObject({ state: 'open', visitId: null });

    const campaign = (await worker.get(`/api/visit-campaigns/${campaignId}`)).body;
    expect(campaign.progress).toEqual({ planned: 4, done: 2, open: 2, overdue: 0 });
    // The grid worker sees his own planned visits, and not the cadre's.
    const mine = (await gridWorker.get('/api/planned-visits?mine=true&state=pending')).body;
    const keys = mine.items.map(
      (p: { residentId: string | null; householdId: string | null }) => p.householdId ?? p.residentId,
    );
    expect(keys).toContain(r4);
    expect(keys).not.toContain(h3);
    expect(mine.items.every((p: { assigneeId: string }) => p.assigneeId === ids.gridWorker)).toBe(true);
  });

  it('counts as overdue what was not visited by the planned date', async () => {
    const late = await worker.post('/api/visit-campaigns', {
      orgUnitId: tree.gridA1.id,
      festival: 'spring_festival',
      name: '网格春节走访',
      startsOn: addDays(today, -20),
      plannedOn: addDays(today, -1),
      target: { ethnicityCodes: [], minorityOnly: true, flags: [] },
    });
    expect(late.status).toBe(201);
    // Grid A1: C-1, C-5, C-6 and the lone resident; the festival visit to C-1 falls in the window.
    expect(late.body.progress).toEqual({ planned: 4, done: 1, open: 0, overdue: 3 });
    const list = (await worker.get(`/api/visit-campaigns?orgUnitId=${tree.communityA.id}`)).body;
    expect(list.items.map((c: { name: string }) => c.name)).toEqual([
      `${addDays(today, 3).slice(0, 4)}年古尔邦节走访`,
      '网格春节走访',
    ]);
    const overdue = (await worker.get(`/api/planned-visits?campaignId=${late.body.id}&state=overdue`)).body;
    expect(overdue.total).toBe(3);
  });

  it('refuses a campaign starting after its date, a grid worker, and a unit outside the scope', async () => {
    const base = {
      festival: 'mid_autumn',
      startsOn: today,
      plannedOn: addDays(today, 10),
      target: { ethnicityCodes: [], minorityOnly: true, flags: [] },
    };
    const backwards = await worker.post('/api/visit-campaigns', {
      ...base,
      orgUnitId: tree.communityA.id,
      startsOn: addDays(today, 11),
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error).toMatchObject({
      code: 'visit_campaign_dates',
      message: '开始日期不能晚于计划走访日期',
    });
    const byGrid = await gridWorker.post('/api/visit-campaigns', { ...base, orgUnitId: tree.gridA1.id });
    expect(byGrid.status).toBe(403);
    const outside = await worker.post('/api/visit-campaigns', { ...base, orgUnitId: tree.communityB.id });
    expect(outside.status).toBe(404);
    expect((await gridWorker.get(`/api/visit-campaigns/${campaignId}`)).status).toBe(404);
    const unknown = await worker.post('/api/visit-campaigns', {
      ...base,
      orgUnitId: tree.communityA.id,
      target: { ethnicityCodes: ['99'], minorityOnly: false, flags: [] },
    });
    expect(unknown.status).toBe(400);
  });
});
