import { describe, expect, it } from 'vitest';
import { choose, field, label, logIn, useBrowser } from './support/browser.ts';

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
    // A mobile number typed into free text is pointed out while typing (free text shows as typed).
    await field(page, '走访情况').fill('了解受灾后生活情况，家属电话13812345678');
    const numbersWarning = page.getByText(/似乎有身份证号或手机号/);
    await numbersWarning.waitFor();
    await field(page, '走访情况').fill('了解受灾后生活情况，协助申请临时救助');
    await expect.poll(() => numbersWarning.count()).toBe(0);
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

  it('lets a grid worker on a phone record a visit with a photo and see it on the visit', async () => {
    const { page } = await openPage({ width: 375, height: 812, isMobile: true });
    await logIn(page, 'grid');
    await page.goto('/visits/new');
    const notes = `带照片的走访${Date.now()}`;
    await field(page, '走访情况').fill(notes);

    // From the gallery: the demo's photo of a hospital visit (a PNG drawn by the demo; a phone's
    // camera would give a JPEG).
    const hospital = await (await page.request.get('/api/visits?purpose=hospitalised')).json();
    const demo = hospital.items.find((v: { photos: unknown[] }) => v.photos.length > 0);
    const photo = await (await page.request.get(`/api/visits/${demo.id}/photos/${demo.photos[0].id}`)).body();
    await page
      .locator('input[type=file][aria-label="从相册选择"]')
      .setInputFiles({ name: '门牌.png', mimeType: 'image/png', buffer: photo });
    const preview = page.getByRole('list', { name: '走访照片' }).getByRole('listitem', { name: '门牌.png' });
    await preview.waitFor();
    // The buttons open the file inputs, which stay out of sight; the camera one opens the back camera.
    for (const input of await page.locator('input[type=file]').all())
      expect(await input.isVisible()).toBe(false);
    expect(await page.locator('input[type=file][aria-label="拍照"]').getAttribute('capture')).toBe(
      'environment',
    );
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    await page.getByRole('button', { name: label('保存') }).click();
    await page.waitForURL(/\/visits\/[0-9a-f-]{36}\?/);
    const shown = page.getByRole('list', { name: '走访照片' }).getByRole('listitem', { name: '门牌.jpg' });
    await shown.waitFor();
    // The picture itself loads (from the API, in scope), redrawn as a JPEG without its metadata.
    await expect
      .poll(() => shown.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth))
      .toBe(240);
    const visitId = /\/visits\/([0-9a-f-]{36})/.exec(page.url())![1];
    const visit = await (await page.request.get(`/api/visits/${visitId}`)).json();
    expect(visit.notes).toBe(notes);
    expect(visit.photos).toMatchObject([{ fileName: '门牌.jpg', contentType: 'image/jpeg' }]);
  });

  it('lets a community worker create a festival visit campaign from its preview and follow its progress', async () => {
    const { page } = await openPage();
    await logIn(page, 'community');
    await page.getByRole('menuitem', { name: /节日走访/ }).click();
    await page.waitForURL(/\/visit-campaigns/);
    // The demo has a campaign in progress with two households visited.
    await page
      .getByText(/已走访 2/)
      .first()
      .waitFor();

    await page.getByRole('button', { name: '新建节日走访' }).click();
    const dialog = page.getByRole('dialog');
    await choose(dialog.getByRole('combobox', { name: /节日/ }), '中秋节');
    await dialog.getByRole('checkbox', { name: '困难' }).check();
    // Nothing is created before the preview.
    expect(await dialog.getByRole('button', { name: label('确认生成') }).isDisabled()).toBe(true);
    await dialog.getByRole('button', { name: label('预览') }).click();
    const counted = await dialog.getByText(/将生成 \d+ 个走访计划/).textContent();
    const planned = Number(/将生成 (\d+) 个/.exec(counted ?? '')![1]);
    expect(planned).toBeGreaterThan(0);
    await dialog.getByRole('button', { name: label('确认生成') }).click();

    await page.waitForURL(/\/visit-campaigns\/[0-9a-f-]{36}/);
    await page.getByRole('heading', { name: /中秋节走访/ }).waitFor();
    await page.getByText(`计划 ${planned} · 已走访 0 · 逾期 0`).waitFor();
    // Every planned visit is listed, each still to be made, with 记录走访 at hand.
    await expect
      .poll(() => page.getByRole('row').filter({ hasText: '待走访' }).count())
      .toBe(Math.min(planned, 20));
    expect(await page.getByRole('button', { name: label('记录走访') }).count()).toBe(Math.min(planned, 20));
  });
});
