/**
 * Bulk seeding of residents for the benchmark, run in a child process so that its memory does not
 * count in the server's peak RSS. Rows come from the demo resident factory; resident i lives in
 * grid i mod (number of grids), so every grid's residents are spread over the whole table as if
 * registered over time. The app's services would take hours for a million rows: this writes the
 * same rows (resident, floating_resident, resident_name_gram) with multi-row SQL instead.
 */
import { randomFillSync } from 'node:crypto';
import type SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { maskPhone } from '@shiliuzi/shared/masking';
import { idNumberIndex, phoneIndex, seal } from '../server/src/lib/field-crypto.ts';
import { createResidentFactory } from '../server/src/modules/demo/demo-data.ts';
import { installBenchFieldKeys } from './field-keys.ts';
import { openBenchSqlite, type SqliteLocation } from './sqlite-file.ts';
import { nameGrams } from '../server/src/modules/residents/resident.repository.ts';

export interface SeedJob {
  target: SqliteLocation | { dialect: 'postgres'; url: string };
  rows: number;
  seed: number;
  grids: { id: string; streetId: string }[];
  /** The run's master key (base64), for a seeder in a child process: ID numbers and phones are sealed. */
  masterKey?: string;
}

export interface SeedResult {
  residents: number;
  grams: number;
  floating: number;
  insertMs: number;
  analyzeMs: number;
  maxRssKiB: number;
}

/** Resident columns written by the seeder; the others (household, dwelling, note …) stay NULL. */
const residentColumns = [
  'id',
  'org_unit_id',
  'street_id',
  'name',
  'gender',
  'ethnicity_code',
  'id_number',
  'id_number_hash',
  'birth_date',
  'origin_region_code',
  'phone',
  'phone_hash',
  'phone_masked',
  'residence_type',
  'is_hardship',
  'is_minimum_living_allowance',
  'is_disabled',
  'is_elderly_alone',
  'is_party_member',
  'is_volunteer',
  'languages',
  'moved_in_on',
  'version',
  'created_at',
  'updated_at',
] as const;
const residentPgTypes = [
  'uuid',
  'uuid',
  'uuid',
  'text',
  'text',
  'text',
  'text',
  'text',
  'date',
  'text',
  'text',
  'text',
  'text',
  'text',
  'boolean',
  'boolean',
  'boolean',
  'boolean',
  'boolean',
  'boolean',
  'text',
  'date',
  'integer',
  'timestamptz',
  'timestamptz',
];
const gramColumns = ['gram', 'org_unit_id', 'name', 'resident_id'] as const;
const gramPgTypes = ['text', 'uuid', 'text', 'uuid'];
const floatingColumns = ['resident_id', 'arrival_date', 'reason', 'expected_stay_months'] as const;
const floatingPgTypes = ['uuid', 'date', 'text', 'integer'];

type Value = string | number | boolean | null;

interface Batch {
  residents: Value[][];
  grams: Value[][];
  floating: Value[][];
}

/** Makes residents [start, end) as rows; booleans as 0/1 (SQLite) or true/false (PostgreSQL). */
function batchMaker(job: SeedJob) {
  const factory = createResidentFactory(job.seed);
  const now = new Date().toISOString();
  const asBool =
    job.target.dialect === 'sqlite' ? (b: boolean | undefined) => (b ? 1 : 0) : (b?: boolean) => !!b;
  // UUID v7 as server/src/lib/ids.ts makes them, with the random bytes drawn once per batch
  // (one getrandom call per id costs more than the rest of the id) and a running sequence.
  let seq = 0;
  return (start: number, end: number): Batch => {
    const batch: Batch = { residents: [], grams: [], floating: [] };
    const random = randomFillSync(new Uint8Array(16 * (end - start)));
    const msecs = Date.now();
    for (let i = start; i < end; i++) {
      const grid = job.grids[i % job.grids.length]!;
      const r = factory('', i);
      const at = 16 * (i - start);
      const id = uuidv7({ random: random.subarray(at, at + 16), msecs, seq: seq++ });
      const birthDate = `${r.idNumber.slice(6, 10)}-${r.idNumber.slice(10, 12)}-${r.idNumber.slice(12, 14)}`;
      batch.residents.push([
        id,
        grid.id,
        grid.streetId,
        r.name,
        r.gender,
        r.ethnicityCode,
        seal('resident.id_number', id, r.idNumber),
        idNumberIndex(r.idNumber),
        birthDate,
        r.originRegionCode,
        r.phone === null ? null : seal('resident.phone', id, r.phone),
        r.phone === null ? null : phoneIndex(r.phone),
        r.phone === null ? null : maskPhone(r.phone),
        r.residenceType,
        asBool(r.flags.hardship),
        asBool(r.flags.minimumLivingAllowance),
        asBool(r.flags.disabled),
        asBool(r.flags.elderlyAlone),
        asBool(r.flags.partyMember),
        asBool(r.flags.volunteer),
        JSON.stringify(r.languages),
        r.movedInOn,
        1,
        now,
        now,
      ]);
      for (const gram of nameGrams(r.name)) batch.grams.push([gram, grid.id, r.name, id]);
      if (r.floating) {
        batch.floating.push([id, r.floating.arrivalDate, r.floating.reason, r.floating.expectedStayMonths]);
      }
    }
    return batch;
  };
}

