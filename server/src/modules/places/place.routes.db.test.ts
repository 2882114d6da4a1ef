import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiClient, type TestTree, useRegistryTest } from '../../../test/fixtures.ts';

let tree: TestTree;
let worker: ApiClient;

const registry = useRegistryTest();

beforeAll(async () => {
  tree = registry.tree;
  worker = await registry.signIn('worker', 'community_worker', tree.communityA.id);
});

describe('places', () => {
  let estate: { id: string };
  let building: { id: string };
  let entrance: { id: string };

  it('nests estate > building > entrance > dwelling and lists the tree level by level', async () => {
    estate = (
      await worker.post('/api/places', { orgUnitId: tree.communityA.id, kind: 'estate', name: '锦绣小区' })
    ).body;
    building = (
      await worker.post('/api/places', {
        orgUnitId: tree.gridA1.id,
        kind: 'building',
        name: '3栋',
        parentId: estate.id,
      })
    ).body;
    entrance = (
      await worker.post('/api/places', {
        orgUnitId: tree.gridA1.id,
        kind: 'entrance',
        name: '2单元',
        parentId: building.id,
      })
    ).body;
    const dwelling = await worker.post('/api/places', {
      orgUnitId: tree.gridA1.id,
      kind: 'dwelling',
      name: '3-2-501',
      parentId: entrance.id,
      isRental: true,
      landlordName: '周房东',
      landlordPhone: '13811112222',
    });
    expect(dwelling.status).toBe(201);
    expect(dwelling.body).toMatchObject({
      isRental: true,
      landlordName: '周房东',
      landlordPhone: '138****2222',
    });
    const top = await worker.get('/api/places?parentId=root');
    expect(top.body.items.map((p: { name: string }) => p.name)).toEqual(['锦绣小区']);
    const rentals = await worker.get('/api/places?isRental=true');
    expect(rentals.body.items.map((p: { name: string }) => p.name)).toEqual(['3-2-501']);
  });

  it('refuses an entrance directly under an estate', async () => {
    const { status, body } = await worker.post('/api/places', {
      orgUnitId: tree.gridA1.id,
      kind: 'entrance',
      name: '1单元',
      parentId: estate.id,
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe('place_parent_invalid');
    expect(body.error.message).toContain('层级');
  });

  it('refuses a building of grid 2 under an estate of grid 1', async () => {
    const gridEstate = (
      await worker.post('/api/places', { orgUnitId: tree.gridA1.id, kind: 'estate', name: '一网格院落' })
    ).body;
    const { status, body } = await worker.post('/api/places', {
      orgUnitId: tree.gridA2.id,
      kind: 'building',
      name: '1栋',
      parentId: gridEstate.id,
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe('place_parent_other_org');
  });

  it('keeps a building with entrances from being deleted', async () => {
    const { status, body } = await worker.delete(`/api/places/${building.id}?version=1`);
    expect(status).toBe(409);
    expect(body.error.code).toBe('place_has_children');
  });

  it('records religious venues as places of their own kind', async () => {
    const mosque = await worker.post('/api/places', {
      orgUnitId: tree.communityA.id,
      kind: 'religious_venue',
      name: '清真寺',
      address: '和平路 8 号',
    });
    expect(mosque.status).toBe(201);
    expect((await worker.get('/api/places?kind=religious_venue')).body.total).toBe(1);
  });
});
