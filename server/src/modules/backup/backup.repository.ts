import type SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import type pg from 'pg';

// The backup module's only SQL. It works on driver connections of its own (not the app's Kysely
// instance): VACUUM INTO, an exported snapshot and a server-side cursor are below the query builder.

/** A table as the manifest sees it: its name and how to read its rows in a stable order. */
export interface TableToRead {
  /** The name the manifest shows (`schema.table` outside PostgreSQL's `public`). */
  name: string;
  /** Quoted, ready to use in FROM. */
  from: string;
  /** ORDER BY expressions: the primary key, else every column. */
  orderBy: string[];
}

/** Receives one row, encoded as text that differs whenever the row differs. */
export type RowSink = (encoded: string) => void;

const quote = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

// ---------- SQLite ----------

/** Copies the database into `file` (empty or missing) as one consistent snapshot; writers carry on meanwhile. */
function vacuumInto(sqlite: SqliteDatabase.Database, file: string): void {
  sqlite.prepare('vacuum into ?').run(file);
}

/**
 * Brings the audit trail, which a live embedded database keeps in a file of its own, into a copy's
 * main file with its indexes and triggers, as the migrations lay it out: a backup is one file, and
 * the first start after a restore moves the trail into its own file again (db/audit-file.ts). The
 * trail is read in one transaction (a consistent snapshot while the server appends to it). Nothing
 * is done when the copy holds the tables already (a database whose trail was never moved).
 */
function copyAuditTrailInto(
  copy: SqliteDatabase.Database,
  auditFile: string,
  /** The audit file's key as ATTACH takes it (`rawSqliteKey`); none for a plain file. */
  key: string | undefined,
): void {
  const present = copy
    .prepare(`select 1 from sqlite_schema where type = 'table' and name = 'audit_log'`)
    .get();
  if (present) return;
  const attach = copy.prepare(`attach database ? as live_audit${key ? ' key ?' : ''}`);
  if (key) attach.run(auditFile, key);
  else attach.run(auditFile);
  try {
    copy.transaction(() => {
      const objects = copy
        .prepare(
          `select type, name, sql from live_audit.sqlite_schema
           where sql is not null and name not like 'sqlite\\_%' escape '\\'`,
        )
        .all() as { type: string; name: string; sql: string }[];
      const tables = objects.filter((o) => o.type === 'table');
      for (const table of tables) {
        copy.exec(table.sql);
        copy.exec(`insert into main.${quote(table.name)} select * from live_audit.${quote(table.name)}`);
      }
      for (const other of objects.filter((o) => o.type !== 'table')) copy.exec(other.sql);
    })();
  } finally {
    copy.exec('detach database live_audit');
  }
}

/** Makes a copy self-contained (no -wal file beside it). */
function useRollbackJournal(sqlite: SqliteDatabase.Database): void {
  sqlite.pragma('journal_mode = delete');
}

/** `PRAGMA integrity_check`: an empty list when the file is sound, else what SQLite found. */
function checkSqliteIntegrity(sqlite: SqliteDatabase.Database): string[] {
  const lines = sqlite.prepare('pragma integrity_check').pluck().all() as string[];
  return lines.length === 1 && lines[0] === 'ok' ? [] : lines;
}

function listSqliteTables(sqlite: SqliteDatabase.Database): TableToRead[] {
  const names = sqlite
    .prepare(
      `select name from sqlite_schema where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name`,
    )
    .pluck()
    .all() as string[];
  return names.map((name) => {
    const columns = sqlite.prepare('select name, pk from pragma_table_info(?) order by cid').all(name) as {
      name: string;
      pk: number;
    }[];
    const key = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
    return { name, from: quote(name), orderBy: (key.length > 0 ? key : columns).map((c) => quote(c.name)) };
  });
}

/** Reads every row in order; integers stay exact (bigint) and are told apart from reals. Answers the row count. */
function readSqliteRows(sqlite: SqliteDatabase.Database, table: TableToRead, onRow: RowSink): number {
  const statement = sqlite
    .prepare(`select * from ${table.from} order by ${table.orderBy.join(', ')}`)
    .raw(true)
    .safeIntegers(true);
  let rows = 0;
  for (const row of statement.iterate() as IterableIterator<unknown[]>) {
    let encoded = '';
    for (const value of row) {
      if (value === null) encoded += 'n;';
      else if (typeof value === 'bigint') encoded += `i${value};`;
      else if (typeof value === 'number') encoded += `r${value};`;
      else if (typeof value === 'string') encoded += `t${value.length}:${value};`;
      else encoded += `b${(value as Buffer).toString('hex')};`;
    }
    onRow(`${encoded}\n`);
    rows++;
  }
  return rows;
}

