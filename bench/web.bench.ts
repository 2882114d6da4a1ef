/**
 * Web app figures: what the first residents page downloads (gzip), with the chart library split
 * out, and how long a cold browser takes from the address bar to the first register row.
 *
 *   node --import tsx bench/web.bench.ts [--runs 5]
 *
 * The app runs as `npm start` runs it (fresh data dir, demo data), in Debian's Chromium.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { chromiumOptions, startApp } from '../e2e/support/app-process.ts';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'web/dist');
const goalKb = 600;

function gzipKb(file: string): number {
  return gzipSync(readFileSync(file), { level: 9 }).length / 1024;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function runWebBench(options: { runs?: number } = {}) {
  const runs = options.runs ?? 5;
  const server = await startApp();
  const browser = await chromium.launch(chromiumOptions);
  try {
    const times: number[] = [];
    let assets = new Set<string>();
    for (let run = 0; run < runs; run++) {
      // A cold cache each time: a new context, signed in through the API, then the page itself.
      const context = await browser.newContext({
        baseURL: server.url,
        viewport: { width: 1366, height: 900 },
      });
      await context.request.post('/api/auth/login', {
        data: { username: 'community', password: 'Demo@2026' },
      });
      const page = await context.newPage();
      const loaded = new Set<string>();
      page.on('response', (response) => {
        const url = new URL(response.url());
        if (/\.(js|css)$/.test(url.pathname)) loaded.add(url.pathname);
      });
      const started = performance.now();
      await page.goto('/residents');
      await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
      times.push(performance.now() - started);
      assets = loaded;
      await context.close();
    }
    const files = [...assets].map((asset) => ({ asset, kb: gzipKb(path.join(dist, asset)) }));
    const firstPageKb = files.reduce((sum, f) => sum + f.kb, 0);
    const chartsLoaded = files.some((f) => /echarts/.test(f.asset));
    const echartsFile = readdirSync(path.join(dist, 'assets')).find((file) => /^echarts-.*\.js$/.test(file));
    console.log('\n== web app (production build, community worker, demo data)');
    console.log(
      `first residents page: ${files.length} files, ${firstPageKb.toFixed(1)} kB gzip ` +
        `(goal ≤ ${goalKb} kB: ${firstPageKb <= goalKb ? '✔' : '✘'}), chart library loaded: ${chartsLoaded ? 'yes ✘' : 'no ✔'}`,
    );
    if (echartsFile) {
      const kb = gzipKb(path.join(dist, 'assets', echartsFile));
      console.log(`chart library chunk (loaded with the dashboard only): ${kb.toFixed(1)} kB gzip`);
    }
    for (const f of files.sort((a, b) => b.kb - a.kb).slice(0, 5)) {
      console.log(`  ${f.asset.padEnd(48)} ${f.kb.toFixed(1).padStart(7)} kB`);
    }
    console.log(
      `time to first residents row in Chromium (cold cache, ${runs} runs): median ${median(times).toFixed(0)} ms, ` +
        `min ${Math.min(...times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms`,
    );
    return { firstPageKb, chartsLoaded, medianMs: median(times) };
  } finally {
    await browser.close();
    await server.stop();
  }
}

if (process.argv[1] === import.meta.filename) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
  await runWebBench({ runs: Number(values.runs) });
}
