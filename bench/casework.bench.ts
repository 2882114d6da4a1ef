/**
 * Casework benchmark: the figures of a street of 80,000 residents with its casework (by default
 * 10,000 disputes and 40,000 petitions and hotline calls in the first half of 2026; 50,000 visits,
 * 20,000 must-visit tasks, 8,000 pairings and 10,000 assistance records over two years), timed
 * through the statistics service (the code of `shiliuzi stats --json` and the HTTP routes) for the
 * street and for one community, beside the same figures counted by SQL written here and run
 * directly on the connection (the plain SQL limit). The two must agree.
 *
 *   TZ=Asia/Shanghai node --import tsx bench/casework.bench.ts [--rows N] [--runs N] [--postgres] [--explain]
 *   BENCH_DATABASE_URL=postgres://user@host:5432/postgres … casework.bench.ts    (also on PostgreSQL)
 *
 * SQLite always; PostgreSQL too with BENCH_DATABASE_URL, or with --postgres on a throwaway cluster
 * (scripts/pg-cluster.sh). `--only postgres` skips SQLite. `--explain` prints each query's plan.
 * Goal: every figure set's p95 ≤ 200 ms for the street.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import pg from 'pg';
import { ratio, type CaseworkStatistics } from '@shiliuzi/shared/casework-visits';
import { ethnicGroups, isMinority } from '@shiliuzi/shared/ethnicity';
import type { Executor } from '../server/src/db/database.ts';
import { cliActor } from '../server/src/lib/actor.ts';
import { orgUnitRepository } from '../server/src/modules/org-units/org-unit.repository.ts';
import { scopeOf } from '../server/src/modules/org-units/org-unit.service.ts';
import { caseworkStatisticsRepository as repo } from '../server/src/modules/statistics/casework-statistics.repository.ts';
import { disputePetitionStatisticsService } from '../server/src/modules/statistics/dispute-petition.service.ts';
import { statisticsService } from '../server/src/modules/statistics/statistics.service.ts';
import { defaultVolumes, seedCaseworkRecords, type CaseworkVolumes } from './casework-seed.ts';
import { summarize, type Summary } from './report.ts';
import { seedResidents } from './seed-residents.ts';
import { createCaptureDb } from './sql-capture.ts';
import { openBenchSqlite } from './sqlite-file.ts';
import { createStreet } from './street.ts';
import { openPostgresTarget, openSqliteTarget, type Target } from './targets.ts';

const SEED = 20260630;
const GOAL_MS = 200;
/** A half-year report, the period the figures are asked for. */
const PERIOD = { from: '2026-01-01', to: '2026-06-30' };

/** A series' wall-clock latency, and the CPU time each run cost (this process and the database's). */
type Timing = Summary & { cpuMs: number | null };

async function time(runs: number, work: () => unknown, cpu: () => Promise<number | null>): Promise<Timing> {
  for (let w = 0; w < 2; w++) await work();
  const durations: number[] = [];
  const cpuBefore = await cpu();
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    durations.push(performance.now() - started);
  }
  const cpuAfter = await cpu();
  const cpuMs = cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / runs;
  return { ...summarize(durations), cpuMs };
}

const processCpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/** Fields of /proc/<pid>/stat after the command name (field 3 onwards), or null when unreadable. */
function procStat(pid: number | string): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

const TICK_MS = 10; // Linux clock ticks (USER_HZ = 100)

/**
 * CPU used so far by a PostgreSQL server running on this machine: every live process of the
 * postmaster (backends, parallel workers) plus what its exited children used; null elsewhere.
 */
function postgresCpuMs(postmasterPid: number): number | null {
  const postmaster = procStat(postmasterPid);
  if (!postmaster) return null;
  // cutime and cstime (fields 16, 17): children that have exited.
  let ticks = Number(postmaster[13]) + Number(postmaster[14]);
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = procStat(entry);
    // ppid (field 4); utime, stime (fields 14, 15).
    if (fields && Number(fields[1]) === postmasterPid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks * TICK_MS;
}

// ---------------------------------------------------------------------------------------------
// Plain SQL: the figures written by hand, run on a raw connection of the engine's own driver.

type Row = Record<string, unknown>;
interface PlainConnection {
  /** Runs `text`, whose `{name}` tokens are bound to `values[name]`. */
  all(text: string, values: Record<string, string>): Promise<Row[]>;
  /** The plan of a statement as the app sends it (positional parameters). */
  explain(sql: string, parameters: readonly unknown[]): Promise<string>;
  /**
   * CPU used so far by this process and, on PostgreSQL, by the server (when it runs on this
   * machine; null otherwise).
   */
  cpu(): Promise<number | null>;
  close(): Promise<void>;
}

function bindNamed(text: string, values: Record<string, string>, placeholder: (i: number) => string) {
  const parameters: string[] = [];
  const bound = text.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`no value for {${name}}`);
    parameters.push(values[name]!);
    return placeholder(parameters.length - 1);
  });
  return { bound, parameters };
}

