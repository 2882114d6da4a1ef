/**
 * `npm run bench:import`: a register of N rows (100,000 by default) imported through the service (read on
 * its thread, map, merge, seal, write, one transaction), beside the limits of its parts measured in the
 * same run on the same kind of database:
 *
 * - exceljs's streaming parse alone (with the options the import reads with), and the import's reader alone
 *   (parse + layout + normalisation), on the same file;
 * - the bulk insert alone: the very rows the import wrote (sealed ID numbers, phones and history, name grams,
 *   households, places), read back and written into a fresh database of the same engine, opened as the app
 *   opens it (SQLite: encrypted with the key the app derives, same pragmas, every index and foreign key in
 *   place), in one transaction, through the same multi-row insert in chunks of the import's size.
 *
 * Each engine runs in a child process of its own, so its peak RSS is the import's. Prints rows/s, CPU µs
 * per row, the ratio to the slower limit, and peak RSS; `--profile` adds where the import's own thread
 * spends its time, in µs per row.
 *
 *   npm run bench:import [-- --rows 20000] [--only sqlite|postgres] [--profile]
 *   BENCH_DATABASE_URL=postgres://user@host:5432/postgres npm run bench:import -- --only postgres
 */
import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import { findEthnicGroup } from '@shiliuzi/shared/ethnicity';
import { inTransaction, type Executor } from '../server/src/db/database.ts';
import { insertMany } from '../server/src/db/bulk-insert.ts';
import type { ResidentNameGramRow } from '../server/src/db/schema.ts';
import { cliActor } from '../server/src/lib/actor.ts';
import { keepHeapsNearLiveData } from '../server/src/lib/heap-growth.ts';
import { importRegisterFile } from '../server/src/modules/imports/import-file.ts';
import { IMPORT_CHUNK_ROWS } from '../server/src/modules/imports/import.service.ts';
import { openRegisterFile } from '../server/src/modules/imports/reading/register-file.ts';
import { createResidentFactory } from '../server/src/modules/demo/demo-data.ts';
import { orgUnitService } from '../server/src/modules/org-units/org-unit.service.ts';
import { benchDatabaseKey } from './field-keys.ts';
import { profileDuring, summarizeProfile, writeProfile } from './profile.ts';
import { openPostgresTarget, openSqliteTarget, type DialectName, type Target } from './targets.ts';

const relations = ['户主', '配偶', '子女'];

/**
 * A register as a community keeps it: title row, header, one person per row (people as the demo makes them:
 * names, ethnicities and ID numbers of the district), households of three.
 */
async function writeRegister(file: string, rows: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
  const sheet = workbook.addWorksheet('居民台账');
  sheet.addRow(['和鸣街道居民台账']).commit();
  sheet
    .addRow([
      '序号',
      '姓名',
      '民族',
      '公民身份号码',
      '联系电话',
      '所属网格',
      '现住址',
      '户主姓名',
      '与户主关系',
    ])
    .commit();
  const person = createResidentFactory(7);
  for (let i = 0; i < rows; i++) {
    const r = person('', i);
    const household = Math.floor(i / 3);
    sheet
      .addRow([
        i + 1,
        r.name,
        findEthnicGroup(r.ethnicityCode)!.name,
        r.idNumber,
        r.phone ?? '',
        `第${1 + (household % 8)}网格`,
        `羌兴苑${1 + (household % 40)}栋${1 + (household % 3)}单元${String(101 + (household % 600))}`,
        person('', household * 3).name,
        relations[i % 3],
      ])
      .commit();
  }
  sheet.commit();
  await workbook.commit();
}

/** Wall time and CPU time (all threads of this process) of one stage. */
interface Timing {
  ms: number;
  cpuMs: number;
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; timing: Timing }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { result, timing: { ms, cpuMs: (used.user + used.system) / 1000 } };
}

interface EngineResult {
  dialect: DialectName;
  origin: string;
  rows: number;
  created: number;
  rejected: number;
  e2e: Timing;
  peakRssMiB: number;
  insert: Timing & { residents: number; records: number };
  parse: Timing;
  reader: Timing;
  loadBefore: number;
  loadAfter: number;
  profile?: string;
}

