import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, useRegistryTest } from '../../../test/fixtures.ts';

const registry = useRegistryTest();

let worker: ApiClient;
let cadres: string[];

beforeAll(async () => {
  const tree = registry.tree;
  worker = await registry.signIn('pairing-worker', 'community_worker', tree.communityA.id);
  const first = await registry.signIn('pairing-cadre-1', 'community_worker', tree.communityA.id);
  const second = await registry.signIn('pairing-cadre-2', 'grid_worker', tree.gridA1.id);
  cadres = [(await first.get('/api/auth/me')).body.id, (await second.get('/api/auth/me')).body.id];
});

async function addHousehold(householdNumber: string): Promise<string> {
  const answer = await worker.post('/api/households', {
    orgUnitId: registry.tree.gridA1.id,
    householdNumber,
  });
  expect(answer.status).toBe(201);
  return answer.body.id;
}

async function pair(householdId: string, cadreId: string, startedOn: string, endedOn?: string) {
  const answer = await worker.post('/api/pairings', {
    householdId,
    cadreId,
    startedOn,
    endedOn,
    frequencyDays: 30,
  });
  expect(answer.status).toBe(201);
  return answer.body as { id: string; version: number };
}

describe('restoring a pairing', () => {
  it('is refused while another live pairing of the household covers part of its period', async () => {
    const household = await addHousehold('R-1');
    const old = await pair(household, cadres[0]!, '2025-01-01');
    const deleted = await worker.delete(`/api/pairings/${old.id}?version=${old.version}`);
    expect(deleted.status).toBe(200);
    // With the old pairing gone, the household is paired with someone else from March.
    const current = await pair(household, cadres[1]!, '2025-03-01');

    const refused = await worker.post(`/api/pairings/${old.id}/restore`, { version: deleted.body.version });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('pairing_overlaps');
    expect(refused.body.error.message).toBe('该户在这段时间内已有结对干部，请先结束原结对');

    // Nothing was written: the old pairing is still deleted, its history ends with the delete, and
    // the household has one cadre in April.
    const after = await worker.get(`/api/pairings/${old.id}`);
    expect(after.body.deletedAt).not.toBeNull();
    expect(after.body.version).toBe(deleted.body.version);
    const history = await worker.get(`/api/pairings/${old.id}/history`);
    expect(history.body.map((h: { action: string }) => h.action)).toEqual(['delete', 'create']);
    const active = await worker.get(`/api/pairings?householdId=${household}&activeOn=2025-04-01`);
    expect(active.body.items.map((p: { id: string }) => p.id)).toEqual([current.id]);
  });

  it('is allowed once the other pairing starts after this one ends', async () => {
    const household = await addHousehold('R-2');
    const old = await pair(household, cadres[0]!, '2025-01-01', '2025-06-30');
    const deleted = await worker.delete(`/api/pairings/${old.id}?version=${old.version}`);
    // Overlapping on 2025-06-30 only: refused.
    const next = await pair(household, cadres[1]!, '2025-06-30');
    const refused = await worker.post(`/api/pairings/${old.id}/restore`, { version: deleted.body.version });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('pairing_overlaps');

    // The new pairing now starts the day after the old one ended: the old one comes back.
    await worker.delete(`/api/pairings/${next.id}?version=${next.version}`);
    await pair(household, cadres[1]!, '2025-07-01');
    const restored = await worker.post(`/api/pairings/${old.id}/restore`, { version: deleted.body.version });
    expect(restored.status).toBe(200);
    expect(restored.body.deletedAt).toBeNull();
    const onDate = async (date: string) =>
      (await worker.get(`/api/pairings?householdId=${household}&activeOn=${date}`)).body.items.map(
        (p: { cadreId: string }) => p.cadreId,
      );
    expect(await onDate('2025-03-01')).toEqual([cadres[0]]);
    expect(await onDate('2025-07-01')).toEqual([cadres[1]]);
  });
});
