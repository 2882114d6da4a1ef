/**
 * `npm run bench`: seeds residents into a temp database and measures the registry's main queries
 * through the HTTP API and as the same SQL run directly, on SQLite and on PostgreSQL when available.
 *
 *   npm run bench -- [--rows N] [--only sqlite|postgres] [--quick]
 *
 * See bench/README.md for what is measured and the goals.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../server/src/app.ts';
import { defaultLoginPolicy } from '../server/src/config.ts';
import type { LatencyJob, LatencyResult, LoadJob, LoadResult } from './http-client.ts';
import { profileDuring, summarizeProfile, writeProfile } from './profile.ts';
import {
  formatDatabaseResult,
  summarize,
  type DatabaseResult,
  type GoalResult,
  type SeriesResult,
  type HttpSummary,
  type Summary,
} from './report.ts';
import type { SeedJob, SeedResult } from './seed-residents.ts';
import { benchMasterKey } from './field-keys.ts';
import {
  openPostgresTarget,
  openSqliteTarget,
  openSqlReplayer,
  type SqlReplayer,
  type Target,
} from './targets.ts';
import {
  buildSeries,
  COMMUNITIES_PER_STREET,
  createOrgTree,
  createUser,
  login,
  STREETS,
  type OrgTree,
  type Series,
} from './workload.ts';

const { values: flags } = parseArgs({
  options: {
    rows: { type: 'string' },
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    // Internal: run one database in this (child) process and send its result to the parent.
    'database-child': { type: 'string' },
  },
});
const quick = flags.quick ?? false;
const rows = flags.rows ? Number(flags.rows.replace(/[_,]/g, '')) : quick ? 100_000 : 1_000_000;
if (!Number.isInteger(rows) || rows < 1000) throw new Error('--rows must be an integer ≥ 1000');
if (flags.only !== undefined && flags.only !== 'sqlite' && flags.only !== 'postgres') {
  throw new Error('--only must be sqlite or postgres');
}
const only = flags.only as 'sqlite' | 'postgres' | undefined;

const SEED = 20260630;
/**
 * Per series: recorded requests after warm-up, and time caps so that every run ends. A query that
 * meets its goal does its 2,000 requests well inside the cap; only slow ones are cut short.
 */
interface Budget {
  count: number;
  maxMs: number;
  warmup: number;
  /** Warm-up ends after this long, once 3 requests are done. */
  warmupMaxMs: number;
}
const plan: {
  workerHttp: Budget;
  workerSql: Budget;
  adminHttp: Budget;
  adminSql: Budget;
  loadSeconds: number;
} = quick
  ? {
      workerHttp: { count: 300, maxMs: 4_000, warmup: 50, warmupMaxMs: 1_000 },
      workerSql: { count: 300, maxMs: 3_000, warmup: 50, warmupMaxMs: 500 },
      adminHttp: { count: 100, maxMs: 2_000, warmup: 20, warmupMaxMs: 1_000 },
      adminSql: { count: 100, maxMs: 1_500, warmup: 20, warmupMaxMs: 500 },
      loadSeconds: 3,
    }
  : {
      workerHttp: { count: 2_000, maxMs: 12_000, warmup: 200, warmupMaxMs: 2_000 },
      workerSql: { count: 2_000, maxMs: 8_000, warmup: 200, warmupMaxMs: 1_000 },
      adminHttp: { count: 100, maxMs: 2_500, warmup: 20, warmupMaxMs: 2_000 },
      adminSql: { count: 100, maxMs: 2_000, warmup: 20, warmupMaxMs: 500 },
      loadSeconds: 10,
    };
const LOAD_CONNECTIONS = 10;

const maxRss = () => process.resourceUsage().maxRSS;
const resultsDir = path.join(os.tmpdir(), 'shiliuzi-bench');
fs.mkdirSync(resultsDir, { recursive: true });
const log = (message: string) =>
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

/** Forks a bench script (this one, seed-residents.ts, http-client.ts) running under tsx. */
function forkHelper(file: string, ...args: string[]): ChildProcess {
  return fork(path.join(import.meta.dirname, file), args, {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** Sends one job to a helper and waits for its answer. */
function ask<R>(child: ChildProcess, job: unknown): Promise<R> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`helper exited with ${code}`));
    child.once('exit', onExit);
    child.once('message', (message: { ok: boolean; result?: R; error?: string }) => {
      child.off('exit', onExit);
      if (message.ok) resolve(message.result as R);
      else reject(new Error(message.error));
    });
    child.send(job as object);
  });
}

async function seed(job: SeedJob): Promise<SeedResult> {
  const child = forkHelper('seed-residents.ts', '--seed-child');
  return ask<SeedResult>(child, { ...job, masterKey: benchMasterKey });
}