function openPlainConnection(target: Target): PlainConnection {
  if (target.location.dialect === 'sqlite') {
    const sqlite = openBenchSqlite(target.location, { readonly: true });
    sqlite.pragma('cache_size = -65536');
    const statements = new Map<string, SqliteDatabase.Statement>();
    const prepared = (text: string) => {
      let statement = statements.get(text);
      if (!statement) statements.set(text, (statement = sqlite.prepare(text)));
      return statement;
    };
    return {
      all: async (text, values) => {
        const { bound, parameters } = bindNamed(text, values, () => '?');
        return prepared(bound).all(parameters) as Row[];
      },
      explain: async (sql, parameters) => {
        const rows = sqlite.prepare(`explain query plan ${sql}`).all([...parameters]) as { detail: string }[];
        return rows.map((r) => r.detail).join('\n');
      },
      cpu: async () => processCpuMs(),
      close: async () => void sqlite.close(),
    };
  }
  const client = new pg.Client({ connectionString: target.location.url });
  const connected = client.connect();
  let postmasterPid: number | undefined;
  return {
    all: async (text, values) => {
      await connected;
      const { bound, parameters } = bindNamed(text, values, (i) => `$${i + 1}`);
      return (await client.query(bound, parameters)).rows as Row[];
    },
    explain: async (sql, parameters) => {
      await connected;
      const { rows } = await client.query(`explain (analyze, buffers) ${sql}`, [...parameters]);
      return rows.map((r: Row) => r['QUERY PLAN']).join('\n');
    },
    cpu: async () => {
      await connected;
      postmasterPid ??= await client
        .query<{ pid: number }>('select pg_backend_pid() as pid')
        .then(({ rows }) => Number(procStat(rows[0]!.pid)?.[1] ?? 0));
      const server = postmasterPid ? postgresCpuMs(postmasterPid) : null;
      return server === null ? null : processCpuMs() + server;
    },
    close: () => client.end(),
  };
}

const minorityList = ethnicGroups
  .filter((g) => isMinority(g.code))
  .map((g) => `'${g.code}'`)
  .sort()
  .join(', ');

