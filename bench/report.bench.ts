/**
 * Report benchmark: the 基本情况 report of a street of 80,000 residents on SQLite, timed end to end
 * (figures + Word document) beside the figures alone.
 *
 *   TZ=Asia/Shanghai node --import tsx bench/report.bench.ts [--rows N] [--runs N]
 *
 * The street has 8 communities of 10 grids, 5 member units, residents from the demo factory (as
 * the registry benchmark seeds them), and households of three (head, spouse, child) each in a
 * dwelling of its own, so that inter-ethnic couples and places are counted over real joins.
 * Everything lives in a temp directory removed at the end. Goal: the report's p95 ≤ 2 s.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { cliActor } from '../server/src/lib/actor.ts';
import { createReportRunner, reportService } from '../server/src/modules/reports/report.service.ts';
import { statisticsService } from '../server/src/modules/statistics/statistics.service.ts';
import { summarize, type Summary } from './report.ts';
import { seedResidents } from './seed-residents.ts';
import { addHouseholdsAndPlaces, createStreet, type PlaceNames } from './street.ts';
import { openSqliteTarget } from './targets.ts';

export interface ReportBenchOptions {
  /** Residents of the street (default 80,000). */
  rows?: number;
  /** Timed runs per series, after two warm-up runs (default 10). */
  runs?: number;
  /** Progress lines (default: stderr). */
  log?: (message: string) => void;
}

export interface ReportBenchResult {
  rows: number;
  communities: number;
  grids: number;
  households: number;
  dwellings: number;
  /** Seconds to build the street (org units, residents, households, places, ANALYZE). */
  setupSeconds: number;
  /** Size of the generated .docx. */
  reportBytes: number;
  statistics: Summary;
  report: Summary;
  reportViaWorker: Summary;
  /** Median of the report (in process) / median of the figures alone. */
  ratio: number;
  goalMs: number;
  pass: boolean;
}

const SEED = 20260630;
const COMMUNITIES = 8;
const GRIDS_PER_COMMUNITY = 10;
const MEMBER_UNITS = 5;
const GOAL_MS = 2000;
const PERIOD = { from: '2026-01-01', to: '2026-06-30' };

const PLACE_NAMES: PlaceNames = {
  estate: (grid) => `${grid.code}-E`,
  building: (grid, b) => `${grid.code}-B${b + 1}`,
  entrance: (grid, b, e) => `${grid.code}-B${b + 1}-${e + 1}`,
  dwelling: (grid, k) => `${grid.code}-${k + 1}`,
};

async function time(runs: number, work: () => Promise<unknown>): Promise<Summary> {
  for (let w = 0; w < 2; w++) await work();
  const durations: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    durations.push(performance.now() - started);
  }
  return summarize(durations);
}

/** Builds the street, times the figures and the report, and cleans up. */
export async function runReportBench(options: ReportBenchOptions = {}): Promise<ReportBenchResult> {
  const rows = options.rows ?? 80_000;
  const runs = options.runs ?? 10;
  const log = options.log ?? ((message: string) => process.stderr.write(`[report bench] ${message}\n`));
  const target = await openSqliteTarget();
  if (target.location.dialect !== 'sqlite') throw new Error('the report bench runs on SQLite');
  try {
    const setupStarted = performance.now();
    const street = await createStreet(target.database, {
      code: 'RB',
      districtName: '报告基准区',
      streetName: '报告基准街道',
      communities: COMMUNITIES,
      gridsPerCommunity: GRIDS_PER_COMMUNITY,
      memberUnits: MEMBER_UNITS,
      streetAreaKm2: 12.5,
      communityAreaKm2: 1.5,
    });
    log(`seeding ${rows.toLocaleString('en-US')} residents into ${street.grids.length} grids…`);
    await seedResidents({
      target: target.location,
      rows,
      seed: SEED,
      grids: street.grids.map((g) => ({ id: g.id, streetId: g.streetId! })),
    });
    const { households, dwellings } = addHouseholdsAndPlaces(target.location, street, PLACE_NAMES);
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    log(`street ready in ${setupSeconds.toFixed(1)} s: ${households.toLocaleString('en-US')} households`);

    const db = target.database.db;
    const streetId = street.street.id;
    const figures = await statisticsService.computeRegistryStatistics(db, cliActor, streetId, PERIOD);
    if (figures.residents !== rows)
      throw new Error(`expected ${rows} residents, counted ${figures.residents}`);
    const sample = await reportService.generateBasicReport(db, cliActor, streetId, PERIOD);

    log('timing the figures alone…');
    const statistics = await time(runs, () =>
      statisticsService.computeRegistryStatistics(db, cliActor, streetId, PERIOD),
    );
    log('timing the report (figures + document)…');
    const report = await time(runs, () => reportService.generateBasicReport(db, cliActor, streetId, PERIOD));
    log('timing the report on the worker thread…');
    const runner = createReportRunner(target.database);
    let reportViaWorker: Summary;
    try {
      reportViaWorker = await time(runs, () => runner.generateBasicReport(cliActor, streetId, PERIOD));
    } finally {
      await runner.close();
    }
    return {
      rows,
      communities: COMMUNITIES,
      grids: street.grids.length,
      households,
      dwellings,
      setupSeconds,
      reportBytes: sample.buffer.byteLength,
      statistics,
      report,
      reportViaWorker,
      ratio: report.median / statistics.median,
      goalMs: GOAL_MS,
      pass: Math.max(report.p95, reportViaWorker.p95) <= GOAL_MS,
    };
  } finally {
    await target.cleanup();
  }
}

export function formatReportBench(r: ReportBenchResult): string {
  const ms = (v: number) => `${v.toFixed(1).padStart(8)} ms`;
  const line = (label: string, s: Summary) =>
    `${label.padEnd(34)}${String(s.n).padStart(4)}${ms(s.median)}${ms(s.p95)}`;
  return [
    `Report benchmark — SQLite, one street of ${r.rows.toLocaleString('en-US')} residents ` +
      `(${r.communities} communities, ${r.grids} grids, ${r.households.toLocaleString('en-US')} households, ` +
      `${r.dwellings.toLocaleString('en-US')} dwellings); set up in ${r.setupSeconds.toFixed(1)} s`,
    `${''.padEnd(34)}${'n'.padStart(4)}${'median'.padStart(11)}${'p95'.padStart(11)}`,
    line('figures alone (statistics)', r.statistics),
    line('report: figures + .docx', r.report),
    line('report on the worker thread', r.reportViaWorker),
    `report / figures (median): ${r.ratio.toFixed(2)}×; document ${(r.reportBytes / 1024).toFixed(1)} KiB`,
    `goal: report p95 ≤ ${r.goalMs} ms — ${r.pass ? 'PASS' : 'MISS'}`,
  ].join('\n');
}

const isMain =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  const { values } = parseArgs({ options: { rows: { type: 'string' }, runs: { type: 'string' } } });
  const result = await runReportBench({
    rows: values.rows ? Number(values.rows.replace(/[_,]/g, '')) : undefined,
    runs: values.runs ? Number(values.runs) : undefined,
  });
  console.log(formatReportBench(result));
  if (!result.pass) process.exitCode = 1;
}