function findSqliteSchemaVersion(sqlite: SqliteDatabase.Database): string | null {
  const exists = sqlite
    .prepare(`select 1 from sqlite_schema where type = 'table' and name = 'kysely_migration'`)
    .get();
  if (!exists) return null;
  return (
    (sqlite.prepare('select name from kysely_migration order by name desc limit 1').pluck().get() as
      string | undefined) ?? null
  );
}

// ---------- PostgreSQL ----------

// Row text depends on these session settings; both the backup and the check after a restore fix them.
const STABLE_OUTPUT = [
  "set local timezone = 'UTC'",
  "set local datestyle = 'ISO, YMD'",
  "set local intervalstyle = 'postgres'",
  'set local extra_float_digits = 1',
  "set local bytea_output = 'hex'",
  // Every row of every org unit: the system's view through row-level security (db/row-security.ts).
  "set local shiliuzi.system = 'on'",
].join('; ');

/**
 * Begins a read-only REPEATABLE READ transaction and exports its snapshot, for `pg_dump --snapshot`:
 * the dump and the manifest then see exactly the same rows. End it with `endReadTransaction`.
 */
async function beginExportedSnapshot(client: pg.Client): Promise<string> {
  await client.query('begin transaction isolation level repeatable read, read only');
  await client.query(STABLE_OUTPUT);
  const { rows } = await client.query<{ id: string }>('select pg_export_snapshot() as id');
  return rows[0]!.id;
}

/** Begins a read-only REPEATABLE READ transaction (one consistent view for a whole manifest). */
async function beginReadTransaction(client: pg.Client): Promise<void> {
  await client.query('begin transaction isolation level repeatable read, read only');
  await client.query(STABLE_OUTPUT);
}

async function endReadTransaction(client: pg.Client): Promise<void> {
  await client.query('rollback');
}

async function listPostgresTables(client: pg.Client): Promise<TableToRead[]> {
  // Text key columns are ordered by "C" so that the order does not depend on the database's collation.
  const { rows } = await client.query<{ schema: string; name: string; key: string[] | null }>(`
    select n.nspname::text as schema, c.relname::text as name,
      (select array_agg(quote_ident(a.attname) || case when a.attcollation <> 0 then ' collate "C"' else '' end
                        order by array_position(i.indkey::int2[], a.attnum))
         from pg_index i
         join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
        where i.indrelid = c.oid and i.indisprimary) as key
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    where c.relkind = 'r' and n.nspname <> 'information_schema' and n.nspname not like 'pg\\_%'
    order by 1, 2`);
  return rows.map((r) => ({
    name: r.schema === 'public' ? r.name : `${r.schema}.${r.name}`,
    from: `${quote(r.schema)}.${quote(r.name)}`,
    orderBy: r.key ?? ['(t::text) collate "C"'],
  }));
}

/** Reads every row in order through a cursor, as PostgreSQL's row text. Answers the row count. */
async function readPostgresRows(client: pg.Client, table: TableToRead, onRow: RowSink): Promise<number> {
  await client.query(
    `declare backup_rows no scroll cursor for select t::text from ${table.from} as t order by ${table.orderBy.join(', ')}`,
  );
  let rows = 0;
  for (;;) {
    const batch = await client.query<[string]>({ text: 'fetch 5000 from backup_rows', rowMode: 'array' });
    for (const [text] of batch.rows) onRow(`${text}\n`);
    rows += batch.rows.length;
    if (batch.rows.length < 5000) break;
  }
  await client.query('close backup_rows');
  return rows;
}

async function findPostgresSchemaVersion(client: pg.Client): Promise<string | null> {
  const { rows } = await client.query<{ name: string | null }>(
    `select case when to_regclass('kysely_migration') is null then null
       else (select name from kysely_migration order by name desc limit 1) end as name`,
  );
  return rows[0]?.name ?? null;
}

/** Whether the database holds no tables, views, sequences or functions of its own (a restore target). */
async function isPostgresDatabaseEmpty(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ n: number }>(`
    select (select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
             where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
               and n.nspname <> 'information_schema' and n.nspname not like 'pg\\_%')
         + (select count(*) from pg_proc p join pg_namespace n on n.oid = p.pronamespace
             where n.nspname <> 'information_schema' and n.nspname not like 'pg\\_%') as n`);
  return Number(rows[0]!.n) === 0;
}

export const backupRepository = Object.freeze({
  copyAuditTrailInto,
  vacuumInto,
  useRollbackJournal,
  checkSqliteIntegrity,
  listSqliteTables,
  readSqliteRows,
  findSqliteSchemaVersion,
  beginExportedSnapshot,
  beginReadTransaction,
  endReadTransaction,
  listPostgresTables,
  readPostgresRows,
  findPostgresSchemaVersion,
  isPostgresDatabaseEmpty,
});