/** The casework figure sets as plain SQL, for one engine. `{scope}` … tokens are bound at run time. */
function plainQueries(dialect: 'sqlite' | 'postgres') {
  // The org subtree: the same range on the materialised path as the app's scope helper.
  const scope =
    dialect === 'sqlite'
      ? `select id from org_unit where path >= {pathFrom} and path < {pathTo} and deleted_at is null`
      : `select id from org_unit where path like {pathLike} and deleted_at is null`;
  const windowStart =
    dialect === 'sqlite'
      ? `date({asOf}, '-' || s.frequency_days || ' days')`
      : `(cast({asOf} as date) - s.frequency_days)`;
  const active = (p: string) => `${p}.org_unit_id in (${scope}) and ${p}.deleted_at is null
        and ${p}.started_on <= {asOf} and (${p}.ended_on is null or ${p}.ended_on >= {asOf})`;
  const visitsTo = (from: string) => `select a.id as pairing_id, a.cadre_id, a.started_on, a.frequency_days,
        vs.visit_id from ${from} where ${active('a')}`;
  return {
    scope,
    visits: `select purpose, count(*) as n from visit
      where org_unit_id in (${scope}) and deleted_at is null and visited_on >= {from} and visited_on <= {asOf}
      group by purpose`,
    mustVisits: `select
        sum(case when event_on <= {asOf} and (done_on is null or done_on > {asOf}) and due_on >= {asOf} then 1 else 0 end) as open,
        sum(case when event_on <= {asOf} and (done_on is null or done_on > {asOf}) and due_on < {asOf} then 1 else 0 end) as overdue,
        sum(case when done_on >= {from} and done_on <= {asOf} and done_on <= due_on then 1 else 0 end) as done_on_time,
        sum(case when done_on >= {from} and done_on <= {asOf} and done_on > due_on then 1 else 0 end) as done_late
      from must_visit_task where org_unit_id in (${scope}) and deleted_at is null`,
    coverage: `select count(*) as households, sum(case when exists (
          select 1 from pairing p where p.household_id = h.id and p.deleted_at is null
            and p.started_on <= {asOf} and (p.ended_on is null or p.ended_on >= {asOf})) then 1 else 0 end) as paired
      from household h
      where h.org_unit_id in (${scope}) and h.deleted_at is null
        and h.id in (select r.household_id from resident r where r.org_unit_id in (${scope})
          and r.deleted_at is null and r.ethnicity_code between ${minorityList.split(', ')[0]}
          and ${minorityList.split(', ').at(-1)} and r.ethnicity_code in (${minorityList}))`,
    compliance: `select count(*) as active, sum(case when p.id in (
          select s.pairing_id from (
            ${visitsTo('pairing a join visit_subject vs on vs.household_id = a.household_id')}
            union all
            ${visitsTo(
              `pairing a join resident m on m.household_id = a.household_id
                join visit_subject vs on vs.resident_id = m.id`,
            )}) s
          join visit v on v.id = s.visit_id
          join visit_visitor vv on vv.visit_id = v.id and vv.user_id = s.cadre_id
          where v.deleted_at is null and v.visited_on >= s.started_on and v.visited_on <= {asOf}
            and v.visited_on > ${windowStart}
        ) then 1 else 0 end) as contacted
      from pairing p where ${active('p')}`,
    assistance: `select fund_source, count(*) as n, sum(amount_fen) as amount_fen from assistance
      where org_unit_id in (${scope}) and deleted_at is null and status = 'approved'
        and decided_on >= {from} and decided_on <= {asOf}
      group by fund_source`,
  };
}

type FigureSet = 'visits' | 'mustVisits' | 'pairings' | 'assistance';
type PlainKey = Exclude<keyof ReturnType<typeof plainQueries>, 'scope'>;
const figureSets: { key: FigureSet; label: string; plain: PlainKey[] }[] = [
  { key: 'visits', label: 'visits (total, byPurpose)', plain: ['visits'] },
  { key: 'mustVisits', label: 'mustVisits (open, overdue, on time)', plain: ['mustVisits'] },
  { key: 'pairings', label: 'pairings (coverage, compliance)', plain: ['coverage', 'compliance'] },
  { key: 'assistance', label: 'assistance (count, amount by source)', plain: ['assistance'] },
];

/** The repository calls the service makes for one figure set. */
function serviceQueries(db: Executor, key: FigureSet, scope: ReturnType<typeof scopeOf>) {
  const { from, to: asOf } = PERIOD;
  switch (key) {
    case 'visits':
      return [repo.countVisitsByPurpose(db, scope, from, asOf)];
    case 'mustVisits':
      return [repo.countMustVisits(db, scope, from, asOf)];
    case 'pairings':
      return [repo.countMinorityHouseholds(db, scope, asOf), repo.countPairingCompliance(db, scope, asOf)];
    case 'assistance':
      return [repo.sumApprovedAssistance(db, scope, from, asOf)];
  }
}

/** The plain SQL's rows as the service's figures, to check that both count the same. */
function plainFigures(rows: Record<string, Row[]>): CaseworkStatistics {
  const num = (v: unknown) => Number(v ?? 0);
  const byPurpose = Object.fromEntries(rows.visits!.map((r) => [r.purpose as string, num(r.n)]));
  const must = rows.mustVisits![0]!;
  const coverage = rows.coverage![0]!;
  const compliance = rows.compliance![0]!;
  const amountBySource = Object.fromEntries(
    rows.assistance!.map((r) => [r.fund_source as string, num(r.amount_fen)]),
  );
  return {
    visits: { total: Object.values(byPurpose).reduce((a, b) => a + b, 0), byPurpose },
    mustVisits: {
      open: num(must.open),
      overdue: num(must.overdue),
      doneOnTime: num(must.done_on_time),
      doneLate: num(must.done_late),
    },
    pairings: {
      active: num(compliance.active),
      minorityHouseholds: num(coverage.households),
      pairedMinorityHouseholds: num(coverage.paired),
      contactedInTime: num(compliance.contacted),
      coverage: ratio(num(coverage.paired), num(coverage.households)),
      compliance: ratio(num(compliance.contacted), num(compliance.active)),
    },
    assistance: {
      count: rows.assistance!.reduce((a, r) => a + num(r.n), 0),
      amountFen: Object.values(amountBySource).reduce((a, b) => a + b, 0),
      amountBySource,
    },
  };
}