/** The tables an import writes. */
type ImportTable = 'place' | 'household' | 'resident' | 'floatingResident' | 'residentNameGram' | 'changeLog';

/**
 * The rows the import wrote, read back from its database and written into `into` as the import writes
 * them: places and households (with their history) first, then per chunk of the import's size the
 * residents, their floating details, name grams in key order and history. Only the writing is timed.
 */
async function bulkInsertLimit(from: Executor, into: Executor) {
  for (const unit of await from.selectFrom('orgUnit').selectAll().orderBy('depth').execute()) {
    await into.insertInto('orgUnit').values(unit).execute();
  }
  const read = async (table: ImportTable) =>
    from.selectFrom(table).selectAll().execute() as Promise<Record<string, unknown>[]>;
  const places = await read('place');
  const households = await read('household');
  const residents = await read('resident');
  const floating = await read('floatingResident');
  const grams = await read('residentNameGram');
  const changes = await read('changeLog');
  const byResident = <T extends Record<string, unknown>>(rows: T[], key: string) => {
    const map = new Map<unknown, T[]>();
    for (const row of rows) {
      const list = map.get(row[key]);
      if (list) list.push(row);
      else map.set(row[key], [row]);
    }
    return map;
  };
  // Parents in an order their foreign keys accept (estates, buildings, entrances, dwellings).
  const placeDepth = new Map<unknown, number>();
  const placeById = new Map(places.map((p) => [p.id, p]));
  const depthOf = (place: Record<string, unknown>): number => {
    let depth = placeDepth.get(place.id);
    if (depth === undefined) {
      const parent = placeById.get(place.parentId);
      depth = parent ? depthOf(parent) + 1 : 0;
      placeDepth.set(place.id, depth);
    }
    return depth;
  };
  places.sort((a, b) => depthOf(a) - depthOf(b));
  residents.sort((a, b) => String(a.id).localeCompare(String(b.id)));
  const floatingOf = byResident(floating, 'residentId');
  const gramsOf = byResident(grams, 'residentId');
  const changesOf = byResident(changes, 'entityId');
  const residentIds = new Set(residents.map((r) => r.id));
  const parentChanges = changes.filter((c) => !residentIds.has(c.entityId));
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const byKey = (a: ResidentNameGramRow, b: ResidentNameGramRow) =>
    compare(a.gram, b.gram) ||
    compare(a.orgUnitId, b.orgUnitId) ||
    compare(a.name, b.name) ||
    compare(a.residentId, b.residentId);
  const chunks: Record<string, unknown[]>[] = [];
  for (let at = 0; at < residents.length; at += IMPORT_CHUNK_ROWS) {
    const chunk = residents.slice(at, at + IMPORT_CHUNK_ROWS);
    chunks.push({
      resident: chunk,
      floatingResident: chunk.flatMap((r) => floatingOf.get(r.id) ?? []),
      residentNameGram: (chunk.flatMap((r) => gramsOf.get(r.id) ?? []) as ResidentNameGramRow[]).sort(byKey),
      changeLog: chunk.flatMap((r) => changesOf.get(r.id) ?? []),
    });
  }
  const { timing } = await timed(() =>
    inTransaction(into, async (trx) => {
      await insertMany(trx, 'place', places as never[]);
      await insertMany(trx, 'household', households as never[]);
      await insertMany(trx, 'changeLog', parentChanges as never[]);
      for (const chunk of chunks) {
        for (const table of ['resident', 'floatingResident', 'residentNameGram', 'changeLog'] as const) {
          await insertMany(trx, table, chunk[table] as never[]);
        }
      }
    }),
  );
  const records = [places, households, residents, floating, grams, changes].reduce((n, t) => n + t.length, 0);
  return { ...timing, residents: residents.length, records };
}

async function openTarget(dialect: DialectName, name?: string): Promise<Target> {
  if (dialect === 'sqlite') return openSqliteTarget({ encryptionKey: benchDatabaseKey() });
  const target = await openPostgresTarget(process.env.BENCH_DATABASE_URL, name ? { name } : {});
  if (typeof target === 'string') throw new Error(target);
  return target;
}

