/**
 * Export benchmark: the 全部居民台账 of a street of 100,000 residents on SQLite, written as .xlsx
 * and .csv through the export service (keyset pages of 1,000, exceljs's streaming writer), beside
 * the same rows written by exceljs alone with its defaults (the plain-library limit).
 *
 *   TZ=Asia/Shanghai node --import tsx bench/export.bench.ts [--rows N]
 *
 * The street has 8 communities of 10 grids; residents come from the demo factory (as the registry
 * and report benchmarks seed them) and live three to a household, each household in a dwelling of
 * its own under estate > building > entrance, so that every row joins its household head and the
 * places above its dwelling. Each run is a child process of its own that opens the database and
 * writes the file to a null sink that counts bytes, so that its peak RSS
 * (sampled every 10 ms, beside the RSS it started from) and the event loop's stalls are that
 * export's alone. The writer-alone runs take the same cells, read back from a CSV export, from
 * memory (their RSS includes those rows).
 * Everything lives in a temp directory removed at the end.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { openDatabase } from '../server/src/db/database.ts';
import { cliActor } from '../server/src/lib/actor.ts';
import { exportService, type ExportFormat } from '../server/src/modules/exports/exports.service.ts';
import { registerColumns, type Cell } from '../server/src/modules/exports/register-layouts.ts';
import { writeXlsx } from '../server/src/modules/exports/register-writers.ts';
import { seedResidents } from './seed-residents.ts';
import { addHouseholdsAndPlaces, createStreet, type PlaceNames } from './street.ts';
import { benchMasterKey, installBenchFieldKeys } from './field-keys.ts';
import { openSqliteTarget } from './targets.ts';

export interface ExportBenchOptions {
  /** Residents of the street (default 100,000). */
  rows?: number;
  /** Progress lines (default: stderr). */
  log?: (message: string) => void;
}

export interface ExportRun {
  label: string;
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSecond: number;
  /** Highest RSS sampled during the run, and the RSS just before it (MiB). */
  peakRssMiB: number;
  startRssMiB: number;
  /** Longest stall of the event loop during the run, and its 99th percentile (ms). */
  maxEventLoopDelayMs: number;
  p99EventLoopDelayMs: number;
}

export interface ExportBenchResult {
  rows: number;
  grids: number;
  households: number;
  setupSeconds: number;
  xlsx: ExportRun;
  csv: ExportRun;
  /** The service's .xlsx writer fed from memory: the export without the database. */
  writerXlsx: ExportRun;
  plainXlsx: ExportRun;
  /** Service .xlsx time / exceljs-alone time. */
  xlsxRatio: number;
}

const SEED = 20261129;
const COMMUNITIES = 8;
const GRIDS_PER_COMMUNITY = 10;
const MiB = 1024 * 1024;

const PLACE_NAMES: PlaceNames = {
  estate: (grid) => `${grid.name}小区`,
  building: (_grid, b) => `${b + 1}栋`,
  entrance: (_grid, _b, e) => `${e + 1}单元`,
  dwelling: (_grid, k) => `${(k % 12) + 101}`,
};

/** A sink that counts what it is given. */
function nullSink(): Writable & { bytes: number } {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      sink.bytes += chunk.length;
      callback();
    },
  }) as Writable & { bytes: number };
  sink.bytes = 0;
  return sink;
}

/** What one child process runs: an export through the service, or a writer fed from memory. */
interface ExportJob {
  kind: 'xlsx' | 'csv' | 'writer' | 'plain';
  dataDir: string;
  /** The run's database key (hex) and master key (base64): the child opens the file and the fields as the parent. */
  databaseKey: string;
  masterKey: string;
  streetId: string;
}

interface ChildResult {
  rows: number;
  bytes: number;
  seconds: number;
  /** RSS with the modules loaded and the database open, before the run. */
  startRss: number;
  peakRss: number;
  maxEventLoopDelayMs: number;
  p99EventLoopDelayMs: number;
}

const labels: Record<ExportJob['kind'], string> = {
  xlsx: 'service .xlsx (styled, cells as text)',
  csv: 'service .csv',
  writer: 'service writer alone (rows from memory)',
  plain: 'exceljs alone (defaults, rows from memory)',
};

