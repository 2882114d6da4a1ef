import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { opensRetention } from '@shiliuzi/shared/permissions';
import { useRegistryTest, type ApiClient } from '../../../test/fixtures.ts';

const registry = useRegistryTest();
let securityAdmin: ApiClient;
let systemAdmin: ApiClient;
let streetSystemAdmin: ApiClient;
let streetSecurityAdmin: ApiClient;
let worker: ApiClient;
let viewer: ApiClient;
let auditor: ApiClient;

beforeAll(async () => {
  const { tree } = registry;
  securityAdmin = await registry.signIn('retention-security', 'security_admin', tree.district.id);
  systemAdmin = await registry.signIn('retention-admin', 'system_admin', tree.district.id);
  streetSystemAdmin = await registry.signIn('retention-admin-s', 'system_admin', tree.street.id);
  streetSecurityAdmin = await registry.signIn('retention-security-s', 'security_admin', tree.street.id);
  worker = await registry.signIn('retention-worker', 'community_worker', tree.communityA.id);
  viewer = await registry.signIn('retention-viewer', 'viewer', tree.communityA.id);
  auditor = await registry.signIn('retention-auditor', 'auditor', tree.district.id);
});

const visitPolicy = (body: { policies: { recordType: string }[] }) =>
  body.policies.find((p) => p.recordType === 'visit');

describe('retention periods over HTTP', () => {
  it('lets the security administrator of the whole tree set a period, never below its minimum', async () => {
    const tooShort = await securityAdmin.put('/api/retention/policies/visit', {
      days: 100,
      action: 'anonymise',
    });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.error).toEqual({
      code: 'retention_period_too_short',
      message: '走访慰问记录的保留期限不得少于 730 天',
    });
    const wrongAction = await securityAdmin.put('/api/retention/policies/session', {
      days: 30,
      action: 'anonymise',
    });
    expect(wrongAction.status).toBe(400);
    expect(wrongAction.body.error.message).toBe('登录会话与登录失败记录到期后只能删除');
    expect(
      (await securityAdmin.put('/api/retention/policies/nothing', { days: 800, action: 'delete' })).status,
    ).toBe(400);
    const extra = await securityAdmin.put('/api/retention/policies/visit', {
      days: 800,
      action: 'delete',
      updatedBy: 'someone',
    });
    expect(extra.status).toBe(400);

    const set = await securityAdmin.put('/api/retention/policies/visit', { days: 800, action: 'delete' });
    expect(set.status).toBe(200);
    expect(visitPolicy(set.body)).toMatchObject({
      days: 800,
      action: 'delete',
      isDefault: false,
      defaultDays: 1825,
      minDays: 730,
      updatedBy: 'retention-security',
    });
    expect(set.body.scheduled).toBe(true);
  });

  it('refuses to let anyone else set a period', async () => {
    for (const [who, client] of [
      ['system administrator', systemAdmin],
      ['security administrator of a street', streetSecurityAdmin],
      ['community worker', worker],
      ['auditor', auditor],
    ] as const) {
      const answer = await client.put('/api/retention/policies/visit', { days: 3650, action: 'anonymise' });
      expect(answer.status, who).toBe(403);
    }
    const street = await streetSecurityAdmin.put('/api/retention/policies/visit', {
      days: 3650,
      action: 'anonymise',
    });
    expect(street.body.error.code).toBe('retention_whole_tree_only');
    const settings = await systemAdmin.get('/api/retention/policies');
    expect(visitPolicy(settings.body)).toMatchObject({ days: 800, action: 'delete' });
  });

  it('lets the system and security administrators of the whole tree read the periods, run the job and read its reports', async () => {
    expect((await securityAdmin.get('/api/retention/policies')).status).toBe(200);
    const dry = await systemAdmin.post('/api/retention/runs', { dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({
      dryRun: true,
      trigger: 'api',
      status: 'ok',
      actorName: 'retention-admin',
    });
    expect(dry.body.items).toHaveLength(12);
    expect(dry.body.items.find((i: { recordType: string }) => i.recordType === 'visit')).toMatchObject({
      action: 'delete',
      days: 800,
    });
    const real = await securityAdmin.post('/api/retention/runs', {});
    expect(real.body).toMatchObject({ dryRun: false, status: 'ok', actorName: 'retention-security' });

    const runs = await securityAdmin.get('/api/retention/runs?pageSize=10');
    expect(runs.status).toBe(200);
    expect(runs.body.total).toBe(2);
    expect(runs.body.items.map((r: { id: string }) => r.id)).toEqual([real.body.id, dry.body.id]);
    const one = await systemAdmin.get(`/api/retention/runs/${dry.body.id}`);
    expect(one.body).toEqual(dry.body);
    const missing = await systemAdmin.get(`/api/retention/runs/${randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('retention_run_not_found');
  });

  it('refuses the periods, runs and reports to everyone else, and runs nothing for them', async () => {
    const { id } = (await systemAdmin.get('/api/retention/runs')).body.items[0];
    for (const [who, client] of [
      ['system administrator of a street', streetSystemAdmin],
      ['security administrator of a street', streetSecurityAdmin],
      ['community worker', worker],
      ['viewer', viewer],
      ['auditor', auditor],
    ] as const) {
      expect((await client.get('/api/retention/policies')).status, who).toBe(403);
      expect((await client.post('/api/retention/runs', { dryRun: true })).status, who).toBe(403);
      expect((await client.get('/api/retention/runs')).status, who).toBe(403);
      expect((await client.get(`/api/retention/runs/${id}`)).status, who).toBe(403);
    }
    expect((await systemAdmin.get('/api/retention/runs')).body.total).toBe(2);
  });

  it('tells the web app through me who is shown the retention periods: the whole tree’s administrators', async () => {
    const shown = async (client: ApiClient) => opensRetention((await client.get('/api/auth/me')).body);
    expect(await shown(securityAdmin)).toBe(true);
    expect(await shown(systemAdmin)).toBe(true);
    for (const client of [streetSystemAdmin, streetSecurityAdmin, worker, viewer, auditor])
      expect(await shown(client)).toBe(false);
    expect((await streetSecurityAdmin.get('/api/auth/me')).body).toMatchObject({ wholeTree: false });
  });

  it('records the changes and runs in the audit log: the request under its user, the run as the system', async () => {
    const rows = () =>
      registry.t.database.db
        .selectFrom('auditLog')
        .select(['action', 'username'])
        .where((eb) =>
          eb.or([eb('action', 'like', 'retention.%'), eb('action', 'like', '% /api/retention/%')]),
        )
        .where('result', '=', 'ok')
        .orderBy('seq')
        .execute();
    // The requests' rows are written by the audit worker as the answers go out.
    await expect.poll(async () => (await rows()).length, { timeout: 5000 }).toBeGreaterThanOrEqual(6);
    expect((await rows()).map((r) => [r.action, r.username])).toEqual(
      expect.arrayContaining([
        ['PUT /api/retention/policies/:recordType', 'retention-security'],
        ['POST /api/retention/runs', 'retention-admin'],
        ['retention.preview', '系统'],
        ['retention.run', '系统'],
      ]),
    );
    const change = await registry.t.database.db
      .selectFrom('auditLog')
      .select(['username', 'objectId', 'detail'])
      .where('action', '=', 'retention.policy')
      .execute();
    expect(change).toHaveLength(1);
    expect(change[0]).toMatchObject({ username: 'retention-security', objectId: 'visit' });
    expect(JSON.parse(change[0]!.detail!)).toEqual({
      before: { days: 1825, action: 'anonymise', isDefault: true },
      after: { days: 800, action: 'delete' },
    });
  });
});
