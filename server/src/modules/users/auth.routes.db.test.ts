import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  TEST_PASSWORD,
  buildTestApp,
  buildTestTree,
  loginAs,
  sessionCookie,
  type TestApp,
  type TestTree,
} from '../../../test/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { isSealed, unseal } from '../../lib/field-crypto.ts';

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

const me = (cookie: string) => app.inject({ url: '/api/auth/me', headers: { cookie } });

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

describe('sessions', () => {
  it('ends a session left unused for 15 minutes, and not one in use', async () => {
    const { cookie } = await loginAs(app, t.database, 'idle', 'viewer', tree.communityA.id);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const later = (minutes: number) => vi.setSystemTime(Date.now() + minutes * 60_000);
      later(14);
      expect((await me(cookie)).statusCode).toBe(200);
      later(14);
      expect((await me(cookie)).statusCode).toBe(200);
      later(16);
      const answer = await me(cookie);
      expect(answer.statusCode).toBe(401);
      expect(answer.json().error.code).toBe('unauthenticated');
    } finally {
      vi.useRealTimers();
    }
  });

  it('ends every session of a user at once when the security administrator disables the account', async () => {
    const admin = await loginAs(app, t.database, 'security-l', 'security_admin', tree.street.id);
    const first = await loginAs(app, t.database, 'leaver', 'community_worker', tree.communityA.id);
    const second = await attempt('leaver', TEST_PASSWORD, '10.0.0.9');
    const secondCookie = sessionCookie(second);
    expect((await me(first.cookie)).statusCode).toBe(200);
    expect((await me(secondCookie)).statusCode).toBe(200);
    const adminId = (await me(admin.cookie)).json().id as string;
    // A community worker may not disable anyone.
    const notAllowed = await app.inject({
      method: 'POST',
      url: `/api/users/${adminId}/disable`,
      headers: { cookie: first.cookie },
    });
    expect(notAllowed.statusCode).toBe(403);
    expect((await me(admin.cookie)).statusCode).toBe(200);
    const userId0 = (await me(first.cookie)).json().id as string;
    // Nor may the system administrator: disabling accounts is security administration (三员).
    const system = await loginAs(app, t.database, 'system-l', 'system_admin', tree.street.id);
    const notTheirs = await app.inject({
      method: 'POST',
      url: `/api/users/${userId0}/disable`,
      headers: { cookie: system.cookie },
    });
    expect(notTheirs.statusCode).toBe(403);
    const userId = (await me(first.cookie)).json().id as string;

    const disabled = await app.inject({
      method: 'POST',
      url: `/api/users/${userId}/disable`,
      headers: { cookie: admin.cookie },
    });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json()).toMatchObject({ username: 'leaver', isDisabled: true });
    expect((await me(first.cookie)).statusCode).toBe(401);
    expect((await me(secondCookie)).statusCode).toBe(401);
    expect((await attempt('leaver', TEST_PASSWORD, '10.0.0.9')).statusCode).toBe(401);

    // The administrator cannot disable himself.
    const refused = await app.inject({
      method: 'POST',
      url: `/api/users/${adminId}/disable`,
      headers: { cookie: admin.cookie },
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toBe('不能停用自己的账号');

    const enabled = await app.inject({
      method: 'POST',
      url: `/api/users/${userId}/enable`,
      headers: { cookie: admin.cookie },
    });
    expect(enabled.json()).toMatchObject({ isDisabled: false });
    expect((await attempt('leaver', TEST_PASSWORD, '10.0.0.9')).statusCode).toBe(200);
    const history = await t.database.db
      .selectFrom('changeLog')
      .select(['id', 'action', 'after'])
      .where('entityId', '=', userId)
      .where('action', '=', 'update')
      .orderBy('at')
      .execute();
    expect(history.map((h) => JSON.parse(unseal('change_log.after', h.id, h.after!)))).toEqual([
      { isDisabled: true },
      { isDisabled: false },
    ]);
  });
});