async function* fromMemory(rows: Cell[][]): AsyncGenerator<Cell[]> {
  yield* rows;
}

/** Writes rows with exceljs's streaming writer and its defaults: the plain-library limit. */
async function writePlainXlsx(sink: Writable, header: Cell[], rows: Cell[][]) {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink });
  const sheet = workbook.addWorksheet('sheet');
  sheet.addRow(['title']).commit();
  sheet.addRow(header).commit();
  for (const row of rows) sheet.addRow(row).commit();
  sheet.commit();
  await workbook.commit();
  await finished(sink, { readable: false });
  return rows.length;
}

/** Runs one job in this (child) process: RSS and event-loop delay are this export's alone. */
async function runExportJob(job: ExportJob): Promise<ChildResult> {
  installBenchFieldKeys(job.masterKey);
  const database = openDatabase({
    dataDir: job.dataDir,
    databaseUrl: undefined,
    encryptionKey: job.databaseKey,
  });
  try {
    const exportAs = async (format: ExportFormat, sink: Writable) => {
      const file = await exportService.prepareRegisterExport(database.db, cliActor, {
        register: 'residents',
        orgUnitId: job.streetId,
        format,
        reveal: true,
      });
      return file.writeTo(sink);
    };
    let work: (sink: Writable) => Promise<number>;
    if (job.kind === 'xlsx' || job.kind === 'csv') {
      const format = job.kind;
      work = (sink) => exportAs(format, sink);
    } else {
      // The same cells as the export, read back from a CSV export of it.
      const chunks: Buffer[] = [];
      await exportAs(
        'csv',
        new Writable({
          write(chunk: Buffer, _encoding, callback) {
            chunks.push(chunk);
            callback();
          },
        }),
      );
      const [header, ...rows] = (
        parseCsv(Buffer.concat(chunks).toString('utf8'), { bom: true }) as string[][]
      ).map((record) => record.map((field, i): Cell => (i === 0 ? Number(field) : field || null)));
      chunks.length = 0;
      const layout = { title: 'title', sheetName: 'sheet', columns: registerColumns.residents };
      work =
        job.kind === 'writer'
          ? (sink) => writeXlsx(sink, layout, fromMemory(rows), 'bench')
          : (sink) => writePlainXlsx(sink, header!, rows);
    }
    globalThis.gc?.();
    const startRss = process.memoryUsage().rss;
    let peakRss = startRss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 10);
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const sink = nullSink();
    const started = performance.now();
    const rows = await work(sink);
    const seconds = (performance.now() - started) / 1000;
    loop.disable();
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    return {
      rows,
      bytes: sink.bytes,
      seconds,
      startRss,
      peakRss,
      maxEventLoopDelayMs: loop.max / 1e6,
      p99EventLoopDelayMs: loop.percentile(99) / 1e6,
    };
  } finally {
    await database.destroy();
  }
}

