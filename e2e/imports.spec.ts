import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { computeCheckDigit } from '@shiliuzi/shared/id-number';
import { choose, label, logIn, useBrowser } from './support/browser.ts';

const openPage = useBrowser();
const dir = mkdtempSync(path.join(tmpdir(), 'shiliuzi-e2e-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function idNumber(birth: string, sequence: number): string {
  const first17 = `513221${birth}${String(sequence).padStart(3, '0')}`;
  return first17 + computeCheckDigit(first17);
}

describe('importing a register in the browser', () => {
  it('previews a register row by row, then imports it, and the register lists the people', async () => {
    const file = path.join(dir, '青禾社区少数民族台账.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('少数民族');
    sheet.addRow(['青禾社区少数民族人员台账']);
    sheet.addRow(['序号', '姓名', '民族', '身份证号', '所属网格']);
    const seq = 100 + Math.floor(Math.random() * 300) * 2 + 1;
    sheet.addRow([1, '木措', '藏', idNumber('19880808', seq), '第1网格']);
    sheet.addRow([2, '阿依', '彝族', idNumber('19920202', seq + 2), '第1网格']);
    sheet.addRow([3, '木措', '藏', idNumber('19880808', seq), '第1网格']);
    sheet.addRow([4, '错号', '羌族', '5.10703E+17', '第1网格']);
    await workbook.xlsx.writeFile(file);

    const { page } = await openPage();
    await logIn(page, 'admin');
    const me = await (await page.request.get('/api/org-units?q=青禾社区')).json();
    await page.goto(`/imports?org=${me.items[0].id}`);
    await page.getByText('导入到：青禾社区').waitFor();
    await page.locator('input[type=file]').setInputFiles(file);

    await page.getByText('预览结果（尚未导入）').waitFor();
    const count = async (key: string) =>
      Number(await page.getByTestId(`import-${key}`).locator('.ant-statistic-content-value').innerText());
    expect(await count('rows')).toBe(4);
    expect(await count('created')).toBe(2);
    expect(await count('merged')).toBe(1);
    expect(await count('rejected')).toBe(1);
    await page.getByText('无法恢复').first().waitFor();

    await page.getByRole('button', { name: label('确认导入') }).click();
    await page.getByText('导入完成').waitFor();
    expect(await count('created')).toBe(2);

    await page.getByRole('menuitem', { name: /居民台账/ }).click();
    await page.getByRole('searchbox', { name: '姓名、身份证号或手机号' }).fill('木措');
    await page.getByRole('button', { name: label('搜索') }).click();
    await expect
      .poll(async () => (await page.locator('.ant-table-tbody tr.ant-table-row').allInnerTexts()).join('\n'))
      .toContain('藏族');
  });
});

describe('correcting how a register is read', () => {
  it('maps an unknown header in the preview, imports with it, and keeps the mapping as a template', async () => {
    const file = path.join(dir, '青禾社区族属登记.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('登记表');
    sheet.addRow(['序号', '姓名', '族属', '身份证号']);
    const seq = 700 + Math.floor(Math.random() * 100) * 2 + 1;
    sheet.addRow([1, '尔古', '彝族', idNumber('19850505', seq)]);
    sheet.addRow([2, '卓玛', '藏族', idNumber('19900909', seq + 2)]);
    await workbook.xlsx.writeFile(file);

    const { page } = await openPage();
    await logIn(page, 'admin');
    const me = await (await page.request.get('/api/org-units?q=青禾社区')).json();
    await page.goto(`/imports?org=${me.items[0].id}`);
    await page.getByText('导入到：青禾社区').waitFor();
    await page.locator('input[type=file]').setInputFiles(file);

    const count = async (key: string) =>
      Number(await page.getByTestId(`import-${key}`).locator('.ant-statistic-content-value').innerText());
    await page.getByText('预览结果（尚未导入）').waitFor();
    // 族属 is no header the import knows: without an ethnicity nobody can be registered.
    expect(await count('rejected')).toBe(2);
    const field = page.getByRole('combobox', { name: '“族属”列导入为' });
    await field.click();
    await field.fill('民族');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: label('按修改后的对应关系重新预览') }).click();
    await expect.poll(() => count('created').catch(() => -1)).toBe(2);
    expect(await count('rejected')).toBe(0);

    await page.getByRole('button', { name: label('保存为模板') }).click();
    await page.getByLabel('模板名称').fill('族属登记表');
    await page.getByRole('button', { name: label('保存') }).click();
    await page.getByText('已保存模板“族属登记表”').waitFor();

    await page.getByRole('button', { name: label('确认导入') }).click();
    await page.getByText('导入完成').waitFor();
    expect(await count('created')).toBe(2);

    // The next file of the same shape can be read with the template from the start.
    await choose(page.getByRole('combobox', { name: '导入模板' }), '族属登记表');
    const templates = await (
      await page.request.get(`/api/imports/templates?orgUnitId=${me.items[0].id}`)
    ).json();
    expect(templates).toEqual([
      expect.objectContaining({
        name: '族属登记表',
        columns: expect.objectContaining({ 族属: 'ethnicity' }),
      }),
    ]);
  });
});