const load = () => Number(execFileSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).split(' ')[0]);

/** One engine, in this (child) process: the import first (its peak RSS), then the limits. */
async function runEngine(dialect: DialectName, file: string, profile: boolean): Promise<EngineResult> {
  const loadBefore = load();
  const target = await openTarget(dialect);
  let result: Omit<EngineResult, 'insert' | 'parse' | 'reader' | 'loadAfter'>;
  let insert: EngineResult['insert'];
  try {
    const db = target.database.db;
    const district = await orgUnitService.createOrgUnit(db, cliActor, {
      code: 'BD',
      name: '测试区',
      type: 'district',
      parentId: null,
    });
    const street = await orgUnitService.createOrgUnit(db, cliActor, {
      code: 'BS',
      name: '和鸣街道',
      type: 'street',
      parentId: district.id,
    });
    const community = await orgUnitService.createOrgUnit(db, cliActor, {
      code: 'BC',
      name: '云朵社区',
      type: 'community',
      parentId: street.id,
    });
    const run = () =>
      importRegisterFile(db, cliActor, {
        filePath: file,
        orgUnitId: community.id,
        dryRun: false,
        holdInvalidIdNumbers: false,
      });
    let summary: string | undefined;
    const { result: report, timing: e2e } = await timed(async () => {
      if (!profile) return run();
      const profiled = await profileDuring(run);
      const profileFile = path.join(tmpdir(), `shiliuzi-import-${dialect}.cpuprofile`);
      writeProfile(profileFile, profiled.profile);
      summary = `  CPU profile of the import's thread: ${profileFile}\n${summarizeProfile(profiled.profile, 25, profiled.result.rows)}`;
      return profiled.result;
    });
    result = {
      dialect,
      origin: target.origin,
      rows: report.rows,
      created: report.created,
      rejected: report.rejected.length,
      e2e,
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
      loadBefore,
      ...(summary ? { profile: summary } : {}),
    };
    const limitTarget = await openTarget(dialect, `shiliuzi_bench_${process.pid}_limit`);
    try {
      insert = await bulkInsertLimit(db, limitTarget.database.db);
    } finally {
      await limitTarget.cleanup();
    }
  } finally {
    await target.cleanup();
  }

  const { timing: parse } = await timed(async () => {
    // The options the import's reader gives exceljs: styles kept (date formats), shared strings cached.
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
      worksheets: 'emit',
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
      entries: 'ignore',
    });
    let parsed = 0;
    for await (const worksheet of reader) for await (const _row of worksheet) parsed += 1;
    return parsed;
  });
  const { timing: reader } = await timed(async () => {
    let mapped = 0;
    for await (const _row of (await openRegisterFile(file)).rows) mapped += 1;
    return mapped;
  });
  return { ...result, insert, parse, reader, loadAfter: load() };
}

const rate = (rows: number, t: Timing) => Math.round((rows / t.ms) * 1000);
const perRow = (rows: number, ms: number) => `${Math.round((ms * 1000) / rows)} µs`;
const grouped = (n: number) => n.toLocaleString('en-US');

