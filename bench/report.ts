/** Figures and the plain-text report of the benchmark. */

export interface Summary {
  n: number;
  median: number;
  p95: number;
  p99: number;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

export function summarize(durations: number[]): Summary {
  const sorted = [...durations].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    p99: quantile(sorted, 0.99),
  };
}

/** Latency of HTTP requests; failures (non-200 answers) count in the times but make the line ERR. */
export type HttpSummary = Summary & { failures: number; firstFailure: string | null };

export interface SeriesResult {
  key: string;
  label: string;
  httpMeasures: string;
  sqlMeasures: string;
  http: HttpSummary | null;
  sql: Summary | null;
  /** HTTP median / SQL median. */
  ratio: number | null;
}

export interface LoadResultFigures {
  path: string;
  connections: number;
  seconds: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export interface GoalResult {
  /** The series key ('a', 'b' …) or 'load-rps' / 'load-p99'. */
  key: string;
  goal: string;
  actual: string;
  pass: boolean;
}

export interface DatabaseResult {
  dialect: 'sqlite' | 'postgres';
  origin: string;
  rows: number;
  orgTree: { districts: 1; streets: number; communities: number; grids: number; seconds: number };
  seed: {
    residents: number;
    nameGrams: number;
    floatingDetails: number;
    seconds: number;
    residentsPerSecond: number;
    gramsPerSecond: number;
    analyzeSeconds: number;
    seederPeakRssKiB: number;
  };
  floors: { health: HttpSummary; authMe: HttpSummary };
  worker: { scope: string; series: SeriesResult[] };
  admin: { scope: string; series: SeriesResult[] };
  load: LoadResultFigures;
  peakRssKiB: { afterSetup: number; afterHttp: number; atEnd: number };
  /** os.loadavg() (1, 5, 15 min) when the database's run started and ended: other work skews the figures. */
  loadAverage: { atStart: number[]; atEnd: number[] };
  /** process.memoryUsage() of the server process at the end of the HTTP runs, in MiB. */
  memoryAfterHttpMiB: { rss: number; heapUsed: number; heapTotal: number; external: number };
  /** With --profile: CPU profiles of the server during extra load runs on (a) and (b). */
  profiles: { series: string; file: string; requestsPerSecond: number; summary: string }[] | undefined;
  goals: GoalResult[];
  seconds: number;
}

const ms = (value: number | undefined | null): string =>
  value === undefined || value === null || Number.isNaN(value)
    ? '-'
    : value >= 100
      ? value.toFixed(0)
      : value >= 10
        ? value.toFixed(1)
        : value.toFixed(2);
const int = (value: number) => Math.round(value).toLocaleString('en-US');
const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const verdict = (goal: GoalResult, apply: boolean) =>
  apply ? (goal.pass ? 'PASS' : 'MISS') : goal.pass ? '(within)' : '(over)';

function seriesTable(series: SeriesResult[], goals: Map<string, GoalResult>, apply: boolean): string {
  return table(
    ['query', 'n', 'HTTP med', 'p95', 'SQL med', 'p95', 'ratio', 'goal (HTTP med)', ''],
    series.map((s) => {
      const goal = goals.get(s.key);
      return [
        s.label,
        String(s.http?.n ?? s.sql?.n ?? 0),
        ms(s.http?.median),
        ms(s.http?.p95),
        ms(s.sql?.median),
        ms(s.sql?.p95),
        s.ratio === null ? '-' : `${s.ratio.toFixed(1)}x`,
        goal?.goal ?? '',
        s.http?.failures ? `ERR: ${s.http.failures} failed` : goal ? verdict(goal, apply) : '',
      ];
    }),
  );
}

/** The plain-text report of one database. */
export function formatDatabaseResult(result: DatabaseResult, options: { goalsApply: boolean }): string {
  const { seed, floors, load } = result;
  const apply = options.goalsApply;
  const goalsByKey = new Map(result.goals.map((g) => [g.key, g]));
  const title = `${result.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} — ${int(result.rows)} residents`;
  const out: string[] = [
    '',
    `=== ${title} ${'='.repeat(Math.max(0, 100 - title.length))}`,
    `database: ${result.origin}`,
    `org tree (through the org-unit service): 1 district, ${result.orgTree.streets} streets, ` +
      `${result.orgTree.communities} communities, ${int(result.orgTree.grids)} grids in ${result.orgTree.seconds.toFixed(1)} s`,
    `seed: ${int(seed.residents)} residents + ${int(seed.nameGrams)} name grams + ${int(seed.floatingDetails)} ` +
      `floating details in ${seed.seconds.toFixed(1)} s = ${int(seed.residentsPerSecond)} residents/s ` +
      `(${int(seed.gramsPerSecond)} grams/s); ${result.dialect === 'sqlite' ? 'ANALYZE + checkpoint' : 'VACUUM (ANALYZE)'} ` +
      `${seed.analyzeSeconds.toFixed(1)} s; seeder peak RSS ${mib(seed.seederPeakRssKiB)}`,
    `HTTP floor over loopback (median / p95 ms): GET /api/health (no session) ${ms(floors.health.median)} / ` +
      `${ms(floors.health.p95)}; GET /api/auth/me (session + user lookup) ${ms(floors.authMe.median)} / ${ms(floors.authMe.p95)}`,
    '',
    `As the community worker (scope: ${result.worker.scope}) — times in ms; HTTP = request to last byte over` +
      ' loopback, with session check; SQL = the same statements straight on the driver',
    ...(apply
      ? []
      : ['(the goals are set for SQLite at 1,000,000 residents: shown for reference as (within) / (over))']),
    seriesTable(result.worker.series, goalsByKey, apply),
    '',
    `Load: ${load.connections} connections for ${load.seconds.toFixed(0)} s on (b) as the community worker: ` +
      `${int(load.requestsPerSecond)} req/s, p50 ${ms(load.p50)} ms, p99 ${ms(load.p99)} ms` +
      (load.non2xx || load.errors ? `, ${load.non2xx} non-2xx, ${load.errors} errors` : ''),
    ...['load-rps', 'load-p99'].flatMap((key) => {
      const goal = goalsByKey.get(key);
      return goal ? [`  goal ${goal.goal}: ${goal.actual} ${verdict(goal, apply)}`] : [];
    }),
    '',
    `As the district admin (scope: ${result.admin.scope}), for comparison (no goals)`,
    seriesTable(result.admin.series, new Map(), apply),
    ...[...result.worker.series, ...result.admin.series]
      .filter((s) => s.http?.failures)
      .map((s) => `ERR ${s.label}: ${s.http!.failures} requests failed, first: ${s.http!.firstFailure}`),
    '',
    'What each line measures:',
    ...result.worker.series.map(
      (s) => `  ${s.label.padEnd(44)} HTTP: ${s.httpMeasures}\n${' '.repeat(47)}SQL: ${s.sqlMeasures}`,
    ),
    '',
    `Peak RSS of the server process (maxRSS): after setup and the request lists ${mib(result.peakRssKiB.afterSetup)}, after the HTTP ` +
      `runs ${mib(result.peakRssKiB.afterHttp)}, at the end (incl. the direct-SQL connection) ${mib(result.peakRssKiB.atEnd)}; ` +
      `at the end of the HTTP runs: RSS ${result.memoryAfterHttpMiB.rss.toFixed(0)} MiB, JS heap ` +
      `${result.memoryAfterHttpMiB.heapUsed.toFixed(0)} of ${result.memoryAfterHttpMiB.heapTotal.toFixed(0)} MiB, ` +
      `external ${result.memoryAfterHttpMiB.external.toFixed(0)} MiB`,
    `Machine load average (1 min) at start ${result.loadAverage.atStart[0]!.toFixed(2)}, at end ` +
      `${result.loadAverage.atEnd[0]!.toFixed(2)}` +
      (Math.max(result.loadAverage.atStart[0]!, result.loadAverage.atEnd[0]!) > 1.5
        ? ' — other work was running: the figures are skewed upwards'
        : ''),
    ...(result.profiles ?? []).flatMap((profile) => [
      '',
      `CPU profile of the server during ${int(profile.requestsPerSecond)} req/s on (${profile.series}), ` +
        `${result.load.connections} connections (profiler on, so slower): ${profile.file}`,
      profile.summary,
    ]),
    `${title}: ${result.goals.filter((g) => g.pass).length}/${result.goals.length} goals ` +
      `${apply ? 'met' : 'within the SQLite goals (reference)'}; database run took ${result.seconds.toFixed(0)} s`,
  ];
  return out.join('\n');
}