// ---------------------------------------------------------------------------------------------

export interface CaseworkLine {
  scope: 'street' | 'community';
  label: string;
  service: Timing;
  plain: Timing;
  /** Service median / plain SQL median. */
  ratio: number;
  /** Counts towards the goal (every figure set of the street). */
  goal: boolean;
  pass: boolean;
}

export interface CaseworkBenchResult {
  dialect: 'sqlite' | 'postgres';
  origin: string;
  rows: number;
  seeded: Awaited<ReturnType<typeof seedCaseworkRecords>>;
  figures: CaseworkStatistics;
  lines: CaseworkLine[];
  plans: string[];
  /** The machine's 1-minute load average before and after the timings. */
  load: [number, number];
  goalMs: number;
  pass: boolean;
}

export interface CaseworkBenchOptions {
  dialect?: 'sqlite' | 'postgres';
  rows?: number;
  volumes?: Partial<CaseworkVolumes>;
  runs?: number;
  explain?: boolean;
}

/** Seeds a street on one engine and times its casework figures; undefined when PostgreSQL is not at hand. */
export async function runCaseworkBench(
  options: CaseworkBenchOptions = {},
): Promise<CaseworkBenchResult | string> {
  const dialect = options.dialect ?? 'sqlite';
  const rows = options.rows ?? 80_000;
  const volumes = { ...defaultVolumes, ...options.volumes };
  const runs = options.runs ?? 20;
  const log = (message: string) => process.stderr.write(`[casework bench ${dialect}] ${message}\n`);
  const target =
    dialect === 'sqlite'
      ? await openSqliteTarget()
      : await openPostgresTarget(process.env.BENCH_DATABASE_URL);
  if (typeof target === 'string') return target;
  try {
    const street = await createStreet(target.database, {
      code: 'CB',
      districtName: '案件基准区',
      streetName: '案件基准街道',
      communities: 8,
      gridsPerCommunity: 10,
    });
    const grids = street.grids.map((g) => ({ id: g.id, streetId: g.streetId! }));
    log(`seeding ${rows.toLocaleString('en-US')} residents…`);
    await seedResidents({ target: target.location, rows, seed: SEED, grids });
    log('seeding households, users and casework records…');
    const seeded = await seedCaseworkRecords(target.database, street, volumes, SEED);

    const db = target.database.db;
    const community = (await orgUnitRepository.findOrgUnitById(db, '/', street.grids[0]!.parentId!))!;
    const scopes = [
      { name: 'street' as const, unit: street.street },
      { name: 'community' as const, unit: community },
    ];
    const loadBefore = os.loadavg()[0]!;
    const plain = openPlainConnection(target);
    const { scope: scopeSql, ...queries } = plainQueries(dialect);
    const lines: CaseworkLine[] = [];
    const plans: string[] = [];
    let streetFigures: CaseworkStatistics | undefined;
    try {
      for (const { name, unit } of scopes) {
        const values = {
          from: PERIOD.from,
          asOf: PERIOD.to,
          pathFrom: unit.path,
          pathTo:
            unit.path.slice(0, -1) + String.fromCharCode(unit.path.charCodeAt(unit.path.length - 1) + 1),
          pathLike: `${unit.path}%`,
        };
        const runPlain = async (keys: PlainKey[]) => {
          const out: Record<string, Row[]> = {};
          for (const key of keys) out[key] = await plain.all(queries[key], values);
          return out;
        };
        const figures = () => statisticsService.computeCaseworkStatistics(db, cliActor, unit.id, PERIOD);
        const counted = await figures();
        const byHand = plainFigures(await runPlain(Object.keys(queries) as PlainKey[]));
        if (!isDeepStrictEqual(counted, byHand)) {
          throw new Error(
            `the service and the plain SQL disagree for the ${name}:\n${JSON.stringify(counted)}\n${JSON.stringify(byHand)}`,
          );
        }
        if (name === 'street') streetFigures = counted;
        if (options.explain && name === 'street') {
          // The plan of every statement the service runs, compiled exactly as the app compiles it.
          const capture = createCaptureDb(dialect);
          const orgScope = scopeOf(unit as Parameters<typeof scopeOf>[0]);
          for (const set of figureSets) {
            const captured = await capture.capture((c) => Promise.all(serviceQueries(c, set.key, orgScope)));
            for (const query of captured) {
              plans.push(
                `-- ${set.label}\n${query.sql}\n${await plain.explain(query.sql, query.parameters)}`,
              );
            }
          }
        }

        log(`timing the ${name}…`);
        const service = await time(runs, figures, plain.cpu);
        const plainAll = await time(runs, () => runPlain(Object.keys(queries) as PlainKey[]), plain.cpu);
        lines.push({
          scope: name,
          label: 'all casework figures (service)',
          service,
          plain: plainAll,
          ratio: service.median / plainAll.median,
          // The four sets below together, for reference: the goal is per set.
          goal: false,
          pass: service.p95 <= GOAL_MS,
        });
        const orgScope = scopeOf(unit as Parameters<typeof scopeOf>[0]);
        for (const set of figureSets) {
          const viaRepository = await time(
            runs,
            () => Promise.all(serviceQueries(db, set.key, orgScope)),
            plain.cpu,
          );
          const byPlain = await time(runs, () => runPlain(set.plain), plain.cpu);
          lines.push({
            scope: name,
            label: set.label,
            service: viaRepository,
            plain: byPlain,
            ratio: viaRepository.median / byPlain.median,
            goal: name === 'street',
            pass: viaRepository.p95 <= GOAL_MS,
          });
        }
        // Disputes, petitions and hotline: their own service and two GROUP BY queries.
        const disputeFigures = () =>
          disputePetitionStatisticsService.computeDisputePetitionStatistics(db, cliActor, unit.id, PERIOD);
        const dp = await disputeFigures();
        if (name === 'street') {
          const counted = dp.disputes.found + dp.petitions.received + dp.hotline.received;
          if (counted !== volumes.disputesAndPetitions) {
            throw new Error(
              `expected ${volumes.disputesAndPetitions} disputes and petitions, counted ${counted}`,
            );
          }
        }
        const disputeSql = `select handling_level, category, outcome, count(*) n from dispute
          where org_unit_id in (${scopeSql})
            and deleted_at is null and intake_date >= {from} and intake_date <= {asOf} group by 1, 2, 3`;
        const petitionSql = `select channel, status, count(*) n, sum(handling_days) d from petition
          where org_unit_id in (${scopeSql})
            and deleted_at is null and received_date >= {from} and received_date <= {asOf} group by 1, 2`;
        const dpService = await time(runs, disputeFigures, plain.cpu);
        const dpPlain = await time(
          runs,
          async () => {
            await plain.all(disputeSql, values);
            await plain.all(petitionSql, values);
          },
          plain.cpu,
        );
        lines.push({
          scope: name,
          label: 'disputes, petitions, hotline (service)',
          service: dpService,
          plain: dpPlain,
          ratio: dpService.median / dpPlain.median,
          goal: name === 'street',
          pass: dpService.p95 <= GOAL_MS,
        });
      }
    } finally {
      await plain.close();
    }
    return {
      dialect,
      origin: target.origin,
      rows,
      seeded,
      figures: streetFigures!,
      lines,
      plans,
      load: [loadBefore, os.loadavg()[0]!],
      goalMs: GOAL_MS,
      pass: lines.every((l) => !l.goal || l.pass),
    };
  } finally {
    await target.cleanup();
  }
}

