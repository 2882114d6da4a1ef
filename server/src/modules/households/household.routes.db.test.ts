import { beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber, type ApiClient, type TestTree, useRegistryTest } from '../../../test/fixtures.ts';

let tree: TestTree;
let worker: ApiClient;

const registry = useRegistryTest();

beforeAll(async () => {
  tree = registry.tree;
  worker = await registry.signIn('worker', 'community_worker', tree.communityA.id);
});

describe('households', () => {
  it('shows members with their relation, the head’s name and an inter-ethnic marriage', async () => {
    const dwelling = (
      await worker.post('/api/places', { orgUnitId: tree.gridA1.id, kind: 'dwelling', name: '5-1-302' })
    ).body;
    const household = await worker.post('/api/households', {
      orgUnitId: tree.gridA1.id,
      dwellingId: dwelling.id,
      householdNumber: 'H-001',
    });
    expect(household.status).toBe(201);
    const id = household.body.id;
    const add = (name: string, relationToHead: string, ethnicityCode: string, idNumber: string) =>
      worker.post('/api/residents', {
        orgUnitId: tree.gridA1.id,
        householdId: id,
        relationToHead,
        name,
        ethnicityCode,
        idNumber,
      });
    expect((await add('王强', 'head', '01', makeIdNumber('510704', '19790101', 15))).body.dwellingId).toBe(
      dwelling.id,
    );
    await add('何秀', 'spouse', '33', makeIdNumber('513221', '19810202', 26));
    await add('王一', 'child', '01', makeIdNumber('510704', '20080808', 37));

    const detail = await worker.get(`/api/households/${id}`);
    expect(detail.body).toMatchObject({ headName: '王强', memberCount: 3, isInterEthnicMarriage: true });
    const members = await worker.get(`/api/households/${id}/members`);
    expect(
      members.body.map((m: { name: string; relationToHead: string }) => [m.name, m.relationToHead]),
    ).toEqual([
      ['王强', 'head'],
      ['何秀', 'spouse'],
      ['王一', 'child'],
    ]);
    const found = await worker.get(`/api/households?q=${encodeURIComponent('王强')}`);
    expect(found.body.items.map((h: { id: string }) => h.id)).toEqual([id]);
  });

  it('does not call a same-ethnicity couple inter-ethnic', async () => {
    const household = (await worker.post('/api/households', { orgUnitId: tree.gridA2.id })).body;
    for (const [name, relationToHead, seq] of [
      ['马德', 'head', 11],
      ['马芳', 'spouse', 22],
    ] as const) {
      await worker.post('/api/residents', {
        orgUnitId: tree.gridA2.id,
        householdId: household.id,
        relationToHead,
        name,
        ethnicityCode: '03',
        idNumber: makeIdNumber('622901', '19750505', seq),
      });
    }
    expect((await worker.get(`/api/households/${household.id}`)).body.isInterEthnicMarriage).toBe(false);
  });

  it('refuses a dwelling that is not a dwelling, and deleting a household with members', async () => {
    const building = (
      await worker.post('/api/places', { orgUnitId: tree.gridA1.id, kind: 'building', name: '9栋' })
    ).body;
    const wrong = await worker.post('/api/households', {
      orgUnitId: tree.gridA1.id,
      dwellingId: building.id,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('dwelling_required');
    const withMembers = (await worker.get('/api/households?q=H-001')).body.items[0];
    const refused = await worker.delete(`/api/households/${withMembers.id}?version=${withMembers.version}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('household_has_members');
  });
});
