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
import SqliteDatabase from 'better-sqlite3';
import type { OrgUnit } from '@shiliuzi/shared/org-units';
import type { Database } from '../server/src/db/database.ts';
import { cliActor } from '../server/src/lib/actor.ts';
import { newId } from '../server/src/lib/ids.ts';
import { orgUnitService } from '../server/src/modules/org-units/org-unit.service.ts';
import { createReportRunner, reportService } from '../server/src/modules/reports/report.service.ts';
import { statisticsService } from '../server/src/modules/statistics/statistics.service.ts';
import { summarize, type Summary } from './report.ts';
import { seedResidents } from './seed-residents.ts';
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

interface Street {
  street: OrgUnit;
  grids: OrgUnit[];
}

async function createStreet(database: Database): Promise<Street> {
  return database.db.transaction().execute(async (trx) => {
    const add = (
      code: string,
      name: string,
      type: OrgUnit['type'],
      parentId: string | null,
      areaKm2?: number,
    ) =>
      orgUnitService.createOrgUnit(trx, cliActor, { code, name, type, parentId, areaKm2: areaKm2 ?? null });
    const two = (n: number) => String(n + 1).padStart(2, '0');
    const district = await add('RB', '报告基准区', 'district', null);
    const street = await add('RB-S', '报告基准街道', 'street', district.id, 12.5);
    const grids: OrgUnit[] = [];
    for (let c = 0; c < COMMUNITIES; c++) {
      const community = await add(`RB-C${two(c)}`, `第${c + 1}社区`, 'community', street.id, 1.5);
      for (let g = 0; g < GRIDS_PER_COMMUNITY; g++) {
        grids.push(
          await add(`${community.code}-G${two(g)}`, `${community.name}第${g + 1}网格`, 'grid', community.id),
        );
      }
    }
    for (let u = 0; u < MEMBER_UNITS; u++) await add(`RB-U${two(u)}`, `驻区单位${u + 1}`, 'unit', street.id);
    return { street, grids };
  });
}

/**
 * Households of three residents of one grid (head, spouse, child), each in a dwelling of its own:
 * 12 dwellings an entrance, 4 entrances a building, one estate a grid, every fifth dwelling rented.
 * Written with plain SQL on a connection of its own, as the resident seeder writes residents.
 */
function addHouseholdsAndPlaces(file: string, street: Street): { households: number; dwellings: number } {
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const now = new Date().toISOString();
  const insertPlace = db.prepare(
    `insert into place (id, org_unit_id, street_id, kind, parent_id, name, is_rental, version, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
  );
  const insertHousehold = db.prepare(
    `insert into household (id, org_unit_id, street_id, dwelling_id, household_number, version, created_at, updated_at)
     values (?, ?, ?, ?, ?, 1, ?, ?)`,
  );
  const setHousehold = db.prepare(
    'update resident set household_id = ?, dwelling_id = ?, relation_to_head = ? where id = ?',
  );
  const residentsOf = db.prepare<[string], { id: string }>(
    'select id from resident where org_unit_id = ? and deleted_at is null order by id',
  );
  const relations = ['head', 'spouse', 'child'] as const;
  let households = 0;
  let dwellings = 0;
  db.transaction(() => {
    for (const grid of street.grids) {
      const place = (kind: string, parentId: string | null, name: string, isRental = false) => {
        const id = newId();
        insertPlace.run(id, grid.id, street.street.id, kind, parentId, name, isRental ? 1 : 0, now, now);
        return id;
      };
      const estate = place('estate', null, `${grid.code}-E`);
      let building = '';
      let entrance = '';
      const residents = residentsOf.all(grid.id);
      for (let at = 0, k = 0; at < residents.length; at += 3, k++) {
        if (k % 48 === 0) building = place('building', estate, `${grid.code}-B${k / 48 + 1}`);
        if (k % 12 === 0)
          entrance = place(
            'entrance',
            building,
            `${grid.code}-B${Math.floor(k / 48) + 1}-${((k / 12) % 4) + 1}`,
          );
        const dwelling = place('dwelling', entrance, `${grid.code}-${k + 1}`, dwellings % 5 === 0);
        const household = newId();
        insertHousehold.run(
          household,
          grid.id,
          street.street.id,
          dwelling,
          `${grid.code}-${k + 1}`,
          now,
          now,
        );
        residents
          .slice(at, at + 3)
          .forEach((r, m) => setHousehold.run(household, dwelling, relations[m], r.id));
        households += 1;
        dwellings += 1;
      }
    }
  })();
  db.exec('analyze');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { households, dwellings };
}

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
    const street = await createStreet(target.database);
    log(`seeding ${rows.toLocaleString('en-US')} residents into ${street.grids.length} grids…`);
    await seedResidents({
      target: target.location,
      rows,
      seed: SEED,
      grids: street.grids.map((g) => ({ id: g.id, streetId: g.streetId! })),
    });
    const { households, dwellings } = addHouseholdsAndPlaces(target.location.file, street);
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