function formatEngine(r: EngineResult): string {
  const e2e = rate(r.rows, r.e2e);
  const limits = {
    'exceljs streaming parse alone': rate(r.rows, r.parse),
    'bulk insert of the same rows alone': rate(r.insert.residents, r.insert),
  };
  const limit = Math.min(...Object.values(limits));
  const line = (label: string, rows: number, t: Timing) =>
    `  ${label.padEnd(46)} ${grouped(rate(rows, t)).padStart(7)} rows/s  ` +
    `(${(t.ms / 1000).toFixed(1)} s; CPU of this process ${perRow(rows, t.cpuMs)}/row)`;
  return [
    `== import bench: ${r.dialect === 'sqlite' ? 'SQLite (encrypted as the app opens it)' : r.origin}, ` +
      `${grouped(r.rows)} rows, one community; load average ${r.loadBefore} → ${r.loadAfter} on ` +
      `${navigatorCores()} cores`,
    line('end to end (read, map, merge, seal, write)', r.rows, r.e2e) +
      `; created ${grouped(r.created)}, rejected ${r.rejected}`,
    line('exceljs streaming parse alone', r.rows, r.parse),
    line('import reader alone (parse, layout, normalise)', r.rows, r.reader),
    line('bulk insert of the same rows alone', r.insert.residents, r.insert) +
      ` — ${grouped(r.insert.records)} records, one transaction`,
    `  end to end / slower limit (${grouped(limit)} rows/s): ${((e2e / limit) * 100).toFixed(0)} % (goal ≥ 50 %); ` +
      `≥ 20,000 rows/s: ${e2e >= 20_000 ? 'yes' : 'no'}; peak RSS ${r.peakRssMiB.toFixed(0)} MiB (goal ≤ 400 MiB)`,
    ...(r.profile ? [r.profile] : []),
  ].join('\n');
}

function navigatorCores(): number {
  return Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
}

export async function runImportBench(options: {
  rows: number;
  only?: DialectName;
  profile?: boolean;
}): Promise<EngineResult[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'shiliuzi-bench-import-'));
  const file = path.join(dir, 'register.xlsx');
  let cluster: Target | undefined;
  try {
    // Written by a process of its own, so that no engine's peak RSS includes it.
    execFileSync(
      process.execPath,
      [...process.execArgv, import.meta.filename, '--write', file, '--rows', String(options.rows)],
      { stdio: 'inherit' },
    );
    const results: EngineResult[] = [];
    for (const dialect of ['sqlite', 'postgres'] as const) {
      if (options.only && options.only !== dialect) continue;
      const env = { ...process.env };
      if (dialect === 'postgres' && !env.BENCH_DATABASE_URL) {
        // One throwaway cluster for the child's two databases.
        const opened = await openPostgresTarget(undefined, { name: 'shiliuzi_bench_cluster' });
        if (typeof opened === 'string') {
          console.log(`== import bench: PostgreSQL skipped (${opened})`);
          continue;
        }
        cluster = opened;
        const url = new URL(opened.location.dialect === 'postgres' ? opened.location.url : '');
        url.pathname = '/postgres';
        env.BENCH_DATABASE_URL = url.toString();
      }
      const result = await new Promise<EngineResult>((resolve, reject) => {
        const child = fork(
          import.meta.filename,
          ['--engine', dialect, '--file', file, ...(options.profile ? ['--profile'] : [])],
          { env },
        );
        child.once('message', (message: { ok: boolean; result?: EngineResult; error?: string }) =>
          message.ok ? resolve(message.result!) : reject(new Error(message.error)),
        );
        child.once('exit', (code) => reject(new Error(`the ${dialect} run exited with ${code}`)));
      });
      console.log(`\n${formatEngine(result)}`);
      results.push(result);
      await cluster?.cleanup();
      cluster = undefined;
    }
    return results;
  } finally {
    await cluster?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === import.meta.filename) {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '100000' },
      only: { type: 'string' },
      profile: { type: 'boolean', default: false },
      // Internal: write the register; run one engine in this child process.
      write: { type: 'string' },
      engine: { type: 'string' },
      file: { type: 'string' },
    },
  });
  const rows = Number(values.rows.replace(/[_,]/g, ''));
  if (values.write) await writeRegister(values.write, rows);
  else if (values.engine) {
    // As the `import` command runs it.
    keepHeapsNearLiveData();
    try {
      const result = await runEngine(values.engine as DialectName, values.file!, values.profile);
      process.send!({ ok: true, result }, () => process.exit(0));
    } catch (error) {
      process.send!({ ok: false, error: String((error as Error).stack ?? error) }, () => process.exit(1));
    }
  } else {
    if (values.only !== undefined && values.only !== 'sqlite' && values.only !== 'postgres') {
      throw new Error('--only must be sqlite or postgres');
    }
    await runImportBench({ rows, ...(values.only ? { only: values.only } : {}), profile: values.profile });
  }
}
