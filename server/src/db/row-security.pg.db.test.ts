import pg from 'pg';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { makeIdNumber, useRegistryTest, type ApiClient, type TestTree } from '../../test/fixtures.ts';
import { testRoles } from '../../test/test-database.ts';
import { residentRepository } from '../modules/residents/resident.repository.ts';
import { openDatabase } from './database.ts';
import { setDeleted, updateVersioned } from './records.ts';
import { describeRowSecurityRole, MissingRowScopeError, runAsSystem, runInSubtree } from './row-security.ts';
import type * as scopeModule from './scope.ts';
import type { OrgScope } from './scope.ts';

// The application's scope filter, switched off for this file: the one org-scope helper admits the
// whole tree, whatever the actor's subtree. Only PostgreSQL's row-level security is left.
vi.mock('./scope.ts', async (importOriginal) => {
  const original = await importOriginal<typeof scopeModule>();
  return {
    ...original,
    orgSubtreeIds: (db: Parameters<typeof original.orgSubtreeIds>[0]) => original.orgSubtreeIds(db, '/'),
    inOrgScope: (db: Parameters<typeof original.inOrgScope>[0], column: string) =>
      original.inOrgScope(db, column, { path: '/' }),
  };
});

/** Tables without org-scoped rows: code lists, sign-in throttling, the audit chain's head, migrations. */
const UNWALLED = [
  'audit_head',
  'ethnic_group',
  'kysely_migration',
  'kysely_migration_lock',
  'login_throttle',
];

const registry = useRegistryTest();
let tree: TestTree;
let streetA: ApiClient;
/** Street A is tree.street (communities A and B); street B is tree.otherStreet. */
const records = { residentA: '', residentB: '', householdB: '', placeB: '' };

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const page = { page: 1, pageSize: 200, order: 'asc' } as const;
const listResidents = (scope: OrgScope) =>
  residentRepository.findResidents(registry.t.database.db, scope, {}, 'name', page);
const residentRow = (id: string) =>
  runAsSystem(() =>
    registry.t.database.db.selectFrom('resident').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
  );

beforeAll(async () => {
  tree = registry.tree;
  const admin = await registry.signIn('district-admin', 'system_admin', tree.district.id);
  const register = async (orgUnitId: string, name: string, sequence: number) => {
    const { status, body } = await admin.post('/api/residents', {
      orgUnitId,
      name,
      ethnicityCode: '03',
      idNumber: makeIdNumber('622901', '19900615', sequence),
    });
    expect(status).toBe(201);
    return body.id as string;
  };
  records.residentA = await register(tree.gridA1.id, '马甲', 101);
  records.residentB = await register(tree.otherCommunity.id, '马乙', 203);
  records.householdB = (await admin.post('/api/households', { orgUnitId: tree.otherCommunity.id })).body.id;
  records.placeB = (
    await admin.post('/api/places', { orgUnitId: tree.otherCommunity.id, kind: 'estate', name: '乙街小区' })
  ).body.id;
  expect(records.householdB && records.placeB).toBeTruthy();
  streetA = await registry.signIn('street-a', 'street_officer', tree.street.id);
});

describe('the roles', () => {
  it('runs the server as a role that owns no table and cannot bypass row security', async () => {
    const role = await withClient(registry.t.url!, async (client) => {
      const { rows } = await client.query(`
        select current_user as name, r.rolsuper, r.rolbypassrls,
          pg_has_role(current_user, '${testRoles.app}', 'MEMBER') as in_app_role,
          (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'public' and pg_has_role(current_user, c.relowner, 'MEMBER')) as owned
        from pg_roles r where r.rolname = current_user`);
      return rows[0];
    });
    expect(role).toEqual({
      name: testRoles.server,
      rolsuper: false,
      rolbypassrls: false,
      in_app_role: true,
      owned: 0,
    });
  });

  it('tells the server whether its role stays behind the wall (the check `serve` makes)', async () => {
    const asServer = await runAsSystem(() => describeRowSecurityRole(registry.t.database.db));
    expect(asServer).toEqual({ name: testRoles.server, bypassesRowSecurity: false, ownsTables: false });
    const owner = openDatabase({ dataDir: '', databaseUrl: registry.t.ownerUrl, operator: true });
    try {
      expect(await describeRowSecurityRole(owner.db)).toMatchObject({ ownsTables: true });
    } finally {
      await owner.destroy();
    }
  });

  it('enables and forces row security on every table of the registers, so the owner is held too', async () => {
    const tables = await withClient(registry.t.ownerUrl!, async (client) => {
      const { rows } = await client.query<{
        name: string;
        enabled: boolean;
        forced: boolean;
        owner: string;
      }>(`
        select c.relname as name, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
          pg_get_userbyid(c.relowner) as owner
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r' order by 1`);
      return rows;
    });
    const walled = tables.filter((t) => !UNWALLED.includes(t.name));
    expect(walled.length).toBeGreaterThanOrEqual(28);
    expect(walled.filter((t) => !t.enabled || !t.forced).map((t) => t.name)).toEqual([]);
    expect(new Set(tables.map((t) => t.owner))).toEqual(new Set([testRoles.owner]));
    // The owner is no superuser either: FORCE is what keeps its sessions behind the policies.
    const owner = await withClient(registry.t.ownerUrl!, async (client) => {
      const { rows } = await client.query(
        'select rolsuper, rolbypassrls from pg_roles where rolname = current_user',
      );
      return rows[0];
    });
    expect(owner).toEqual({ rolsuper: false, rolbypassrls: false });
  });
});