async function timeSql(replayer: SqlReplayer, series: Series, budget: Budget) {
  const durations: number[] = [];
  const steps = series.steps;
  const warmupEnd = performance.now() + budget.warmupMaxMs;
  for (let w = 0; w < budget.warmup && (w < 3 || performance.now() < warmupEnd); w++) {
    await replayer.run(steps[w % steps.length]!);
  }
  const deadline = performance.now() + budget.maxMs;
  for (let i = 0; durations.length < budget.count && performance.now() < deadline; i++) {
    const started = performance.now();
    await replayer.run(steps[i % steps.length]!);
    durations.push(performance.now() - started);
  }
  return summarize(durations);
}

type DatabaseOutcome = { result: DatabaseResult } | { skipped: string };

/** In the child process of one database: set it up, measure, clean up, answer the parent. */
async function runDatabaseChild(dialect: 'sqlite' | 'postgres'): Promise<DatabaseOutcome> {
  const target =
    dialect === 'sqlite'
      ? await openSqliteTarget()
      : await openPostgresTarget(process.env.BENCH_DATABASE_URL);
  if (typeof target === 'string') {
    log(`PostgreSQL skipped: ${target}`);
    return { skipped: `PostgreSQL skipped: ${target}.` };
  }
  const httpClient = forkHelper('http-client.ts', '--http-child');
  try {
    return { result: await runDatabase(target, httpClient) };
  } finally {
    httpClient.disconnect();
    await target.cleanup();
  }
}

async function main() {
  const started = performance.now();
  log(
    `${rows.toLocaleString('en-US')} residents${quick ? ' (--quick)' : ''}; Node ${process.version}, ${os.cpus().length} CPUs`,
  );
  const results: DatabaseResult[] = [];
  const skipped: string[] = [];
  // Each database runs in a process of its own, so that its peak RSS is its own.
  for (const dialect of ['sqlite', 'postgres'] as const) {
    if (only && only !== dialect) continue;
    const child = forkHelper('registry.bench.ts', ...process.argv.slice(2), '--database-child', dialect);
    try {
      const outcome = await ask<DatabaseOutcome>(child, { start: true });
      if ('skipped' in outcome) skipped.push(outcome.skipped);
      else results.push(outcome.result);
    } catch (error) {
      process.exitCode = 1;
      skipped.push(`${dialect} failed: ${(error as Error).message}`);
      log(skipped.at(-1)!);
    }
    await new Promise((resolve) => (child.exitCode === null ? child.once('exit', resolve) : resolve(null)));
  }

  const goalsByDialect = new Map(results.map((r) => [r.dialect, r.goals]));
  for (const result of results) {
    console.log(
      formatDatabaseResult(result, { goalsApply: result.dialect === 'sqlite' && rows === 1_000_000 }),
    );
  }
  for (const note of skipped) console.log(`\n${note}`);
  const seconds = (performance.now() - started) / 1000;
  const sqliteGoals = goalsByDialect.get('sqlite');
  if (sqliteGoals) {
    const missed = sqliteGoals.filter((g) => !g.pass);
    console.log(
      `\nSQLite goals: ${sqliteGoals.length - missed.length}/${sqliteGoals.length} met` +
        (rows === 1_000_000
          ? ''
          : ` (the goals are set for 1,000,000 residents; this run had ${rows.toLocaleString('en-US')})`) +
        (missed.length ? `; missed: ${missed.map((g) => `${g.goal} (${g.actual})`).join('; ')}` : ''),
    );
  }
  const jsonFile = path.join(resultsDir, 'latest.json');
  fs.writeFileSync(
    jsonFile,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        node: process.version,
        cpus: os.cpus().length,
        rows,
        quick,
        seconds,
        results,
        skipped,
      },
      null,
      2,
    ),
  );
  console.log(`Whole run: ${seconds.toFixed(0)} s. Figures as JSON: ${jsonFile}`);
}