const RESIDENTS_PER_BATCH = 10_000;

async function seedSqlite(job: SeedJob, location: SqliteLocation): Promise<SeedResult> {
  const db = openBenchSqlite(location);
  // The seeder's own connection: no fsync, a large cache, and no foreign-key checks while loading
  // (rows are valid by construction; better-sqlite3 turns the checks on by default).
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1048576');
  db.pragma('temp_store = MEMORY');
  db.pragma('foreign_keys = OFF');
  const statements = new Map<string, SqliteDatabase.Statement>();
  const insertMany = (
    table: string,
    columns: readonly string[],
    rows: Value[][],
    rowsPerStatement: number,
  ) => {
    for (let at = 0; at < rows.length; at += rowsPerStatement) {
      const chunk = rows.slice(at, at + rowsPerStatement);
      const key = `${table}:${chunk.length}`;
      let statement = statements.get(key);
      if (!statement) {
        const tuple = `(${columns.map(() => '?').join(',')})`;
        statement = db.prepare(
          `insert into ${table} (${columns.join(',')}) values ${Array(chunk.length).fill(tuple).join(',')}`,
        );
        statements.set(key, statement);
      }
      statement.run(chunk.flat());
    }
  };
  const makeBatch = batchMaker(job);
  const result = { residents: 0, grams: 0, floating: 0 };
  const started = performance.now();

  // Load as a restore does: secondary indexes are dropped and rebuilt afterwards (a sort instead of
  // random B-tree inserts), and the name grams go through a staging table so that the clustered
  // gram table is written in key order. The schema ends up exactly as the migration made it.
  const schemaBefore = db.prepare('select type, name, sql from sqlite_master order by name').all();
  const indexes = db
    .prepare<[], { name: string; sql: string }>(
      `select name, sql from sqlite_master where type = 'index' and sql is not null
         and tbl_name in ('resident', 'resident_name_gram')`,
    )
    .all();
  for (const index of indexes) db.exec(`drop index ${index.name}`);
  db.exec(`create temp table gram_stage (${gramColumns.join(', ')})`);

  // Five batches (50,000 residents) per transaction.
  const writeBatches = db.transaction((batches: Batch[]) => {
    for (const batch of batches) {
      insertMany('resident', residentColumns, batch.residents, 400);
      insertMany('floating_resident', floatingColumns, batch.floating, 2000);
      insertMany('temp.gram_stage', gramColumns, batch.grams, 2000);
      result.residents += batch.residents.length;
      result.grams += batch.grams.length;
      result.floating += batch.floating.length;
    }
  });
  for (let start = 0; start < job.rows;) {
    const batches: Batch[] = [];
    for (let k = 0; k < 5 && start < job.rows; k++) {
      const end = Math.min(job.rows, start + RESIDENTS_PER_BATCH);
      batches.push(makeBatch(start, end));
      start = end;
    }
    writeBatches(batches);
  }
  db.transaction(() => {
    db.exec(
      `insert into resident_name_gram (${gramColumns.join(', ')})
         select ${gramColumns.join(', ')} from temp.gram_stage order by ${gramColumns.join(', ')}`,
    );
    db.exec('drop table temp.gram_stage');
    for (const index of indexes) db.exec(index.sql);
  })();
  const schemaAfter = db.prepare('select type, name, sql from sqlite_master order by name').all();
  if (JSON.stringify(schemaAfter) !== JSON.stringify(schemaBefore)) {
    throw new Error('schema changed while seeding');
  }
  const insertMs = performance.now() - started;

  const analyzeStarted = performance.now();
  db.exec('analyze');
  db.pragma('wal_checkpoint(TRUNCATE)');
  const analyzeMs = performance.now() - analyzeStarted;
  db.close();
  return { ...result, insertMs, analyzeMs, maxRssKiB: process.resourceUsage().maxRSS };
}

function unnestInsert(table: string, columns: readonly string[], types: readonly string[]): string {
  const args = types.map((type, k) => `$${k + 1}::${type}[]`).join(', ');
  return `insert into ${table} (${columns.join(', ')}) select * from unnest(${args})`;
}

function toColumns(rows: Value[][], width: number): Value[][] {
  const columns: Value[][] = Array.from({ length: width }, () => new Array<Value>(rows.length));
  rows.forEach((row, r) => row.forEach((value, c) => (columns[c]![r] = value)));
  return columns;
}