describe('separate duties (三员)', () => {
  const call = (cookie: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });

  it('lets the system administrator open accounts and only the security administrator grant duties', async () => {
    const system = await loginAs(app, t.database, 'system-d', 'system_admin', tree.street.id);
    const security = await loginAs(app, t.database, 'security-d', 'security_admin', tree.street.id);
    const account = (roles: string[], username: string) =>
      call(system.cookie, 'POST', '/api/users', {
        username,
        password: 'Start#2026',
        roles,
        orgUnitId: tree.communityA.id,
      });

    const duty = await account(['auditor'], 'would-audit');
    expect(duty.statusCode).toBe(403);
    expect(duty.json().error.message).toBe(
      '新建账号只能授予业务角色；系统管理员、安全管理员、审计员角色由安全管理员授予',
    );
    const opened = await account(['community_worker'], 'clerk-d');
    expect(opened.statusCode).toBe(201);
    const clerkId = opened.json().id as string;
    expect(
      (await call(system.cookie, 'PUT', `/api/users/${clerkId}/roles`, { roles: ['viewer'] })).statusCode,
    ).toBe(403);

    const joined = await call(security.cookie, 'PUT', `/api/users/${clerkId}/roles`, {
      roles: ['security_admin', 'auditor'],
    });
    expect(joined.statusCode).toBe(400);
    expect(joined.json().error.message).toBe('系统管理员、安全管理员、审计员三种职责须由不同账号分别担任');

    const securityId = (await me(security.cookie)).json().id as string;
    const own = await call(security.cookie, 'PUT', `/api/users/${securityId}/roles`, {
      roles: ['system_admin'],
    });
    expect(own.statusCode).toBe(409);
    expect(own.json().error.message).toBe('不能修改自己账号的角色');

    // A new role takes effect at the next sign-in: the sessions the user had end at once.
    const clerkSession = sessionCookie(await attempt('clerk-d', 'Start#2026', '10.0.2.1'));
    const granted = await call(security.cookie, 'PUT', `/api/users/${clerkId}/roles`, { roles: ['auditor'] });
    expect(granted.statusCode).toBe(200);
    expect(granted.json().roles).toEqual(['auditor']);
    expect((await me(clerkSession)).statusCode).toBe(401);
  });

  it('keeps the security administrator away from the registers, and lets them lift a sign-in lock', async () => {
    const security = await loginAs(app, t.database, 'security-u', 'security_admin', tree.street.id);
    expect((await call(security.cookie, 'GET', '/api/residents')).statusCode).toBe(403);
    expect((await call(security.cookie, 'GET', '/api/audit')).statusCode).toBe(403);
    const users = await call(security.cookie, 'GET', '/api/users');
    expect(users.statusCode).toBe(200);

    await loginAs(app, t.database, 'forgetful', 'grid_worker', tree.gridA1.id);
    for (let i = 0; i < 3; i++) await attempt('forgetful', `Wrong#${i}pass`, '10.0.3.1');
    expect((await attempt('forgetful', TEST_PASSWORD, '10.0.3.1')).statusCode).toBe(423);
    const forgetfulId = (await call(security.cookie, 'GET', '/api/users'))
      .json()
      .find((u: { username: string }) => u.username === 'forgetful').id as string;
    expect((await call(security.cookie, 'POST', `/api/users/${forgetfulId}/unlock`)).statusCode).toBe(200);
    expect((await attempt('forgetful', TEST_PASSWORD, '10.0.3.1')).statusCode).toBe(200);
  });
});

