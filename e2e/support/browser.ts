import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, onTestFailed, onTestFinished } from 'vitest';
import { chromiumOptions } from './app-process.ts';

export const artifactsDir = path.resolve(import.meta.dirname, '../artifacts');

export const demoPassword = 'Demo@2026';

/** Starts one headless Chromium for the file; every test gets its own context (cookies, viewport). */
export function useBrowser() {
  const state: { browser?: Browser } = {};
  beforeAll(async () => {
    state.browser = await chromium.launch(chromiumOptions);
  });
  afterAll(async () => {
    await state.browser?.close();
  });

  /**
   * A fresh page; on failure its screenshot is kept in e2e/artifacts/. Every test also fails if the
   * page broke the Content Security Policy or asked anything of another host (no CDN, no telemetry).
   */
  return async function openPage(
    options: { width?: number; height?: number; isMobile?: boolean } = {},
  ): Promise<{ page: Page; context: BrowserContext; baseUrl: string }> {
    const context = await state.browser!.newContext({
      baseURL: inject('baseUrl'),
      viewport: { width: options.width ?? 1366, height: options.height ?? 900 },
      isMobile: options.isMobile ?? false,
      hasTouch: options.isMobile ?? false,
      locale: 'zh-CN',
      acceptDownloads: true,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const origin = new URL(inject('baseUrl')).origin;
    const breaches: string[] = [];
    await page.exposeFunction('reportCspViolation', (violation: string) => breaches.push(violation));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        const report = (window as unknown as { reportCspViolation: (v: string) => void }).reportCspViolation;
        report(`CSP ${event.violatedDirective} ${event.sourceFile}:${event.lineNumber} ${event.sample}`);
      });
    });
    context.on('request', (request) => {
      const url = request.url();
      if (!/^(data|blob):/.test(url) && new URL(url).origin !== origin) breaches.push(`outbound: ${url}`);
    });
    onTestFinished(() => {
      expect(breaches).toEqual([]);
    });
    onTestFailed(async ({ task }) => {
      mkdirSync(artifactsDir, { recursive: true });
      const name = task.name.replace(/[^\w\u4e00-\u9fa5-]+/g, '_').slice(0, 80);
      await page.screenshot({ path: path.join(artifactsDir, `${name}.png`), fullPage: true }).catch(() => {});
    });
    return { page, context, baseUrl: inject('baseUrl') };
  };
}

/**
 * antd puts a space between the two characters of a Chinese button label ("保 存"). A button that
 * was loading may keep its faded-out spinner (named "loading") in the DOM after the request ends, so
 * the name may start with it.
 */
export function label(text: string): RegExp {
  return new RegExp(`^\\s*(loading\\s*)?${[...text].join('\\s*')}\\s*$`);
}

/** Signs a demo account in and waits for its first page (the registers, unless the role has none). */
export async function logIn(page: Page, username: string, landing = /\/residents/): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(demoPassword);
  await page.getByRole('button', { name: label('登录') }).click();
  await page.waitForURL(landing);
}

/** A form control by its label; a required field's label reads "* 姓名". */
export function field(page: Page, name: string, role: 'textbox' | 'combobox' = 'textbox') {
  const escaped = name.replace(/[()（）]/g, (c) => `\\${c}`);
  return page.getByRole(role, { name: new RegExp(`^(\\* )?${escaped}$`) });
}

/**
 * Chooses an option of an antd Select (given by its combobox) and waits until the field shows it.
 * The list is first placed away from its field and realigned a moment later: under machine load a
 * click could press on the option before the move and release after it, elsewhere, and choose nothing.
 * So the option is clicked only once the list has finished opening and sits against its field, a
 * choice that did not take is tried again, and the test fails saying what the field shows instead.
 */
export async function choose(select: Locator, option: string, attempts = 3): Promise<void> {
  const page = select.page();
  // The selected label is the text of the element that holds the combobox's input.
  const shown = select.locator('xpath=..');
  const takes = async (timeout: number) => {
    for (const end = Date.now() + timeout; Date.now() < end; await page.waitForTimeout(100)) {
      if ((await shown.innerText()).trim() === option) return true;
    }
    return false;
  };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if ((await select.getAttribute('aria-expanded')) !== 'true') await select.click();
    await expect.poll(() => select.getAttribute('aria-expanded')).toBe('true');
    const listId = await select.getAttribute('aria-controls');
    const dropdown = page.locator('.ant-select-dropdown', { has: page.locator(`[id="${listId}"]`) });
    await expect
      .poll(() =>
        select.evaluate((combobox, id) => {
          const popup = document.getElementById(id)?.closest('.ant-select-dropdown');
          if (!popup || /-(appear|enter|leave)\b|-hidden\b/.test(popup.className)) return 'opening';
          const list = popup.getBoundingClientRect();
          const field = combobox.closest('.ant-select')!.getBoundingClientRect();
          const against = Math.abs(list.top - field.bottom) < 16 || Math.abs(list.bottom - field.top) < 16;
          return against ? 'placed' : 'away from its field';
        }, listId!),
      )
      .toBe('placed');
    await dropdown
      .locator('.ant-select-item-option')
      .and(page.getByTitle(option, { exact: true }))
      .click();
    if (await takes(3_000)) return;
  }
  throw new Error(
    `the select did not take “${option}” in ${attempts} tries; it shows “${await shown.innerText()}”`,
  );
}