describe('with the application scope filter off', () => {
  it('would show street B to street A: the filter really is off (control, as the system)', async () => {
    const { rows } = await runAsSystem(() => listResidents({ path: tree.street.path }));
    expect(rows.map((r) => r.id)).toEqual(expect.arrayContaining([records.residentA, records.residentB]));
  });

  it('still lists and counts only street A for street A, in SQL and over HTTP', async () => {
    const { rows, total } = await runInSubtree(tree.street.path, () => listResidents({ path: '/' }));
    expect(rows.map((r) => r.id)).toEqual([records.residentA]);
    expect(total).toBe(1);
    const residents = await streetA.get('/api/residents?pageSize=200');
    expect(residents.status).toBe(200);
    expect(residents.body.items.map((r: { id: string }) => r.id)).toEqual([records.residentA]);
    expect(residents.body.total).toBe(1);
    const households = await streetA.get('/api/households?pageSize=200');
    expect(households.body.items.map((h: { id: string }) => h.id)).not.toContain(records.householdB);
    const places = await streetA.get('/api/places?pageSize=200');
    expect(places.body.items.map((p: { id: string }) => p.id)).not.toContain(records.placeB);
  });

  it('does not let street A read, change or delete a record of street B', async () => {
    expect((await streetA.get(`/api/residents/${records.residentB}`)).status).toBe(404);
    expect((await streetA.get(`/api/households/${records.householdB}`)).status).toBe(404);
    expect((await streetA.get(`/api/places/${records.placeB}`)).status).toBe(404);
    const before = await residentRow(records.residentB);
    const patched = await streetA.patch(`/api/residents/${records.residentB}`, {
      version: before.version,
      name: '改名',
    });
    expect(patched.status).toBe(404);
    const deleted = await streetA.delete(`/api/residents/${records.residentB}?version=${before.version}`);
    expect(deleted.status).toBe(404);
    expect(await residentRow(records.residentB)).toEqual(before);
  });

  it('updates and deletes no row of street B even when SQL names it directly', async () => {
    const db = registry.t.database.db;
    const before = await residentRow(records.residentB);
    const now = new Date().toISOString();
    const outcome = await runInSubtree(tree.street.path, async () => ({
      update: await updateVersioned(
        db,
        'resident',
        records.residentB,
        before.version,
        { name: '改名' },
        null,
        now,
      ),
      softDelete: await setDeleted(db, 'resident', records.residentB, before.version, true, null, now),
      hardDelete: Number(
        (await db.deleteFrom('resident').where('id', '=', records.residentB).executeTakeFirst())
          .numDeletedRows,
      ),
      count: Number(
        (
          await db
            .selectFrom('resident')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('orgUnitId', '=', tree.otherCommunity.id)
            .executeTakeFirstOrThrow()
        ).n,
      ),
    }));
    expect(outcome).toEqual({ update: 'stale', softDelete: 'stale', hardDelete: 0, count: 0 });
    expect(await residentRow(records.residentB)).toEqual(before);
  });

  it('refuses to write a record into street B from street A', async () => {
    const db = registry.t.database.db;
    const row = await residentRow(records.residentA);
    const copy = { ...row, id: crypto.randomUUID(), orgUnitId: tree.otherCommunity.id, idNumber: null };
    await expect(
      runInSubtree(tree.street.path, () => db.insertInto('resident').values(copy).execute()),
    ).rejects.toMatchObject({ code: '42501' }); // new row violates row-level security policy
    const moved = runInSubtree(tree.street.path, () =>
      db
        .updateTable('resident')
        .set({ orgUnitId: tree.otherCommunity.id })
        .where('id', '=', row.id)
        .execute(),
    );
    await expect(moved).rejects.toMatchObject({ code: '42501' });
  });
});

describe('without a row scope', () => {
  it('shows a connection that set none no record, and lets it write none', async () => {
    const seen = await withClient(registry.t.url!, async (client) => {
      const count = async (table: string) =>
        (await client.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]!.n;
      const updated = await client.query(`update resident set name = name`);
      const inserted = await client
        .query(
          `insert into import_template (id, org_unit_id, name, mapping, created_at)
                values (gen_random_uuid(), '${tree.gridA1.id}', 'x', '{}', now())`,
        )
        .then(
          () => 'inserted',
          (error: { code?: string }) => error.code,
        );
      return {
        residents: await count('resident'),
        units: await count('org_unit'),
        users: await count('app_user'),
        updated: updated.rowCount,
        inserted,
      };
    });
    expect(seen).toEqual({ residents: 0, units: 0, users: 0, updated: 0, inserted: '42501' });
    const all = await runAsSystem(() =>
      registry.t.database.db
        .selectFrom('resident')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow(),
    );
    expect(Number(all.n)).toBeGreaterThanOrEqual(2);
  });

  it('refuses database work of the server that names no scope, rather than run it', async () => {
    const server = openDatabase({ ...registry.t.database.options, operator: false });
    try {
      await expect(server.db.selectFrom('resident').select('id').execute()).rejects.toBeInstanceOf(
        MissingRowScopeError,
      );
      const inScope = await runInSubtree(tree.street.path, () =>
        server.db.selectFrom('resident').select('id').execute(),
      );
      expect(inScope.map((r) => r.id)).toEqual([records.residentA]);
    } finally {
      await server.destroy();
    }
  });
});