/** The plain-text report of one engine's run. */
export function formatCaseworkBench(r: CaseworkBenchResult): string {
  const n = (v: number) => v.toLocaleString('en-US');
  const ms = (v: number) => `${v.toFixed(1).padStart(9)} ms`;
  const s = r.seeded;
  const cpu = (v: number | null) => (v === null ? '—'.padStart(10) : `${v.toFixed(1).padStart(7)} ms`);
  const header =
    `${'scope'.padEnd(10)}${'figures'.padEnd(40)}${'n'.padStart(4)}${'median'.padStart(12)}${'p95'.padStart(12)}` +
    `${'CPU/run'.padStart(10)}${'SQL median'.padStart(14)}${'SQL p95'.padStart(12)}${'CPU/run'.padStart(10)}` +
    `${'ratio'.padStart(8)}  goal`;
  const lines = r.lines.map(
    (l) =>
      `${l.scope.padEnd(10)}${l.label.padEnd(40)}${String(l.service.n).padStart(4)}${ms(l.service.median)}` +
      `${ms(l.service.p95)}${cpu(l.service.cpuMs)}${ms(l.plain.median).padStart(14)}${ms(l.plain.p95)}` +
      `${cpu(l.plain.cpuMs)}${`${l.ratio.toFixed(2)}×`.padStart(8)}  ${l.goal ? (l.pass ? 'PASS' : 'MISS') : ''}`,
  );
  const f = r.figures;
  return [
    `Casework benchmark — ${r.dialect === 'sqlite' ? 'SQLite' : r.origin}`,
    `a street of ${n(r.rows)} residents in ${n(s.households)} households (${n(s.minorityHouseholds)} minority): ` +
      `${n(s.visits)} visits, ${n(s.mustVisits)} must-visit tasks, ${n(s.pairings)} pairings, ` +
      `${n(s.assistance)} assistance records (2024-07-01 – 2026-06-30), ${n(s.disputes)} disputes and ` +
      `${n(s.petitions)} petitions and hotline calls (2026-01-01 – 2026-06-30)`,
    `period ${PERIOD.from} – ${PERIOD.to}; "median/p95" through the app (service or its repository calls), ` +
      `"SQL" the same figures by plain SQL on the engine's driver; ratio = median / SQL median; CPU/run = ` +
      `CPU time of this process and of the database server's processes per run; ` +
      `load average ${r.load[0].toFixed(2)} → ${r.load[1].toFixed(2)} on ${os.cpus().length} cores`,
    header,
    ...lines,
    `street figures: visits ${n(f.visits.total)}, must-visits open ${n(f.mustVisits.open)} / overdue ` +
      `${n(f.mustVisits.overdue)} / on time ${n(f.mustVisits.doneOnTime)}, pairings coverage ` +
      `${(f.pairings.coverage * 100).toFixed(1)} % / compliance ${(f.pairings.compliance * 100).toFixed(1)} %, ` +
      `assistance ${n(f.assistance.count)} (${n(f.assistance.amountFen / 100)} yuan)`,
    `goal: every figure set's p95 ≤ ${r.goalMs} ms for the street — ${r.pass ? 'PASS' : 'MISS'}`,
    ...(r.plans.length > 0 ? ['', 'Plans of the statements the service runs (street):', ...r.plans] : []),
  ].join('\n');
}

