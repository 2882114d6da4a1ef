import { beforeAll, describe, expect, it } from 'vitest';
import {
  loginAs,
  type ApiClient,
  type TestApp,
  type TestTree,
  useRegistryTest,
} from '../../../test/fixtures.ts';
import type { TestDatabase } from '../../../test/test-database.ts';

let t: TestDatabase;
let app: TestApp;
let tree: TestTree;
let officer: ApiClient;
let worker: ApiClient;

const registry = useRegistryTest();

beforeAll(async () => {
  ({ t, app, tree } = registry);
  officer = await registry.signIn('officer', 'street_officer', tree.street.id);
  worker = await registry.signIn('worker', 'community_worker', tree.communityA.id);
});

describe('org units', () => {
  it('lists only the caller’s subtree, with paging and search', async () => {
    const { body } = await worker.get('/api/org-units?sort=code');
    expect(body.items.map((u: { code: string }) => u.code)).toEqual(['TCA', 'TCA-G1', 'TCA-G2']);
    const grids = await officer.get('/api/org-units?type=grid&pageSize=2&page=2&sort=code');
    expect(grids.body).toMatchObject({ total: 4, page: 2, pageSize: 2 });
    expect(grids.body.items.map((u: { code: string }) => u.code)).toEqual(['TCB-G1', 'TCB-G2']);
    for (const [pageNo, items] of [
      [2, 1],
      [3, 0],
    ] as const) {
      const partial = await officer.get(`/api/org-units?type=grid&pageSize=3&page=${pageNo}`);
      expect(partial.body.total).toBe(4);
      expect(partial.body.items).toHaveLength(items);
    }
    const search = await officer.get(`/api/org-units?q=${encodeURIComponent('乙社区')}`);
    expect(search.body.items.map((u: { code: string }) => u.code).sort()).toEqual([
      'TCB',
      'TCB-G1',
      'TCB-G2',
    ]);
  });

  it('creates a grid under a community and keeps the street it rolls up to', async () => {
    const { status, body } = await worker.post('/api/org-units', {
      code: 'TCA-G3',
      name: '甲社区第三网格',
      type: 'grid',
      parentId: tree.communityA.id,
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({ parentId: tree.communityA.id, streetId: tree.street.id, depth: 3 });
    expect(body.path).toBe(`${tree.communityA.path}${body.id}/`);
  });

  it('refuses a unit whose parent breaks the hierarchy', async () => {
    const { status, body } = await officer.post('/api/org-units', {
      code: 'BAD',
      name: '直属网格',
      type: 'grid',
      parentId: tree.street.id,
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe('org_parent_invalid');
  });

  it('refuses a duplicate code', async () => {
    const { status, body } = await officer.post('/api/org-units', {
      code: 'TCA',
      name: '重复',
      type: 'community',
      parentId: tree.street.id,
    });
    expect(status).toBe(409);
    expect(body.error).toMatchObject({ code: 'org_code_taken', message: '组织编码已存在' });
  });

  it('does not let a community worker create a community', async () => {
    const { status } = await worker.post('/api/org-units', {
      code: 'TCX',
      name: '新社区',
      type: 'community',
      parentId: tree.street.id,
    });
    expect(status).toBe(403);
  });

  it('renames with the version, records the change and refuses a stale one', async () => {
    const renamed = await officer.patch(`/api/org-units/${tree.communityB.id}`, {
      version: 1,
      name: '乙社区（新）',
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.version).toBe(2);
    const stale = await officer.patch(`/api/org-units/${tree.communityB.id}`, { version: 1, name: '乙' });
    expect(stale.status).toBe(409);
    const history = await officer.get(`/api/org-units/${tree.communityB.id}/history`);
    expect(history.body[0]).toMatchObject({
      action: 'update',
      before: { name: '乙社区' },
      after: { name: '乙社区（新）' },
    });
  });

  it('refuses to delete a unit that still has grids, deletes an empty one and restores it', async () => {
    const busy = await officer.delete(`/api/org-units/${tree.communityB.id}?version=2`);
    expect(busy.status).toBe(409);
    expect(busy.body.error.code).toBe('org_has_children');
    const grid = (await officer.get(`/api/org-units/${tree.gridB2.id}`)).body;
    const deleted = await officer.delete(`/api/org-units/${grid.id}?version=${grid.version}`);
    expect(deleted.status).toBe(200);
    expect(
      (await officer.get('/api/org-units?type=grid')).body.items.map((u: { id: string }) => u.id),
    ).not.toContain(grid.id);
    const restored = await officer.post(`/api/org-units/${grid.id}/restore`, {
      version: deleted.body.version,
    });
    expect(restored.status).toBe(200);
    expect(restored.body.deletedAt).toBeNull();
  });

  it('gives breadcrumbs from the caller’s own unit down, never above it', async () => {
    const { body } = await worker.get(`/api/org-units/${tree.gridA1.id}/ancestors`);
    expect(body.map((u: { code: string }) => u.code)).toEqual(['TCA', 'TCA-G1']);
  });
});

describe('the API surface', () => {
  it('answers health without a session and everything else only with one', async () => {
    expect((await app.inject({ url: '/api/health' })).json()).toEqual({ status: 'ok' });
    const anonymous = await app.inject({ url: '/api/residents' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error).toMatchObject({ code: 'unauthenticated', message: '请先登录' });
  });

  it('answers a wrong password and an unknown user alike', async () => {
    const wrong = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'officer', password: 'nope' },
    });
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'ghost', password: 'nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().error.message).toBe('用户名或密码错误');
  });

  it('ends the session at logout', async () => {
    const { cookie } = await loginAs(app, t.database, 'short', 'viewer', tree.communityA.id);
    expect((await app.inject({ url: '/api/auth/me', headers: { cookie } })).json()).toMatchObject({
      username: 'short',
    });
    await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect((await app.inject({ url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('publishes an OpenAPI document listing the registry routes', async () => {
    const doc = (await app.inject({ url: '/api/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const p of [
      '/api/residents',
      '/api/households/{id}/members',
      '/api/places/{id}',
      '/api/org-units/{id}/statistics',
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
  });

  it('answers malformed JSON and unknown routes with stable codes', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/org-units',
      headers: {
        cookie: (await loginAs(app, t.database, 'json', 'viewer', tree.communityA.id)).cookie,
        'content-type': 'application/json',
      },
      payload: '{"code":',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_json');
    expect((await worker.get('/api/nothing-here')).body.error.code).toBe('route_not_found');
  });
});