/** Runs a job in a child process of its own. */
async function runInChild(job: ExportJob): Promise<ExportRun> {
  const child = fork(fileURLToPath(import.meta.url), ['--export-child'], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const answer = await new Promise<{ ok: true; result: ChildResult } | { ok: false; error: string }>(
    (resolve, reject) => {
      child.once('message', (message) => resolve(message as never));
      child.once('exit', (code) => reject(new Error(`export child exited with ${code}`)));
      child.send(job);
    },
  );
  if (!answer.ok) throw new Error(answer.error);
  const r = answer.result;
  return {
    label: labels[job.kind],
    rows: r.rows,
    bytes: r.bytes,
    seconds: r.seconds,
    rowsPerSecond: r.rows / r.seconds,
    peakRssMiB: r.peakRss / MiB,
    startRssMiB: r.startRss / MiB,
    maxEventLoopDelayMs: r.maxEventLoopDelayMs,
    p99EventLoopDelayMs: r.p99EventLoopDelayMs,
  };
}

/** Builds the street, exports its resident register as .xlsx and .csv, and cleans up. */
export async function runExportBench(options: ExportBenchOptions = {}): Promise<ExportBenchResult> {
  const rows = options.rows ?? 100_000;
  const log = options.log ?? ((message: string) => process.stderr.write(`[export bench] ${message}\n`));
  const target = await openSqliteTarget();
  if (target.location.dialect !== 'sqlite') throw new Error('the export bench runs on SQLite');
  try {
    const setupStarted = performance.now();
    const { street, grids } = await createStreet(target.database, {
      code: 'EB',
      districtName: '导出基准区',
      streetName: '导出基准街道',
      communities: COMMUNITIES,
      gridsPerCommunity: GRIDS_PER_COMMUNITY,
    });
    log(`seeding ${rows.toLocaleString('en-US')} residents into ${grids.length} grids…`);
    await seedResidents({
      target: target.location,
      rows,
      seed: SEED,
      grids: grids.map((g) => ({ id: g.id, streetId: g.streetId! })),
    });
    const { households } = addHouseholdsAndPlaces(target.location, { street, grids }, PLACE_NAMES);
    const setupSeconds = (performance.now() - setupStarted) / 1000;
    log(`street ready in ${setupSeconds.toFixed(1)} s: ${households.toLocaleString('en-US')} households`);

    const dataDir = path.dirname(target.location.file);
    const databaseKey = target.location.key;
    const run = (kind: ExportJob['kind']) => {
      log(`${labels[kind]}…`);
      return runInChild({
        kind,
        dataDir,
        databaseKey,
        masterKey: benchMasterKey,
        streetId: street.id,
      });
    };
    const xlsx = await run('xlsx');
    const csv = await run('csv');
    const writerXlsx = await run('writer');
    const plainXlsx = await run('plain');
    for (const r of [xlsx, csv, writerXlsx, plainXlsx]) {
      if (r.rows !== rows) throw new Error(`${r.label}: expected ${rows} rows, wrote ${r.rows}`);
    }
    return {
      rows,
      grids: grids.length,
      households,
      setupSeconds,
      xlsx,
      csv,
      writerXlsx,
      plainXlsx,
      xlsxRatio: xlsx.seconds / plainXlsx.seconds,
    };
  } finally {
    await target.cleanup();
  }
}

export function formatExportBench(r: ExportBenchResult): string {
  const line = (run: ExportRun) =>
    `${run.label.padEnd(46)}${run.seconds.toFixed(2).padStart(8)} s${Math.round(run.rowsPerSecond)
      .toLocaleString('en-US')
      .padStart(10)} rows/s${(run.bytes / MiB).toFixed(1).padStart(8)} MiB` +
    `${run.peakRssMiB.toFixed(0).padStart(7)} MiB peak RSS (from ${run.startRssMiB.toFixed(0)})` +
    `, loop stalls p99 ${run.p99EventLoopDelayMs.toFixed(0)} ms, max ${run.maxEventLoopDelayMs.toFixed(0)} ms`;
  return [
    `Export benchmark — SQLite, 全部居民台账 of one street of ${r.rows.toLocaleString('en-US')} residents ` +
      `(${r.grids} grids, ${r.households.toLocaleString('en-US')} households); set up in ${r.setupSeconds.toFixed(1)} s`,
    line(r.xlsx),
    line(r.csv),
    line(r.writerXlsx),
    line(r.plainXlsx),
    `service .xlsx / exceljs alone: ${r.xlsxRatio.toFixed(2)}×`,
  ].join('\n');
}

const isMain =
  process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (process.send && process.argv.includes('--export-child')) {
  process.once('message', (job: ExportJob) => {
    runExportJob(job).then(
      (result) => process.send!({ ok: true, result }, () => process.exit(0)),
      (error: unknown) =>
        process.send!({ ok: false, error: String((error as Error).stack ?? error) }, () => process.exit(1)),
    );
  });
} else if (isMain) {
  const { values } = parseArgs({ options: { rows: { type: 'string' } } });
  const result = await runExportBench({
    rows: values.rows ? Number(values.rows.replace(/[_,]/g, '')) : undefined,
  });
  console.log(formatExportBench(result));
}
