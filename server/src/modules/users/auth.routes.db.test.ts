import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_PASSWORD,
  buildTestApp,
  buildTestTree,
  loginAs,
  type TestApp,
  type TestTree,
} from '../../../test/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/test-database.ts';

let t: TestDatabase;
let tree: TestTree;
let app: TestApp;

beforeAll(async () => {
  t = await createTestDatabase();
  tree = await buildTestTree(t.database, 'L');
  app = await buildTestApp(t.database, { maxFailures: 3, lockMinutes: 15, attemptsPerIpMinute: 12 });
});

afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

const attempt = (username: string, password: string, ip = '10.0.0.1') =>
  app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });

describe('throttled logins', () => {
  it('locks an account after too many wrong passwords, even against the right one, and says so in Chinese', async () => {
    await loginAs(app, t.database, 'lockme', 'community_worker', tree.communityA.id);
    expect((await attempt('lockme', 'wrong-1')).statusCode).toBe(401);
    expect((await attempt('lockme', 'wrong-2')).statusCode).toBe(401);
    const third = await attempt('lockme', 'wrong-3');
    expect(third.statusCode).toBe(423);
    expect(third.json().error).toEqual({
      code: 'account_locked',
      message: '登录失败次数过多，该账号已锁定，请 15 分钟后再试',
    });
    const right = await attempt('lockme', TEST_PASSWORD);
    expect(right.statusCode).toBe(423);
    expect(right.headers['set-cookie']).toBeUndefined();

    // The lock ends by itself: moved into the past, the right password works and the count restarts.
    await t.database.db
      .updateTable('loginThrottle')
      .set({ lockedUntil: new Date(Date.now() - 1000).toISOString() })
      .where('username', '=', 'lockme')
      .execute();
    expect((await attempt('lockme', TEST_PASSWORD)).statusCode).toBe(200);
    expect((await attempt('lockme', 'wrong-again')).statusCode).toBe(401);
  });

  it('locks a name nobody has exactly like a real account, so a lockout tells nothing', async () => {
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await attempt('nobody-here', `guess-${i}`, '10.0.0.2'));
    expect(answers.map((a) => a.statusCode)).toEqual([401, 401, 423]);
    expect(answers[2]!.json().error.code).toBe('account_locked');
  });

  it('limits the attempts of one address per minute, whatever names it tries, and no other address', async () => {
    const statuses = [];
    for (let i = 0; i < 13; i++) statuses.push((await attempt(`user-${i}`, 'x', '10.0.0.3')).statusCode);
    expect(statuses.slice(0, 12).every((s) => s === 401)).toBe(true);
    const limited = await attempt('user-13', 'x', '10.0.0.3');
    expect(statuses[12]).toBe(429);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error).toEqual({
      code: 'too_many_login_attempts',
      message: '登录尝试过于频繁，请一分钟后再试',
    });
    expect((await attempt('user-0', 'x', '10.0.0.4')).statusCode).toBe(401);
  });
});
