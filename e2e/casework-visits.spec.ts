import { describe, expect, it } from 'vitest';
import { field, label, logIn, useBrowser } from './support/browser.ts';

const openPage = useBrowser();

describe('visits in the field', () => {
  it('lets a grid worker on a phone record the visit of an overdue must-visit from 我的任务 and see it close', async () => {
    const { page } = await openPage({ width: 375, height: 812, isMobile: true });
    await logIn(page, 'grid');

    // The demo gives the grid worker an overdue hardship must-visit (受灾困难必访).
    const overdue = await (
      await page.request.get('/api/must-visits?mine=true&state=overdue&kind=hardship')
    ).json();
    const task = overdue.items[0] as { id: string; residentName: string };
    expect(task).toBeDefined();

    await page.getByRole('button', { name: '菜单' }).click();
    await page
      .getByRole('dialog')
      .getByRole('menuitem', { name: /我的任务/ })
      .click();
    const item = page.getByRole('listitem', { name: `${task.residentName} 受灾困难必访` });
    await item.getByText('已逾期').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    // The visit form opens with the resident and the purpose filled in; the date is today.
    await item.getByRole('button', { name: label('记录走访') }).click();
    await page.waitForURL(/\/visits\/new/);
    await page.getByText(task.residentName).first().waitFor();
    await field(page, '地点').fill('居民家中');
    await field(page, '走访情况').fill('了解受灾后生活情况，协助申请临时救助');
    // A bad amount is named while typing, and nothing is sent.
    await field(page, '慰问金（元）').fill('-5');
    await page.getByText('请输入不小于 0 的金额，最多两位小数').waitFor();
    await field(page, '慰问金（元）').fill('');
    await page.getByRole('button', { name: label('保存') }).click();

    // Back on 我的任务 the task is gone, and the server says it was done by that visit.
    await page.waitForURL(/\/my-tasks/);
    await expect.poll(() => item.count()).toBe(0);
    const closed = await (await page.request.get(`/api/must-visits/${task.id}`)).json();
    expect(closed.state).toBe('done');
    expect(closed.visitId).toBeTruthy();
  });
});
