import { beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '@shiliuzi/shared/casework-visits';
import { localDateText } from '@shiliuzi/shared/dates';
import { cliEnv, cliRunner } from '../../../test/cli.ts';
import { makeIdNumber, type ApiClient, useRegistryTest } from '../../../test/fixtures.ts';

const registry = useRegistryTest();
const { cli } = cliRunner(() => cliEnv(registry.t));

const today = localDateText();
/** The end of the period the figures are asked for, a month ago; the period starts 200 days ago. */
const asOf = addDays(today, -30);
const from = addDays(today, -200);
const day = (offset: number) => addDays(asOf, offset);

let worker: ApiClient;
let gridWorkerA: ApiClient;
let cadreX: string;
let cadreY: string;
let seq = 200;

async function household(number: string, members: string[]) {
  const grid = registry.tree.gridB1.id;
  const h = (await worker.post('/api/households', { orgUnitId: grid, householdNumber: number })).body;
  const residents: string[] = [];
  for (const [i, ethnicityCode] of members.entries()) {
    const answer = await worker.post('/api/residents', {
      orgUnitId: grid,
      householdId: h.id,
      relationToHead: i === 0 ? 'head' : 'child',
      name: `${number}成员${i}`,
      ethnicityCode,
      idNumber: makeIdNumber('510704', '19800101', seq++),
      residenceType: 'permanent',
    });
    expect(answer.status).toBe(201);
    residents.push(answer.body.id);
  }
  return { id: h.id as string, residents };
}

async function visit(visitedOn: string, purpose: string, body: Record<string, unknown>) {
  const answer = await worker.post('/api/visits', {
    orgUnitId: registry.tree.gridB1.id,
    visitedOn,
    purpose,
    ...body,
  });
  expect(answer.status).toBe(201);
  return answer.body as { id: string; version: number };
}

beforeAll(async () => {
  const tree = registry.tree;
  worker = await registry.signIn('stats-worker', 'community_worker', tree.communityB.id);
  const x = await registry.signIn('stats-cadre-x', 'community_worker', tree.communityB.id);
  const y = await registry.signIn('stats-cadre-y', 'community_worker', tree.communityB.id);
  gridWorkerA = await registry.signIn('stats-grid-a1', 'grid_worker', tree.gridA1.id);
  cadreX = (await x.get('/api/auth/me')).body.id;
  cadreY = (await y.get('/api/auth/me')).body.id;

  // Minority households: h1 (Hui and Han members) and h2 (Uyghur); h3 is Han only.
  const h1 = await household('统计一户', ['01', '03']);
  const h2 = await household('统计二户', ['05']);
  const h3 = await household('统计三户', ['01']);

  // Active on asOf: h1 with X (contacted 10 days before, within 30) and h3 with Y (last contact
  // 40 days before: late). h2's pairing ended before asOf.
  const pair = (householdId: string, cadreId: string, startedOn: string, endedOn?: string) =>
    worker.post('/api/pairings', { householdId, cadreId, startedOn, endedOn, frequencyDays: 30 });
  expect((await pair(h1.id, cadreX, day(-100))).status).toBe(201);
  expect((await pair(h3.id, cadreY, day(-100))).status).toBe(201);
  expect((await pair(h2.id, cadreX, day(-100), day(-50))).status).toBe(201);
  await visit(day(-10), 'routine', { visitorIds: [cadreX], residentIds: [h1.residents[1]] });
  await visit(day(-40), 'routine', { visitorIds: [cadreY], householdIds: [h3.id] });
  await visit(day(-5), 'festival', { householdIds: [h2.id] });
  // Outside the period or deleted: not counted.
  await visit(day(5), 'festival', { householdIds: [h2.id] });
  const gone = await visit(day(-3), 'festival', { householdIds: [h2.id] });
  expect((await worker.delete(`/api/visits/${gone.id}?version=${gone.version}`)).status).toBe(200);

  // Must-visits (default 3 days, 7 for a special circumstance).
  const event = (residentId: string, kind: string, eventOn: string) =>
    worker.post('/api/must-visits', { residentId, kind, eventOn });
  await event(h1.residents[0]!, 'hospitalised', day(-10)); // visited on day −8: on time
  await event(h2.residents[0]!, 'hardship', day(-10)); // never visited: overdue
  await event(h3.residents[0]!, 'dispute', day(-1)); // due day +2: open
  await event(h1.residents[1]!, 'special', day(-20)); // due −13, visited +3 (after asOf): overdue on asOf
  await event(h3.residents[0]!, 'hardship', day(-20)); // due −17, visited −15: late
  await visit(day(-8), 'hospitalised', { residentIds: [h1.residents[0]] });
  await visit(day(3), 'special', { residentIds: [h1.residents[1]] });
  await visit(day(-15), 'hardship', { residentIds: [h3.residents[0]] });

  // Assistance: approved within the period counts, by source; the rest does not.
  const apply = async (amountFen: number, fundSource: string, decision?: string, decidedOn = day(-5)) => {
    const a = await worker.post('/api/assistance', {
      orgUnitId: registry.tree.gridB1.id,
      residentId: h2.residents[0],
      kind: 'cash',
      amountFen,
      fundSource,
      appliedOn: day(-20),
    });
    expect(a.status).toBe(201);
    if (decision) {
      const decided = await worker.post(`/api/assistance/${a.body.id}/decision`, {
        version: 1,
        decision,
        decidedOn,
      });
      expect(decided.status).toBe(200);
    }
  };
  await apply(32200, 'street_budget', 'approved');
  await apply(50000, 'charity_one_yuan', 'approved');
  await apply(10000, 'charity_one_yuan', 'approved');
  await apply(9999, 'street_budget', 'rejected');
  await apply(7777, 'street_budget');
  await apply(1111, 'street_budget', 'approved', day(2));
});

const expected = {
  visits: { total: 5, byPurpose: { routine: 2, festival: 1, hospitalised: 1, hardship: 1 } },
  mustVisits: { open: 1, overdue: 2, doneOnTime: 1, doneLate: 1 },
  pairings: {
    active: 2,
    minorityHouseholds: 2,
    pairedMinorityHouseholds: 1,
    contactedInTime: 1,
    coverage: 0.5,
    compliance: 0.5,
  },
  assistance: {
    count: 3,
    amountFen: 92200,
    amountBySource: { street_budget: 32200, charity_one_yuan: 60000 },
  },
};

describe('casework figures', () => {
  it('counts visits, must-visits, pairing coverage and compliance, and assistance by source', async () => {
    const answer = await worker.get(
      `/api/casework/statistics?orgUnitId=${registry.tree.communityB.id}&from=${from}&to=${asOf}`,
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(expected);
  });

  it('prints the same figures in shiliuzi stats --json', async () => {
    const printed = JSON.parse(await cli('stats', '--org', 'TCB', '--from', from, '--to', asOf, '--json'));
    expect(printed).toMatchObject({ residents: 4, ...expected });
  });

  it('answers 0, not NaN, where there is nothing to divide by', async () => {
    const answer = await gridWorkerA.get(`/api/casework/statistics?orgUnitId=${registry.tree.gridA1.id}`);
    expect(answer.body).toEqual({
      visits: { total: 0, byPurpose: {} },
      mustVisits: { open: 0, overdue: 0, doneOnTime: 0, doneLate: 0 },
      pairings: {
        active: 0,
        minorityHouseholds: 0,
        pairedMinorityHouseholds: 0,
        contactedInTime: 0,
        coverage: 0,
        compliance: 0,
      },
      assistance: { count: 0, amountFen: 0, amountBySource: {} },
    });
  });

  it('does not give a grid worker the figures of another community', async () => {
    const answer = await gridWorkerA.get(`/api/casework/statistics?orgUnitId=${registry.tree.communityB.id}`);
    expect(answer.status).toBe(404);
  });
  // Last: it adds a visit. A contact is a visit by the cadre to the household itself (h3 here) as well
  // as to one of its members (h1 above).
  it('counts a visit to the household itself as a contact of its pairing', async () => {
    const h3 = (await worker.get(`/api/households?q=${encodeURIComponent('统计三户')}`)).body.items[0];
    await visit(day(-1), 'routine', { visitorIds: [cadreY], householdIds: [h3.id] });
    const answer = await worker.get(
      `/api/casework/statistics?orgUnitId=${registry.tree.communityB.id}&from=${from}&to=${asOf}`,
    );
    expect(answer.body.pairings).toMatchObject({ active: 2, contactedInTime: 2, compliance: 1 });
  });
});
