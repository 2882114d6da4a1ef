import { afterAll, beforeAll } from 'vitest';
import type { Role } from '@shiliuzi/shared/registry';
import { computeCheckDigit } from '@shiliuzi/shared/id-number';
import { buildApp } from '../src/app.ts';
import { defaultLoginPolicy, type LoginPolicy } from '../src/config.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { cliActor } from '../src/lib/actor.ts';
import type { OrgUnit } from '@shiliuzi/shared/org-units';
import { orgUnitService } from '../src/modules/org-units/org-unit.service.ts';
import { userService } from '../src/modules/users/user.service.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

export type TestApp = Awaited<ReturnType<typeof buildApp>>;

export const TEST_PASSWORD = 'Test@2026pw';

/** A valid 18-character ID number for a region, birth date (YYYYMMDD) and sequence (odd = male). */
export function makeIdNumber(region: string, birth: string, sequence: number): string {
  const first17 = `${region}${birth}${String(sequence).padStart(3, '0')}`;
  return first17 + computeCheckDigit(first17);
}

/**
 * The app on a test database; tests log in far more often than people, so the per-IP limit is high.
 * On PostgreSQL the app gets connections of its own that, as the server's, have no default row
 * scope: its requests run in their actor's subtree and anything else must say `runAsSystem`.
 */
export async function buildTestApp(
  database: Database,
  login: Partial<LoginPolicy> = {},
  attachments: { dir?: string; maxBytes?: number } = {},
): Promise<TestApp> {
  const serverDatabase = database.options.databaseUrl
    ? openDatabase({ ...database.options, operator: false })
    : database;
  const app = await buildApp({
    config: {
      logLevel: 'silent',
      sessionTtlMinutes: 60,
      cookieSecure: false,
      login: { ...defaultLoginPolicy, attemptsPerIpMinute: 10_000, ...login },
      ...(attachments.maxBytes === undefined ? {} : { attachmentMaxBytes: attachments.maxBytes }),
    },
    database: serverDatabase,
    quiet: true,
    attachmentsDir: attachments.dir,
  });
  if (serverDatabase !== database) {
    const close = app.close.bind(app);
    app.close = (async () => {
      await close();
      await serverDatabase.destroy();
    }) as typeof app.close;
  }
  return app;
}

/**
 * Two communities (A and B) with two grids each, under one street of one district, plus a second
 * street with one community: enough to prove that nothing crosses a boundary.
 */
export interface TestTree {
  district: OrgUnit;
  street: OrgUnit;
  communityA: OrgUnit;
  gridA1: OrgUnit;
  gridA2: OrgUnit;
  communityB: OrgUnit;
  gridB1: OrgUnit;
  gridB2: OrgUnit;
  otherStreet: OrgUnit;
  otherCommunity: OrgUnit;
}

export async function buildTestTree(database: Database, prefix = 'T'): Promise<TestTree> {
  const db = database.db;
  const add = (code: string, name: string, type: OrgUnit['type'], parentId: string | null) =>
    orgUnitService.createOrgUnit(db, cliActor, { code: `${prefix}${code}`, name, type, parentId });
  const district = await add('D', '测试区', 'district', null);
  const street = await add('S', '测试街道', 'street', district.id);
  const communityA = await add('CA', '甲社区', 'community', street.id);
  const gridA1 = await add('CA-G1', '甲社区第一网格', 'grid', communityA.id);
  const gridA2 = await add('CA-G2', '甲社区第二网格', 'grid', communityA.id);
  const communityB = await add('CB', '乙社区', 'community', street.id);
  const gridB1 = await add('CB-G1', '乙社区第一网格', 'grid', communityB.id);
  const gridB2 = await add('CB-G2', '乙社区第二网格', 'grid', communityB.id);
  const otherStreet = await add('S2', '另一街道', 'street', district.id);
  const otherCommunity = await add('S2C', '丙社区', 'community', otherStreet.id);
  return {
    district,
    street,
    communityA,
    gridA1,
    gridA2,
    communityB,
    gridB1,
    gridB2,
    otherStreet,
    otherCommunity,
  };
}

/** Creates a user and returns the session cookie header for requests as that user. */
export async function loginAs(
  app: TestApp,
  database: Database,
  username: string,
  role: Role,
  orgUnitId: string,
): Promise<{ cookie: string }> {
  await userService.createUser(
    database.db,
    cliActor,
    {
      username,
      password: TEST_PASSWORD,
      roles: [role],
      orgUnitId,
    },
    { mustChangePassword: false },
  );
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: TEST_PASSWORD },
  });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`);
  return { cookie: sessionCookie(response) };
}

/** The `cookie` header that carries the session a sign-in answer set. */
export function sessionCookie(response: { cookies: { name: string; value: string }[] }): string {
  const cookie = response.cookies.find((c) => c.name === 'shiliuzi_session');
  if (!cookie) throw new Error('no session cookie');
  return `shiliuzi_session=${cookie.value}`;
}

/** A small JSON client over `app.inject` for one signed-in user. */
export function apiClient(app: TestApp, cookie: string) {
  const call = async (
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
  ) => {
    const response = await app.inject({
      method,
      url,
      headers: { cookie },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: response.statusCode, body: response.json() as any };
  };
  return {
    get: (url: string) => call('GET', url),
    post: (url: string, payload?: unknown) => call('POST', url, payload ?? {}),
    put: (url: string, payload: unknown) => call('PUT', url, payload),
    patch: (url: string, payload: unknown) => call('PATCH', url, payload),
    delete: (url: string) => call('DELETE', url),
  };
}
export type ApiClient = ReturnType<typeof apiClient>;

/** What a route test file works with: a fresh database, the app on it and the test tree. */
export interface RegistryTest {
  t: TestDatabase;
  app: TestApp;
  tree: TestTree;
  /** Creates a user with one role and returns a client signed in as that user. */
  signIn(username: string, role: Role, orgUnitId: string): Promise<ApiClient>;
}

/**
 * Registers the file's setup and teardown: a fresh database, the app and the test tree before
 * the tests, and everything closed after. The returned object is filled before the first test.
 */
export function useRegistryTest(
  options: { attachments?: () => { dir?: string; maxBytes?: number } } = {},
): RegistryTest {
  const context = {} as RegistryTest;
  beforeAll(async () => {
    context.t = await createTestDatabase();
    context.app = await buildTestApp(context.t.database, {}, options.attachments?.());
    context.tree = await buildTestTree(context.t.database);
    context.signIn = async (username, role, orgUnitId) =>
      apiClient(
        context.app,
        (await loginAs(context.app, context.t.database, username, role, orgUnitId)).cookie,
      );
  });
  afterAll(async () => {
    await context.app?.close();
    await context.t?.cleanup();
  });
  return context;
}
