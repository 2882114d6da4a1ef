import pg from 'pg';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { apiClient, loginAs, makeIdNumber, useRegistryTest } from '../../../test/fixtures.ts';
import { cliEnv, cliRunner } from '../../../test/cli.ts';
import { registeredRoutes } from '../../../test/routes.ts';
import { auditedReads, unauditedReads } from './audit.hook.ts';
import { auditService } from './audit.service.ts';

const r = useRegistryTest();
const { cli, cliFails } = cliRunner(() => cliEnv(r.t));

const idNumber = makeIdNumber('513221', '19880808', 37);
const phone = '13912345678';

async function auditRows() {
  return r.t.database.db.selectFrom('auditLog').selectAll().orderBy('seq').execute();
}

/** Waits until the expected rows are there (those of other processes, like the CLI, come on their own). */
async function waitForRow(action: string, count = 1) {
  await expect
    .poll(async () => (await auditRows()).filter((row) => row.action === action).length, { timeout: 5000 })
    .toBeGreaterThanOrEqual(count);
  return (await auditRows()).filter((row) => row.action === action);
}

/** Waits until the app has written every row of what the test did (the count holds still). */
async function settled() {
  let before = -1;
  for (;;) {
    const now = (await auditRows()).length;
    if (now === before) return now;
    before = now;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

describe('the audit log', () => {
  it('records sign-ins, searches, reads, reveals with their reason, exports and changes — never a plain ID number or phone', async () => {
    const failed = await r.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'aud-worker', password: 'Wrong#2026' },
    });
    expect(failed.statusCode).toBe(401);
    const { cookie } = await loginAs(
      r.app,
      r.t.database,
      'aud-worker',
      'community_worker',
      r.tree.communityA.id,
    );
    const worker = apiClient(r.app, cookie);
    const created = await worker.post('/api/residents', {
      orgUnitId: r.tree.gridA1.id,
      name: '审计测试',
      ethnicityCode: '33',
      idNumber,
      phone,
      residenceType: 'permanent',
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await worker.get(`/api/residents?q=${idNumber}`)).status).toBe(200);
    expect((await worker.get(`/api/residents/${id}`)).status).toBe(200);
    const revealed = await worker.post(`/api/residents/${id}/reveal`, {
      field: 'phone',
      reason: '入户走访核实身份',
    });
    expect(revealed.body.value).toBe(phone);
    // A reveal is written before its answer leaves.
    const reveal = (await auditRows()).find((row) => row.action === 'resident.reveal')!;
    expect(reveal).toMatchObject({
      objectType: 'resident',
      objectId: id,
      result: 'ok',
      reason: '入户走访核实身份',
    });
    expect(JSON.parse(reveal.detail!)).toMatchObject({ field: 'phone', status: 200 });
    const exported = await r.app.inject({
      url: `/api/exports/residents?orgUnitId=${r.tree.communityA.id}&format=csv`,
      headers: { cookie },
    });
    expect(exported.statusCode).toBe(200);
    const foreign = await worker.get(`/api/residents?orgUnitId=${r.tree.communityB.id}`);
    expect(foreign.status).toBe(404);

    const logins = await waitForRow('auth.login', 2);
    expect(logins.map((row) => [row.username, row.result, row.reason])).toEqual([
      ['aud-worker', 'denied', 'invalid_credentials'],
      ['aud-worker', 'ok', null],
    ]);
    const search = (await waitForRow('resident.search', 2))[0]!;
    expect(search).toMatchObject({ username: 'aud-worker', roles: 'community_worker', result: 'ok' });
    expect(search.ip).toBeTruthy();
    expect(JSON.parse(search.detail!).query.q).toBe(
      `${idNumber.slice(0, 3)}***********${idNumber.slice(-4)}`,
    );
    expect((await waitForRow('resident.read'))[0]).toMatchObject({ objectId: id, result: 'ok' });
    expect((await waitForRow('export.register'))[0]).toMatchObject({ objectId: r.tree.communityA.id });
    expect((await waitForRow('POST /api/residents'))[0]).toMatchObject({ result: 'ok' });
    const denied = (await waitForRow('resident.search', 2))[1]!;
    expect(denied).toMatchObject({
      result: 'denied',
      reason: 'org_unit_not_found',
      objectId: r.tree.communityB.id,
    });

    const everything = JSON.stringify(await auditRows());
    expect(everything).not.toContain(idNumber);
    expect(everything).not.toContain(phone);
  });

  it('answers a read of personal data once its row is written, and not at all when it cannot be', async () => {
    const worker = await r.signIn('aud-durable', 'community_worker', r.tree.communityA.id);
    const name = '留痕居民';
    const created = await worker.post('/api/residents', {
      orgUnitId: r.tree.gridA2.id,
      name,
      ethnicityCode: '05',
      gender: 'female',
      residenceType: 'permanent',
    });
    expect(created.status).toBe(201);
    const listed = await worker.get(`/api/residents?orgUnitId=${r.tree.gridA2.id}`);
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).toContain(name);
    // No waiting: the row is in the database by the time the answer arrives.
    expect((await auditRows()).at(-1)).toMatchObject({
      action: 'resident.search',
      username: 'aud-durable',
      objectId: r.tree.gridA2.id,
      result: 'ok',
    });

    // The trail cannot be written (its head is gone): the list is refused, its residents not sent.
    const db = r.t.database.db;
    await sql`update audit_head set id = 2 where id = 1`.execute(db);
    try {
      const refused = await worker.get(`/api/residents?orgUnitId=${r.tree.gridA2.id}`);
      expect(refused.status).toBe(503);
      expect(refused.body.error).toEqual({
        code: 'audit_unavailable',
        message: expect.stringContaining('审计日志暂时无法写入'),
      });
      expect(JSON.stringify(refused.body)).not.toContain(name);
    } finally {
      await sql`update audit_head set id = 1 where id = 2`.execute(db);
    }
    expect((await worker.get(`/api/residents?orgUnitId=${r.tree.gridA2.id}`)).status).toBe(200);
  });

  it('is read and exported by auditors only, each seeing the acts of their own subtree', async () => {
    await r.signIn('aud-b', 'community_worker', r.tree.communityB.id);
    const district = await loginAs(r.app, r.t.database, 'aud-district', 'auditor', r.tree.district.id);
    const local = await loginAs(r.app, r.t.database, 'aud-local', 'auditor', r.tree.communityA.id);
    const admin = await r.signIn('aud-admin', 'system_admin', r.tree.district.id);
    await waitForRow('auth.login', 6);

    const all = apiClient(r.app, district.cookie);
    const page = await all.get('/api/audit?action=auth.login&pageSize=50');
    expect(page.status).toBe(200);
    const names = page.body.items.map((e: { username: string }) => e.username);
    expect(names).toEqual(expect.arrayContaining(['aud-worker', 'aud-b', 'aud-admin']));
    // Newest first; a failed login by a name nobody has is seen at the top of the tree only.
    expect(page.body.items[0].seq).toBeGreaterThan(page.body.items.at(-1).seq);
    expect(page.body.items.some((e: { result: string }) => e.result === 'denied')).toBe(true);

    const mine = await apiClient(r.app, local.cookie).get('/api/audit?action=auth.login&pageSize=50');
    const localNames = new Set(mine.body.items.map((e: { username: string }) => e.username));
    expect(localNames.has('aud-worker')).toBe(true);
    expect(localNames.has('aud-b')).toBe(false);
    expect(mine.body.items.every((e: { result: string }) => e.result === 'ok')).toBe(true);

    expect((await admin.get('/api/audit')).status).toBe(403);
    // An auditor reads the log, not the registers.
    expect((await all.get('/api/residents')).status).toBe(403);
    expect((await all.get(`/api/org-units/${r.tree.district.id}/ancestors`)).status).toBe(200);

    await settled();
    const csv = await r.app.inject({
      url: '/api/audit/export?action=resident.search',
      headers: { cookie: district.cookie },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(
      '\uFEFF"序号","时间（UTC）","用户","角色","所属组织","IP 地址","操作","对象类型","对象","结果","事由或拒绝原因","详情"',
    );
    const searches = (await all.get('/api/audit?action=resident.search')).body.total as number;
    expect(lines).toHaveLength(searches + 1);
    expect(csv.body).toContain('"拒绝"');
    expect(csv.body).not.toContain(idNumber);
    const refused = await r.app.inject({
      url: '/api/audit/export',
      headers: { cookie: local.cookie.replace(/=.*/, '=nobody') },
    });
    expect(refused.statusCode).toBe(401);
  });

  it('cannot be changed or emptied, and verify names the first row that was', async () => {
    const db = r.t.database.db;
    const postgres = r.t.database.dialect.name === 'postgres';
    // PostgreSQL: the server's role is not even granted UPDATE; the trigger refuses what is granted.
    await expect(sql`update audit_log set result = 'ok'`.execute(db)).rejects.toThrow(
      postgres ? /permission denied/ : /append-only/,
    );
    await expect(sql`delete from audit_log`.execute(db)).rejects.toThrow(/append-only/);

    await settled();
    const intact = await auditService.verify(db);
    expect(intact.firstBad).toBeUndefined();
    expect(intact.rows).toBe((await auditRows()).length);
    expect(await cli('audit', 'verify')).toContain(`共 ${intact.rows} 条记录，哈希链校验通过`);

    // Someone with the database owner's rights switches the guard off and rewrites a row.
    if (postgres) {
      // Tampering takes the owner's rights: the server's role may not disable the trigger, and no
      // policy lets anyone update the log, so the owner lifts row security from the table as well.
      const owner = new pg.Client({ connectionString: r.t.ownerUrl });
      await owner.connect();
      try {
        await owner.query('begin');
        await owner.query('alter table audit_log disable trigger audit_log_append_only');
        await owner.query('alter table audit_log no force row level security');
        await owner.query(`update audit_log set username = 'someone-else' where seq = 3`);
        await owner.query('commit');
      } finally {
        await owner.end();
      }
    } else {
      await sql`drop trigger audit_log_no_update`.execute(db);
      await sql`update audit_log set username = 'someone-else' where seq = 3`.execute(db);
    }
    expect((await auditService.verify(db)).firstBad).toEqual({ seq: 3, problem: 'hash' });
    const refusal = await cliFails('audit', 'verify');
    expect(refusal).toContain('审计日志被篡改：第 3 条记录内容与其哈希不符');
  });

  it('knows every read route: audited, or listed as holding nothing personal', () => {
    const reads = registeredRoutes(r.app).filter((route) => route.startsWith('GET '));
    const unknown = reads.filter((route) => !(route in auditedReads) && !(route in unauditedReads));
    expect(unknown).toEqual([]);
    for (const route of Object.keys(auditedReads)) {
      expect(registeredRoutes(r.app)).toContain(route);
    }
  });
});