/** Secondary indexes and constraints of the loaded tables, with the SQL that recreates them. */
async function droppableSchema(client: pg.Client) {
  const tables = ['resident', 'floating_resident', 'resident_name_gram'];
  // Foreign keys of the loaded tables and the gram table's primary key (its index is the biggest).
  const constraints = await client.query<{ tableName: string; name: string; definition: string }>(
    `select conrelid::regclass::text as "tableName", conname as name, pg_get_constraintdef(oid) as definition
       from pg_constraint
      where conrelid = any($1::regclass[])
        and (contype = 'f' or (contype = 'p' and conrelid = 'resident_name_gram'::regclass))
      order by contype desc, conname`,
    [tables],
  );
  const indexes = await client.query<{ name: string; definition: string }>(
    `select indexname as name, indexdef as definition from pg_indexes
      where schemaname = current_schema() and tablename = any($1)
        and indexname not in (select conname from pg_constraint where contype in ('p', 'u'))
      order by indexname`,
    [tables],
  );
  return { constraints: constraints.rows, indexes: indexes.rows };
}

async function seedPostgres(job: SeedJob, url: string): Promise<SeedResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('set synchronous_commit = off');
  await client.query(`set maintenance_work_mem = '1GB'`);
  const insertResidents = unnestInsert('resident', residentColumns, residentPgTypes);
  const insertFloating = unnestInsert('floating_resident', floatingColumns, floatingPgTypes);
  const insertGrams = unnestInsert('resident_name_gram', gramColumns, gramPgTypes);
  const makeBatch = batchMaker(job);
  const result = { residents: 0, grams: 0, floating: 0 };
  const started = performance.now();

  // Load as pg_restore does: data first, then indexes, primary key and foreign keys (built by
  // sorting and validated in one pass instead of row by row). The schema ends up as migrated.
  const schemaBefore = await droppableSchema(client);
  for (const c of schemaBefore.constraints) {
    await client.query(`alter table ${c.tableName} drop constraint ${c.name}`);
  }
  for (const index of schemaBefore.indexes) await client.query(`drop index ${index.name}`);

  // Two connections (residents, grams) so that the server uses both cores; the next batch is
  // generated while the server writes the previous one.
  const gramClient = new pg.Client({ connectionString: url });
  await gramClient.connect();
  await gramClient.query('set synchronous_commit = off');
  let pending: Promise<unknown> = Promise.resolve();
  for (let start = 0; start < job.rows; start += RESIDENTS_PER_BATCH) {
    const batch = makeBatch(start, Math.min(job.rows, start + RESIDENTS_PER_BATCH));
    const residents = toColumns(batch.residents, residentColumns.length);
    const floating = toColumns(batch.floating, floatingColumns.length);
    const grams = toColumns(batch.grams, gramColumns.length);
    await pending;
    pending = Promise.all([
      client.query(insertResidents, residents).then(() => client.query(insertFloating, floating)),
      gramClient.query(insertGrams, grams),
    ]);
    result.residents += batch.residents.length;
    result.grams += batch.grams.length;
    result.floating += batch.floating.length;
  }
  await pending;
  await gramClient.end();
  for (const index of schemaBefore.indexes) await client.query(index.definition);
  for (const c of schemaBefore.constraints) {
    await client.query(`alter table ${c.tableName} add constraint ${c.name} ${c.definition}`);
  }
  const schemaAfter = await droppableSchema(client);
  if (JSON.stringify(schemaAfter) !== JSON.stringify(schemaBefore)) {
    throw new Error('schema changed while seeding');
  }
  const insertMs = performance.now() - started;
  const analyzeStarted = performance.now();
  // VACUUM as well: it sets the visibility map, as autovacuum would have long done on a live system,
  // so index-only scans (the counts) work as they would in production.
  await client.query('vacuum (analyze)');
  const analyzeMs = performance.now() - analyzeStarted;
  await client.end();
  return { ...result, insertMs, analyzeMs, maxRssKiB: process.resourceUsage().maxRSS };
}

export async function seedResidents(job: SeedJob): Promise<SeedResult> {
  if (job.masterKey) installBenchFieldKeys(job.masterKey);
  return job.target.dialect === 'sqlite' ? seedSqlite(job, job.target) : seedPostgres(job, job.target.url);
}

// Entry point as a forked child: one job in, one result out.
if (process.send && process.argv.includes('--seed-child')) {
  process.once('message', (job: SeedJob) => {
    seedResidents(job).then(
      (result) => process.send!({ ok: true, result }, () => process.exit(0)),
      (error: unknown) =>
        process.send!({ ok: false, error: String((error as Error).stack ?? error) }, () => process.exit(1)),
    );
  });
}