describe('passwords', () => {
  const change = (cookie: string, currentPassword: string, newPassword: string) =>
    app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: { cookie },
      payload: { currentPassword, newPassword },
    });

  it('refuses a weak password when an administrator creates a user, naming the rule in Chinese', async () => {
    const admin = await loginAs(app, t.database, 'admin-p', 'system_admin', tree.street.id);
    const weak = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: admin.cookie },
      payload: {
        username: 'weakling',
        password: 'abcdefgh1',
        roles: ['viewer'],
        orgUnitId: tree.communityA.id,
      },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error).toEqual({
      code: 'password_too_simple',
      message: '密码须包含大写字母、小写字母、数字、符号中的至少三类',
    });
  });

  it('makes a user change the password an administrator set before anything else, and never back to a recent one', async () => {
    const admin = await loginAs(app, t.database, 'admin-q', 'system_admin', tree.street.id);
    const created = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: admin.cookie },
      payload: {
        username: 'newcomer',
        password: 'Start#2026',
        roles: ['viewer'],
        orgUnitId: tree.communityA.id,
      },
    });
    expect(created.json()).toMatchObject({ mustChangePassword: true });

    const first = sessionCookie(await attempt('newcomer', 'Start#2026', '10.0.1.1'));
    const other = sessionCookie(await attempt('newcomer', 'Start#2026', '10.0.1.2'));
    expect((await app.inject({ url: '/api/auth/me', headers: { cookie: first } })).json()).toMatchObject({
      mustChangePassword: true,
    });
    const blocked = await app.inject({ url: '/api/residents', headers: { cookie: first } });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('password_change_required');

    expect((await change(first, 'Wrong#2026', 'Next#2026a')).json().error.code).toBe(
      'password_wrong_current',
    );
    expect((await change(first, 'Start#2026', 'short1A')).json().error.code).toBe('password_too_short');
    expect((await change(first, 'Start#2026', 'Start#2026')).json().error.code).toBe('password_reused');
    const changed = await change(first, 'Start#2026', 'Next#2026a');
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ username: 'newcomer', mustChangePassword: false });
    expect((await app.inject({ url: '/api/residents', headers: { cookie: first } })).statusCode).toBe(200);
    // Every other session of the user ended with the change.
    expect((await app.inject({ url: '/api/auth/me', headers: { cookie: other } })).statusCode).toBe(401);

    // Back to the password before: one of the last five, refused.
    const back = await change(first, 'Next#2026a', 'Start#2026');
    expect(back.statusCode).toBe(400);
    expect(back.json().error.message).toBe('新密码不能与最近 5 次使用过的密码相同');
    expect((await attempt('newcomer', 'Next#2026a', '10.0.1.3')).statusCode).toBe(200);
  });

  it('asks for a new password at the next sign-in once a password is 90 days old', async () => {
    await loginAs(app, t.database, 'veteran', 'viewer', tree.communityA.id);
    await t.database.db
      .updateTable('appUser')
      .set({ passwordChangedAt: new Date(Date.now() - 91 * 86_400_000).toISOString() })
      .where('username', '=', 'veteran')
      .execute();
    const signedIn = await attempt('veteran', TEST_PASSWORD, '10.0.1.4');
    expect(signedIn.json().user).toMatchObject({ mustChangePassword: true });
    const blocked = await app.inject({
      url: '/api/households',
      headers: { cookie: sessionCookie(signedIn) },
    });
    expect(blocked.json().error.message).toBe('请先修改密码后再继续使用');
  });
});