/** Runs SQLite, then PostgreSQL when BENCH_DATABASE_URL is set or `postgres` is asked for. */
export async function runCaseworkSuite(
  options: Omit<CaseworkBenchOptions, 'dialect'> & { postgres?: boolean; only?: 'sqlite' | 'postgres' } = {},
): Promise<boolean> {
  const dialects = (['sqlite', 'postgres'] as const).filter((d) =>
    options.only
      ? options.only === d
      : d === 'sqlite' || options.postgres || process.env.BENCH_DATABASE_URL !== undefined,
  );
  let pass = true;
  for (const dialect of dialects) {
    const result = await runCaseworkBench({ ...options, dialect });
    if (typeof result === 'string') {
      console.log(`\nCasework benchmark — PostgreSQL skipped: ${result}`);
      continue;
    }
    console.log(`\n${formatCaseworkBench(result)}`);
    pass &&= result.pass;
  }
  return pass;
}

const isMain =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string' },
      records: { type: 'string' },
      runs: { type: 'string' },
      postgres: { type: 'boolean' },
      only: { type: 'string' },
      explain: { type: 'boolean' },
    },
  });
  const num = (v: string | undefined) => (v ? Number(v.replace(/[_,]/g, '')) : undefined);
  if (values.only !== undefined && values.only !== 'sqlite' && values.only !== 'postgres') {
    throw new Error('--only must be sqlite or postgres');
  }
  const records = num(values.records);
  const pass = await runCaseworkSuite({
    rows: num(values.rows),
    runs: num(values.runs),
    volumes: records === undefined ? {} : { disputesAndPetitions: records },
    postgres: values.postgres,
    only: values.only as 'sqlite' | 'postgres' | undefined,
    explain: values.explain,
  });
  if (!pass) process.exitCode = 1;
}
