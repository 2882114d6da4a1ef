import { describe, expect, it } from 'vitest';
import { label, logIn, useBrowser } from './support/browser.ts';

const openPage = useBrowser();

describe('retention of records', () => {
  it('lets the security administrator set a period no shorter than its minimum and preview the job', async () => {
    const { page } = await openPage();
    await logIn(page, 'security', /\/users/);
    await page.getByRole('menuitem', { name: /数据保留/ }).click();
    await page.getByRole('heading', { name: '数据保留期限' }).waitFor();
    await page.getByText('服务每天自动执行一次保留任务').waitFor();

    const days = page.getByLabel('走访慰问记录的保留期限（天）');
    const row = page.locator('.ant-table-row', { has: days });
    await days.fill('100');
    await row.getByText('不得少于 730 天').waitFor();
    expect(await row.getByRole('button', { name: label('保存') }).isDisabled()).toBe(true);
    await days.fill('2000');
    await row.getByRole('button', { name: label('保存') }).click();
    await page.getByText('已保存：走访慰问记录保留 2000 天后匿名化').waitFor();
    await row.getByText('已由 安全管理员 修改').waitFor();
    // Types that can only be handled one way offer no other.
    expect(await page.getByLabel('登录会话与登录失败记录的到期处理方式').isDisabled()).toBe(true);

    await page.getByRole('button', { name: label('预演（不做任何改动）') }).click();
    await page.getByText('预演完成：以下为执行时将处理的记录，数据库未做任何改动').waitFor();
    const history = page.locator('.ant-card', { hasText: '执行记录' });
    await expect.poll(() => history.innerText()).toContain('预演');
    expect(await history.innerText()).toContain('网页');

    const settings = await (await page.request.get('/api/retention/policies')).json();
    expect(settings.policies.find((p: { recordType: string }) => p.recordType === 'visit')).toMatchObject({
      days: 2000,
      action: 'anonymise',
    });
    // Back to the default, for the other tests of this server.
    const reset = await page.request.put('/api/retention/policies/visit', {
      data: { days: 1825, action: 'anonymise' },
    });
    expect(reset.status()).toBe(200);
  });

  it('shows the system administrator the periods read-only, and refuses a change in Chinese', async () => {
    const { page } = await openPage();
    await logIn(page, 'admin');
    await page.getByRole('menuitem', { name: /数据保留/ }).click();
    await page.getByText('只有管辖全区的安全管理员可以修改保留期限').waitFor();
    expect(await page.getByLabel('走访慰问记录的保留期限（天）').isDisabled()).toBe(true);
    const refused = await page.request.put('/api/retention/policies/visit', {
      data: { days: 3650, action: 'anonymise' },
    });
    expect(refused.status()).toBe(403);
    expect((await refused.json()).error.message).toBe('您没有执行此操作的权限');
  });
});
