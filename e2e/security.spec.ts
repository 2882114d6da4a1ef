import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { demoPassword, label, logIn, useBrowser } from './support/browser.ts';

const openPage = useBrowser();

describe('signing in safely', () => {
  it('makes a new user change the password an administrator set before showing any register', async () => {
    const admin = await openPage();
    await logIn(admin.page, 'admin');
    const community = (await (await admin.page.request.get('/api/org-units?q=青禾社区')).json()).items[0];
    const username = `new${Date.now() % 1_000_000}`;
    const created = await admin.page.request.post('/api/users', {
      data: { username, password: 'Start#2026', roles: ['community_worker'], orgUnitId: community.id },
    });
    expect(created.status()).toBe(201);

    const { page } = await openPage();
    await page.goto('/residents');
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码').fill('Start#2026');
    await page.getByRole('button', { name: label('登录') }).click();
    await page.waitForURL(/\/password/);
    await page.getByText('首次登录或密码到期后须先修改密码').waitFor();

    await page.getByLabel('当前密码').fill('Start#2026');
    await page.getByLabel('新密码', { exact: true }).fill('abcdefgh');
    await page.getByText('密码须包含大写字母、小写字母、数字、符号中的至少三类').first().waitFor();
    await page.getByLabel('新密码', { exact: true }).fill('Qinghe#2026');
    await page.getByLabel('确认新密码').fill('Qinghe#2026');
    await page.getByRole('button', { name: label('保存新密码') }).click();
    await page.waitForURL(/\/residents/);
    await page.getByText('密码已修改').waitFor();

    const me = await (await page.request.get('/api/auth/me')).json();
    expect(me).toMatchObject({ username, mustChangePassword: false });
  });

  it('tells a user whose name is locked after repeated wrong passwords to wait, in Chinese', async () => {
    const { page } = await openPage();
    await page.goto('/login');
    const username = `ghost${Date.now() % 1_000_000}`;
    for (let i = 0; i < 5; i++) {
      await page.getByLabel('用户名').fill(username);
      await page.getByLabel('密码').fill(`Wrong#${i}pass`);
      // Each attempt waits for its answer, so the next one is not typed into a form still busy.
      await Promise.all([
        page.waitForResponse((response) => response.url().endsWith('/api/auth/login')),
        page.getByRole('button', { name: label('登录') }).click(),
      ]);
      await page.locator('.ant-alert-error').waitFor();
      if (i < 4)
        await expect.poll(() => page.locator('.ant-alert-error').innerText()).toContain('用户名或密码错误');
    }
    await expect
      .poll(() => page.locator('.ant-alert-error').innerText())
      .toContain('该账号已锁定，请 15 分钟后再试');
  });

  it('shows an auditor the audit log and nothing of the registers', async () => {
    const admin = await openPage();
    await logIn(admin.page, 'admin');
    const { page } = await openPage();
    await page.goto('/login');
    await page.getByLabel('用户名').fill('auditor');
    await page.getByLabel('密码').fill(demoPassword);
    await page.getByRole('button', { name: label('登录') }).click();
    // The auditor's role signs in with TOTP: bind an authenticator first (the code computed here, as an app would).
    await page.waitForURL(/\/two-factor/);
    const secret = (await page.getByTestId('totp-secret').innerText()).trim();
    const totp = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });
    await page.getByLabel('验证码').fill(totp.generate());
    await page.getByRole('button', { name: label('完成绑定') }).click();
    await page.getByText('请保存恢复码').waitFor();
    expect(await page.locator('.ant-list-item').count()).toBe(10);
    await page.getByRole('button', { name: label('我已妥善保存，继续') }).click();
    await page.waitForURL(/\/audit/);
    await page.getByRole('heading', { name: '审计日志' }).waitFor();
    expect(await page.getByRole('menuitem', { name: /居民台账/ }).count()).toBe(0);
    await expect
      .poll(async () => (await page.locator('.ant-table-tbody').innerText()).includes('admin'))
      .toBe(true);
    expect(await page.locator('.ant-table-tbody').innerText()).toContain('登录');
    expect((await page.request.get('/api/residents')).status()).toBe(403);
  });

  it('lets the security administrator change roles and disable an account, and shows no register', async () => {
    const { page } = await openPage();
    await logIn(page, 'security', /\/users/);
    await page.getByRole('heading', { name: '账号管理' }).waitFor();
    expect(await page.getByRole('menuitem', { name: /居民台账/ }).count()).toBe(0);
    expect((await page.request.get('/api/residents')).status()).toBe(403);

    const row = page.locator('.ant-table-row', { hasText: 'viewer' });
    await row.getByRole('button', { name: label('设置角色') }).click();
    const dialog = page.getByRole('dialog');
    // Two of the three duties in one account are refused as they are ticked.
    await dialog.getByLabel('安全管理员').check();
    await dialog.getByLabel('审计员').check();
    await dialog.getByText('系统管理员、安全管理员、审计员须由不同账号分别担任').waitFor();
    await dialog.getByLabel('安全管理员').uncheck();
    await dialog.getByLabel('审计员').uncheck();
    await dialog.getByLabel('网格员').check();
    await dialog.getByRole('button', { name: label('确定') }).click();
    await page.getByText('角色已更新，该用户需重新登录').waitFor();
    await expect.poll(() => row.innerText()).toContain('网格员');

    await row.getByRole('button', { name: label('停用') }).click();
    await page.getByRole('button', { name: label('确定') }).click();
    await expect.poll(() => row.innerText()).toContain('已停用');
    await row.getByRole('button', { name: label('启用') }).click();
    await expect.poll(() => row.innerText()).toContain('正常');
  });
});