async function runDatabase(target: Target, httpClient: ChildProcess): Promise<DatabaseResult> {
  const started = performance.now();
  const loadAverageAtStart = os.loadavg();
  const { database, dialect } = target;
  log(`${dialect}: ${target.origin}`);

  const treeStarted = performance.now();
  const tree: OrgTree = await createOrgTree(database);
  const treeSeconds = (performance.now() - treeStarted) / 1000;
  const community = tree.communities[37 % tree.communities.length]!;
  await createUser(database, 'bench.worker', 'community_worker', community.id);
  await createUser(database, 'bench.admin', 'system_admin', tree.district.id);

  log(`${dialect}: seeding ${rows.toLocaleString('en-US')} residents…`);
  const seeded = await seed({
    target: target.location,
    rows,
    seed: SEED,
    grids: tree.grids.map((g) => ({ id: g.id, streetId: g.streetId! })),
  });
  const seedSeconds = seeded.insertMs / 1000;
  log(
    `${dialect}: seeded in ${seedSeconds.toFixed(1)} s (+ ${(seeded.analyzeMs / 1000).toFixed(1)} s analyze)`,
  );

  // The request lists and their SQL, made before the server starts so the server's RSS excludes them.
  const variations = Math.max(plan.workerHttp.count, 500);
  const base = { dialect, tree, rows, seed: SEED, variations };
  const workerSeries = await buildSeries({ ...base, community, withGoals: true });
  const adminSeries = await buildSeries({ ...base, community: undefined, variations: 500, withGoals: false });
  const rssAfterSetup = maxRss();

  const app = await buildApp({
    config: {
      logLevel: 'silent',
      sessionTtlMinutes: 600,
      cookieSecure: false,
      login: { ...defaultLoginPolicy, attemptsPerIpMinute: 10_000 },
    },
    database,
    quiet: true,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const origin = `http://127.0.0.1:${address.port}`;
  const workerCookie = await login(origin, 'bench.worker');
  const adminCookie = await login(origin, 'bench.admin');

  const latency = async (cookie: string, paths: string[], budget: Budget) => {
    const job: LatencyJob = {
      kind: 'latency',
      origin,
      cookie,
      paths,
      ...budget,
    };
    const result = await ask<LatencyResult>(httpClient, job);
    if (result.failures) log(`${result.failures} requests failed; first: ${result.firstFailure}`);
    return { ...summarize(result.durations), failures: result.failures, firstFailure: result.firstFailure };
  };

  const floors = {
    health: await latency('', ['/api/health'], plan.workerHttp),
    authMe: await latency(workerCookie, ['/api/auth/me'], plan.workerHttp),
  };

  const runHttp = async (series: Series[], cookie: string, budget: Budget) => {
    const byKey = new Map<string, HttpSummary>();
    for (const s of series) {
      if (s.httpOf) continue;
      log(`${dialect}: HTTP ${s.label}`);
      byKey.set(s.key, await latency(cookie, s.paths, budget));
    }
    return byKey;
  };
  const workerHttp = await runHttp(workerSeries, workerCookie, plan.workerHttp);

  log(`${dialect}: load, ${LOAD_CONNECTIONS} connections × ${plan.loadSeconds} s on (b)`);
  const loadPaths = workerSeries.find((s) => s.key === 'b')!.paths;
  const loadJob: LoadJob = {
    kind: 'load',
    origin,
    cookie: workerCookie,
    paths: loadPaths,
    connections: LOAD_CONNECTIONS,
    seconds: plan.loadSeconds,
  };
  const loadRun = await ask<LoadResult>(httpClient, loadJob);
  const loadLatency = summarize(loadRun.latencies);
  const load = {
    path: 'GET /api/residents?orgUnitId=<grid>&ethnicityCode=<code>&sort=name&pageSize=50 (varied)',
    connections: LOAD_CONNECTIONS,
    seconds: loadRun.seconds,
    requestsPerSecond: loadRun.requests / loadRun.seconds,
    p50: loadLatency.median,
    p99: loadLatency.p99,
    non2xx: loadRun.non2xx,
    errors: loadRun.errors,
  };

  // --profile: extra load runs on (a) (little SQL: shows the per-request overhead) and (b).
  const profiles: NonNullable<DatabaseResult['profiles']> = [];
  for (const key of flags.profile ? ['a', 'b'] : []) {
    log(`${dialect}: profiled load on (${key})`);
    const paths = workerSeries.find((s) => s.key === key)!.paths;
    const { result, profile: cpu } = await profileDuring(() =>
      ask<LoadResult>(httpClient, { ...loadJob, paths, seconds: Math.min(plan.loadSeconds, 5) }),
    );
    const file = path.join(resultsDir, `${dialect}-load-${key}.cpuprofile`);
    writeProfile(file, cpu);
    profiles.push({
      series: key,
      file,
      requestsPerSecond: result.requests / result.seconds,
      summary: summarizeProfile(cpu),
    });
  }

  const adminHttp = await runHttp(adminSeries, adminCookie, plan.adminHttp);
  const memoryAfterHttp = process.memoryUsage();
  await app.close();
  const rssAfterHttp = maxRss();

  const replayer = openSqlReplayer(target);
  const runSql = async (series: Series[], budget: Budget) => {
    const byKey = new Map<string, Summary>();
    for (const s of series) {
      log(`${dialect}: SQL ${s.label}`);
      byKey.set(s.key, await timeSql(replayer, s, budget));
    }
    return byKey;
  };
  const workerSql = await runSql(workerSeries, plan.workerSql);
  const adminSql = await runSql(adminSeries, plan.adminSql);
  await replayer.close();

  const combine = (series: Series[], http: Map<string, HttpSummary>, sql: Map<string, Summary>) =>
    series.map((s): SeriesResult => {
      const h = http.get(s.httpOf ?? s.key) ?? null;
      const q = sql.get(s.key) ?? null;
      return {
        key: s.key,
        label: s.label,
        httpMeasures: s.http,
        sqlMeasures: s.sql,
        http: h,
        sql: q,
        ratio: h && q ? h.median / q.median : null,
      };
    });
  const worker = combine(workerSeries, workerHttp, workerSql);
  const admin = combine(adminSeries, adminHttp, adminSql);

  /** The HTTP median of a series; NaN (a miss) when some of its requests failed. */
  const median = (key: string) => {
    const http = worker.find((s) => s.key === key)?.http;
    return http && !http.failures ? http.median : Number.NaN;
  };
  const loadClean = load.non2xx === 0 && load.errors === 0;
  const msGoal = (key: string, limit: number, what: string): GoalResult => ({
    key,
    goal: `${what} ≤ ${limit} ms`,
    actual: Number.isNaN(median(key)) ? 'failed requests' : `${median(key).toFixed(2)} ms`,
    pass: median(key) <= limit,
  });
  const goals: GoalResult[] = [
    msGoal('a', 1, '(a) median'),
    msGoal('b', 1.5, '(b) median'),
    msGoal('c1', 3, '(c) 1-char median'),
    msGoal('c2', 3, '(c) 2-char median'),
    msGoal('c3', 3, '(c) 3-char median'),
    msGoal('c王', 3, '(c) "王" median'),
    msGoal('d', 2, '(d) median'),
    {
      key: 'load-rps',
      goal: '(b) under load ≥ 2,400 req/s',
      actual: `${Math.round(load.requestsPerSecond).toLocaleString('en-US')} req/s`,
      pass: loadClean && load.requestsPerSecond >= 2400,
    },
    {
      key: 'load-p99',
      goal: '(b) under load p99 ≤ 10 ms',
      actual: `${load.p99.toFixed(2)} ms`,
      pass: loadClean && load.p99 <= 10,
    },
  ];

  return {
    dialect,
    origin: target.origin,
    rows,
    orgTree: {
      districts: 1,
      streets: STREETS,
      communities: STREETS * COMMUNITIES_PER_STREET,
      grids: tree.grids.length,
      seconds: treeSeconds,
    },
    seed: {
      residents: seeded.residents,
      nameGrams: seeded.grams,
      floatingDetails: seeded.floating,
      seconds: seedSeconds,
      residentsPerSecond: seeded.residents / seedSeconds,
      gramsPerSecond: seeded.grams / seedSeconds,
      analyzeSeconds: seeded.analyzeMs / 1000,
      seederPeakRssKiB: seeded.maxRssKiB,
    },
    floors,
    worker: {
      scope: `community ${community.code}, ${(rows / tree.communities.length).toLocaleString('en-US')} residents`,
      series: worker,
    },
    admin: {
      scope: `district ${tree.district.code}, all ${rows.toLocaleString('en-US')} residents`,
      series: admin,
    },
    load,
    peakRssKiB: { afterSetup: rssAfterSetup, afterHttp: rssAfterHttp, atEnd: maxRss() },
    memoryAfterHttpMiB: {
      rss: memoryAfterHttp.rss / 2 ** 20,
      heapUsed: memoryAfterHttp.heapUsed / 2 ** 20,
      heapTotal: memoryAfterHttp.heapTotal / 2 ** 20,
      external: memoryAfterHttp.external / 2 ** 20,
    },
    loadAverage: { atStart: loadAverageAtStart, atEnd: os.loadavg() },
    profiles: flags.profile ? profiles : undefined,
    goals,
    seconds: (performance.now() - started) / 1000,
  };
}

const databaseChild = flags['database-child'];
if (databaseChild === 'sqlite' || databaseChild === 'postgres') {
  process.once('message', () => {
    runDatabaseChild(databaseChild).then(
      (outcome) => process.send!({ ok: true, result: outcome }, () => process.exit(0)),
      (error: unknown) =>
        process.send!({ ok: false, error: String((error as Error).stack ?? error) }, () => process.exit(1)),
    );
  });
} else {
  await main();
}
