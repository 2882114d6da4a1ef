/**
 * `npm run bench`: every benchmark, one after the other.
 *
 *   npm run bench                          registry (1 M residents), report (80,000-resident street), casework
 *                                          figures (the same street with its casework), web app
 *   npm run bench -- --suite registry      one suite: registry | report | casework | web | import | export
 *   npm run bench -- --quick               the registry suite's flags (--quick, --rows, --only, --profile) pass through
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { runCaseworkSuite } from './casework.bench.ts';
import { runExportBench, formatExportBench } from './export.bench.ts';
import { runImportBench } from './import.bench.ts';
import { formatReportBench, runReportBench } from './report.bench.ts';
import { runWebBench } from './web.bench.ts';

const suites = ['registry', 'report', 'casework', 'web', 'import', 'export'] as const;
const args = process.argv.slice(2);
const at = args.indexOf('--suite');
const chosen = at >= 0 ? args[at + 1] : 'all';
const registryArgs = at >= 0 ? [...args.slice(0, at), ...args.slice(at + 2)] : args;
if (chosen !== 'all' && !suites.includes(chosen as (typeof suites)[number])) {
  console.error(`unknown suite ${chosen}; choose one of ${suites.join(', ')}`);
  process.exit(2);
}
const runs = (suite: string) => chosen === 'all' || chosen === suite;

let failed = false;
if (runs('registry')) {
  // Its own process: it forks per database and cleans up on its own signals.
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, 'registry.bench.ts'), ...registryArgs],
    { stdio: 'inherit' },
  );
  failed ||= result.status !== 0;
}
if (runs('report')) {
  const result = await runReportBench();
  console.log(`\n${formatReportBench(result)}`);
  failed ||= !result.pass;
}
// SQLite, and PostgreSQL too when BENCH_DATABASE_URL is set.
if (runs('casework')) failed ||= !(await runCaseworkSuite());
if (runs('web')) {
  const result = await runWebBench();
  failed ||= result.firstPageKb > 600 || result.chartsLoaded;
}
if (runs('import')) await runImportBench({ rows: chosen === 'all' ? 20_000 : 100_000 });
if (runs('export')) console.log(`\n${formatExportBench(await runExportBench())}`);
if (failed) process.exitCode = 1;
