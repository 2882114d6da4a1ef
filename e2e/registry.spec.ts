import { readFileSync } from 'node:fs';
import { computeCheckDigit } from '@shiliuzi/shared/id-number';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { field, label, logIn, useBrowser } from './support/browser.ts';

const openPage = useBrowser();

/** A valid ID number of a man born 1990-03-15 in 汶川县 (513221), unique per run. */
function newIdNumber(): string {
  const sequence = String(100 + Math.floor(Math.random() * 400) * 2 + 1).padStart(3, '0');
  const first17 = `51322119900315${sequence}`;
  return first17 + computeCheckDigit(first17);
}

async function residentsCount(page: Page): Promise<number> {
  const card = page.getByTestId('stat-residents');
  await expect.poll(async () => card.locator('.ant-statistic-content-value').count()).toBe(1);
  return Number((await card.locator('.ant-statistic-content-value').innerText()).replace(/[^\d]/g, ''));
}

describe('the registry in the browser', () => {
  it('logs in, picks a community, finds a resident, adds one from an ID number, counts and reports', async () => {
    const { page } = await openPage();
    await logIn(page, 'admin');

    // Pick 云朵社区 in the org tree: choosing the street opens it.
    await page.getByRole('treeitem', { name: '和鸣街道' }).click();
    await page.getByRole('treeitem', { name: '云朵社区' }).click();
    await expect.poll(() => page.url()).toMatch(/org=/);
    await expect.poll(() => page.locator('.ant-breadcrumb').innerText()).toContain('云朵社区');

    // Search for someone the register holds.
    const community = new URL(page.url()).searchParams.get('org');
    const known = (await (await page.request.get(`/api/residents?orgUnitId=${community}`)).json()).items[0];
    await page.getByRole('searchbox', { name: '姓名、身份证号或手机号' }).fill(known.name);
    await page.getByRole('button', { name: label('搜索') }).click();
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await expect
      .poll(async () => {
        const texts = await rows.allInnerTexts();
        return texts.length > 0 && texts.every((text) => text.includes(known.name));
      })
      .toBe(true);

    // The dashboard before.
    await page.getByRole('menuitem', { name: /统计/ }).click();
    const before = await residentsCount(page);

    // Add a resident: the ID number fills birth date, gender and origin.
    await page.getByRole('menuitem', { name: /居民台账/ }).click();
    await page.getByRole('button', { name: /新增居民/ }).click();
    await page.waitForURL(/\/residents\/new/);
    await field(page, '姓名').fill('羌山月');
    await field(page, '身份证号').fill(newIdNumber());
    await page.getByText('已根据身份证号填写：1990-03-15，男').waitFor();
    await expect.poll(() => field(page, '出生日期').inputValue()).toBe('1990-03-15');
    await expect.poll(() => page.getByRole('radio', { name: '男' }).isChecked()).toBe(true);
    await expect.poll(() => field(page, '籍贯（户籍地）').inputValue()).toMatch(/汶川县/);
    await field(page, '民族', 'combobox').fill('羌');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: label('保存') }).click();
    await page.waitForURL(/\/residents\/[0-9a-f-]{36}\?/);
    await page.getByRole('heading', { name: /羌山月/ }).waitFor();
    await page.getByText('羌族', { exact: true }).waitFor();

    // The figures count the new resident.
    await page.getByRole('menuitem', { name: /统计/ }).click();
    await expect.poll(() => residentsCount(page)).toBe(before + 1);

    // The 基本情况 report downloads as a Word file.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /下载基本情况报告/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/云朵社区.*\.docx$/);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
  });

  it('names a wrong check digit while the ID number is typed, and does not save', async () => {
    const { page } = await openPage();
    await logIn(page, 'community');
    await page.getByRole('button', { name: /新增居民/ }).click();
    await page.waitForURL(/\/residents\/new/);
    const good = newIdNumber();
    const bad = good.slice(0, 17) + (good.endsWith('0') ? '1' : '0');
    await field(page, '身份证号').fill(bad);
    await page.getByText('身份证号校验位不正确，请核对号码').waitFor();
    await expect.poll(() => field(page, '出生日期').inputValue()).toBe('');
    await page.getByRole('button', { name: label('保存') }).click();
    expect(page.url()).toMatch(/\/residents\/new/);
  });

  it('fits a phone: cards, a drawer menu, and a grid worker sees only the grid', async () => {
    const { page, context } = await openPage({ width: 375, height: 812, isMobile: true });
    await logIn(page, 'grid');
    await page.getByTestId('resident-card').first().waitFor();
    expect(await page.locator('.ant-table').count()).toBe(0);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    // The menu and the org tree live in a drawer; the tree starts at the worker's grid.
    await page.getByRole('button', { name: '菜单' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByRole('treeitem', { name: '云朵社区第一网格' }).waitFor();
    expect(await drawer.getByRole('treeitem', { name: '云朵社区', exact: true }).count()).toBe(0);
    await drawer.getByRole('menuitem', { name: /统计/ }).click();
    await page.getByTestId('stat-residents').waitFor();
    const gridCount = Number(
      (await page.getByTestId('stat-residents').locator('.ant-statistic-content-value').innerText()).replace(
        /[^\d]/g,
        '',
      ),
    );
    const me = await (await page.request.get('/api/auth/me')).json();
    const figures = await (await page.request.get(`/api/org-units/${me.orgUnitId}/statistics`)).json();
    expect(gridCount).toBe(figures.residents);

    // The report covers the grid alone.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /下载基本情况报告/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^云朵社区第一网格基本情况.*\.docx$/);

    // Another community's address shows a refusal, not its residents.
    const admin = await context.browser()!.newContext({ baseURL: new URL(page.url()).origin });
    await admin.request.post('/api/auth/login', { data: { username: 'admin', password: 'Demo@2026' } });
    const other = (await (await admin.request.get('/api/org-units?q=同心社区')).json()).items[0];
    await admin.close();
    await page.goto(`/residents?org=${other.id}`);
    await page.getByText('未找到该组织').first().waitFor();
    expect(await page.getByTestId('resident-card').count()).toBe(0);
  });

  it('lets a viewer read the register but not change it or reveal an ID number', async () => {
    const { page } = await openPage();
    await logIn(page, 'viewer');
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await rows.first().waitFor();
    expect(await rows.first().innerText()).toMatch(/\*{4,}/);
    expect(await page.getByRole('button', { name: /新增居民/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /查看/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: label('删除') }).count()).toBe(0);
  });
});
