import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { choose, field, label, logIn, useBrowser } from './support/browser.ts';

const openPage = useBrowser();

/** The number shown by a figure card (a Statistic inside the element with this test id). */
async function figure(page: Page, testId: string): Promise<number> {
  const value = page.getByTestId(testId).locator('.ant-statistic-content-value');
  await expect.poll(async () => value.count()).toBe(1);
  return Number((await value.innerText()).replace(/[^\d]/g, ''));
}

describe('disputes and petitions in the browser', () => {
  it('records a dispute, adds a mediation step, resolves it and sees the figures change', async () => {
    const { page } = await openPage();
    await logIn(page, 'community');
    await page.getByRole('menuitem', { name: /矛盾纠纷/ }).click();
    await page.waitForURL(/\/disputes/);
    const found = await figure(page, 'dispute-found');
    const resolved = await figure(page, 'dispute-resolved');
    await page.getByText('化解率 = 已化解 ÷ 排查发现').waitFor();

    await page.getByRole('button', { name: /登记纠纷/ }).click();
    const summary = `浏览器测试纠纷${Date.now()}`;
    await field(page, '纠纷概况').fill(summary);
    // The category has no default: saving without one is refused while the form is filled in.
    await page.getByRole('button', { name: label('保存') }).click();
    await page.getByText('必填').first().waitFor();
    await choose(page.locator('.ant-drawer').getByRole('combobox', { name: /类别/ }), '邻里纠纷');
    await page.getByRole('textbox', { name: '姓名 1' }).fill('测试当事人');
    await page.getByRole('button', { name: label('保存') }).click();
    await expect.poll(() => figure(page, 'dispute-found')).toBe(found + 1);

    await page.getByRole('searchbox', { name: '搜索纠纷概况或当事人姓名' }).fill(summary);
    await page.getByRole('button', { name: label('搜索') }).click();
    await page.getByRole('link', { name: '测试当事人' }).click();
    await page.waitForURL(/\/disputes\/[0-9a-f-]{36}/);
    const disputeUrl = page.url();
    await page.getByText('尚无调处记录').waitFor();

    await field(page, '调处情况').fill('组织双方协商，达成一致');
    await page.getByRole('button', { name: label('添加调处记录') }).click();
    await page.getByText('组织双方协商，达成一致').first().waitFor();
    await page.getByRole('button', { name: label('标记为已化解') }).click();
    await page.getByRole('button', { name: label('重新调处') }).waitFor();

    await page.getByRole('menuitem', { name: /矛盾纠纷/ }).click();
    await page.waitForURL(/\/disputes(\?|$)/);
    await expect.poll(() => figure(page, 'dispute-resolved')).toBe(resolved + 1);
    expect(await figure(page, 'dispute-found')).toBe(found + 1);

    // Deleted after a confirmation, back in the list and out of the figures; restored from its page.
    await page.goto(disputeUrl);
    await page.getByRole('button', { name: label('删除') }).click();
    await page.getByText('确定删除这条记录吗').waitFor();
    await page
      .locator('.ant-popconfirm')
      .getByRole('button', { name: label('删除') })
      .click();
    await page.waitForURL(/\/disputes(\?|$)/);
    await expect.poll(() => figure(page, 'dispute-found')).toBe(found);
    await page.goto(disputeUrl);
    await page.getByRole('button', { name: label('恢复') }).click();
    await page.getByText('已恢复').waitFor();
    await page.getByRole('button', { name: label('删除') }).waitFor();
  });

  it('records a petition on a phone-width screen and completes it', async () => {
    const { page } = await openPage({ width: 375, height: 812, isMobile: true });
    await logIn(page, 'community');
    await page.goto('/petitions');
    const handled = await figure(page, 'petitions-handled');
    await page.getByText('办结率 = 已办结 ÷ 受理总数').waitFor();

    await page.getByRole('button', { name: /登记信访或来电/ }).click();
    const drawer = page.locator('.ant-drawer');
    await choose(drawer.getByRole('combobox', { name: /渠道/ }), '来访');
    const subject = `浏览器测试信访${Date.now()}`;
    await field(page, '反映事项').fill(subject);
    await page.getByRole('button', { name: label('保存') }).click();
    await drawer.waitFor({ state: 'hidden' });
    await page.getByRole('link', { name: subject }).click();
    await page.waitForURL(/\/petitions\/[0-9a-f-]{36}/);

    await choose(field(page, '下一步', 'combobox'), '已办结');
    await page.getByRole('button', { name: label('变更状态') }).click();
    await page.getByText('已办结', { exact: true }).first().waitFor();
    await expect.poll(() => page.getByRole('button', { name: label('变更状态') }).count()).toBe(0);

    await page.goto('/petitions');
    await expect.poll(() => figure(page, 'petitions-handled')).toBe(handled + 1);
  });

  it('sets a channel deadline, checked as it is typed, and marks petitions overdue against it', async () => {
    const { page } = await openPage();
    await logIn(page, 'community');
    await page.goto('/petitions');
    await page.getByRole('tab', { name: '办理时限设置' }).click();
    await page.waitForURL(/view=sla/);
    await page.getByText('已受理的仍按受理时的时限判断是否超期').waitFor();
    const row = page.getByRole('row', { name: /网上信访/ });
    const days = row.getByRole('textbox', { name: '网上信访办理时限（天）' });
    const save = row.getByRole('button', { name: label('保存') });
    await expect.poll(() => days.inputValue()).toMatch(/^\d+$/);

    // Whole days from 1 to 365, said while typing; nothing can be saved until then.
    await days.fill('0');
    await row.getByText('办理时限须在 1–365 天之间').waitFor();
    expect(await save.isDisabled()).toBe(true);
    await days.fill('2.5');
    await row.getByText('请输入整数天数').waitFor();
    expect(await save.isDisabled()).toBe(true);
    await days.fill('2');
    await expect.poll(() => save.isDisabled()).toBe(false);
    await save.click();
    await row.getByText('本级设定').waitFor();

    const fiveDaysAgo = new Date(Date.now() - 5 * 86_400_000).toLocaleDateString('sv-SE');
    const record = async (subject: string) => {
      await page.getByRole('tab', { name: '信访登记' }).click();
      await page.getByRole('button', { name: /登记信访或来电/ }).click();
      const drawer = page.locator('.ant-drawer');
      await choose(drawer.getByRole('combobox', { name: /渠道/ }), '网上信访');
      const received = field(page, '接收日期');
      await received.click();
      await received.fill(fiveDaysAgo);
      await received.press('Enter');
      await field(page, '反映事项').fill(subject);
      await page.getByRole('button', { name: label('保存') }).click();
      await drawer.waitFor({ state: 'hidden' });
      await page.getByRole('searchbox', { name: '搜索反映事项或反映人' }).fill(subject);
      await page.getByRole('button', { name: label('搜索') }).click();
      return page.getByRole('row', { name: new RegExp(subject) });
    };

    // Received five days ago with two days to answer: overdue.
    const late = `时限测试甲${Date.now()}`;
    const lateRow = await record(late);
    await lateRow.getByText('已超期').waitFor();

    // Sixty days from now on: the same kind of petition is within its deadline, the first stays late.
    await page.getByRole('tab', { name: '办理时限设置' }).click();
    await days.fill('60');
    await save.click();
    await expect.poll(() => save.isDisabled()).toBe(true);
    const onTime = `时限测试乙${Date.now()}`;
    const onTimeRow = await record(onTime);
    await onTimeRow.getByText('已受理').waitFor();
    expect(await onTimeRow.getByText('已超期').count()).toBe(0);
    await page.getByRole('searchbox', { name: '搜索反映事项或反映人' }).fill('时限测试');
    await page.getByRole('button', { name: label('搜索') }).click();
    await page
      .getByRole('row', { name: new RegExp(late) })
      .getByText('已超期')
      .waitFor();
    expect(
      await page
        .getByRole('row', { name: new RegExp(onTime) })
        .getByText('已超期')
        .count(),
    ).toBe(0);
  });
});