describe('two-factor sign-in', () => {
  it('makes a required role bind an authenticator first, then asks every sign-in for a code or a recovery code', async () => {
    const totpApp = await buildTestApp(t.database, { totpRequiredRoles: ['system_admin'] });
    try {
      const signIn = async (username: string) => {
        const answer = await totpApp.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username, password: TEST_PASSWORD },
        });
        const cookie = sessionCookie(answer);
        return { cookie, secondFactor: answer.json().secondFactor as string | null };
      };
      const call = (cookie: string, method: 'GET' | 'POST', url: string, payload?: object) =>
        totpApp.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });

      await loginAs(totpApp, t.database, 'totp-admin', 'system_admin', tree.street.id);
      const first = await signIn('totp-admin');
      expect(first.secondFactor).toBe('enrol');
      const blocked = await call(first.cookie, 'GET', '/api/residents');
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json().error).toEqual({
        code: 'second_factor_required',
        message: '请先完成双因素验证（动态验证码）',
      });
      expect((await call(first.cookie, 'GET', '/api/auth/me')).json()).toMatchObject({
        secondFactor: 'enrol',
        totpEnabled: false,
      });

      const { secret, uri } = (await call(first.cookie, 'POST', '/api/auth/totp/enrolment')).json();
      expect(uri).toMatch(/^otpauth:\/\/totp\/.*totp-admin\?.*secret=/);
      const totp = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });
      const storedSecret = () =>
        t.database.db
          .selectFrom('appUser')
          .select(['id', 'totpSecret', 'totpPendingSecret'])
          .where('username', '=', 'totp-admin')
          .executeTakeFirstOrThrow();
      // The pending secret is stored sealed, never as the text the app shows.
      const pending = await storedSecret();
      expect(pending.totpPendingSecret).not.toContain(secret);
      expect(unseal('app_user.totp_pending_secret', pending.id, pending.totpPendingSecret!)).toBe(secret);
      const wrong = await call(first.cookie, 'POST', '/api/auth/totp/enrolment/confirm', { code: '000000' });
      expect(wrong.json().error.code).toBe('totp_code_wrong');
      const boundAt = Date.now();
      const bindCode = totp.generate({ timestamp: boundAt });
      const confirmed = await call(first.cookie, 'POST', '/api/auth/totp/enrolment/confirm', {
        code: bindCode,
      });
      const { recoveryCodes } = confirmed.json() as { recoveryCodes: string[] };
      expect(recoveryCodes).toHaveLength(10);
      const bound = await storedSecret();
      expect(bound.totpPendingSecret).toBeNull();
      expect(isSealed(bound.totpSecret!)).toBe(true);
      expect(unseal('app_user.totp_secret', bound.id, bound.totpSecret!)).toBe(secret);
      expect((await call(first.cookie, 'GET', '/api/residents')).statusCode).toBe(200);

      // The next sign-in asks for a code; a recovery code works once.
      const second = await signIn('totp-admin');
      expect(second.secondFactor).toBe('verify');
      expect((await call(second.cookie, 'GET', '/api/residents')).statusCode).toBe(403);
      const recovered = await call(second.cookie, 'POST', '/api/auth/totp/verify', {
        code: recoveryCodes[0]!.toLowerCase(),
      });
      expect(recovered.json()).toMatchObject({ secondFactor: null, totpEnabled: true });
      expect((await call(second.cookie, 'GET', '/api/residents')).statusCode).toBe(200);
      const third = await signIn('totp-admin');
      const reused = await call(third.cookie, 'POST', '/api/auth/totp/verify', { code: recoveryCodes[0]! });
      expect(reused.statusCode).toBe(400);
      // The code the binding was confirmed with cannot be used again; the next step's code can, once.
      const replayed = await call(third.cookie, 'POST', '/api/auth/totp/verify', { code: bindCode });
      expect(replayed.json().error.code).toBe('totp_code_wrong');
      const nextCode = totp.generate({ timestamp: boundAt + 30_000 });
      expect((await call(third.cookie, 'POST', '/api/auth/totp/verify', { code: nextCode })).statusCode).toBe(
        200,
      );
      const fourth = await signIn('totp-admin');
      expect(
        (await call(fourth.cookie, 'POST', '/api/auth/totp/verify', { code: nextCode })).statusCode,
      ).toBe(400);

      // A role that does not need it signs in with the password alone.
      await loginAs(totpApp, t.database, 'totp-worker', 'community_worker', tree.communityA.id);
      expect((await signIn('totp-worker')).secondFactor).toBeNull();
    } finally {
      await totpApp.close();
    }
  });
});
