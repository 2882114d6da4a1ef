import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
  type MigrationResultSet,
  type SqliteDatabase as SqliteDialectDatabase,
  type SqliteStatement as SqliteDialectStatement,
} from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';
import { FastCamelCasePlugin, toCamelCase, withSnakeCaseIdentifiers } from './camel-case.ts';
import { migrations } from './migrations/index.ts';
import { AUDIT_SCHEMA, moveAuditTrailToItsFile } from './audit-file.ts';
import { postgresDialect, sqliteDialect, type DialectAdapter } from './dialect.ts';
import { rowScopedPostgresDialect, runAsSystem, type RowScope } from './row-security.ts';
import { dialectOf } from './dialect-of.ts';

/** Anything that runs queries: the database or a transaction on it. */
export type Executor = Kysely<DB>;

export interface Database {
  readonly db: Kysely<DB>;
  readonly dialect: DialectAdapter;
  /** Where the embedded database lives (SQLite only). */
  readonly file: string | undefined;
  /** How it was opened, so a worker thread can open its own connection to the same database. */
  readonly options: DatabaseOptions;
  destroy(): Promise<void>;
}

export interface DatabaseOptions {
  dataDir: string;
  /** PostgreSQL, as the server works: a role that neither owns the tables nor bypasses row security. */
  databaseUrl: string | undefined;
  /** PostgreSQL, as the tables' owner: migrations and restores. Unset: `databaseUrl` does both. */
  databaseOwnerUrl?: string | undefined;
  /** SQLite file name inside dataDir. */
  fileName?: string;
  /**
   * The 32-byte key (64 hex characters) the embedded database file is encrypted with (SQLite3
   * Multiple Ciphers, ChaCha20-Poly1305 per page): the file, its WAL and its copies are unreadable
   * without it. None: a plain file (tools and tests that ask for one).
   */
  encryptionKey?: string | undefined;
  /**
   * PostgreSQL: database work in no row scope runs as the system (the operator's CLI commands, test
   * fixtures). Left unset by the server, whose requests set their subtree and whose own work says
   * `runAsSystem`: anything else is refused rather than run past the row-security wall.
   */
  operator?: boolean;
}

const PG_INT8 = 20;
const PG_NUMERIC = 1700;
const PG_DATE = 1082;
const PG_TIMESTAMPTZ = 1184;

// Counts come back as numbers and dates as strings on both databases.
const pgTypeParsers: Record<number, (value: string) => unknown> = {
  [PG_INT8]: Number,
  [PG_NUMERIC]: Number,
  [PG_DATE]: (value) => value,
  [PG_TIMESTAMPTZ]: (value) => new Date(value).toISOString(),
};

/** Opens SQLite in the data dir, or PostgreSQL when a URL is given. Does not migrate. */
export function openDatabase(options: DatabaseOptions): Database {
  if (options.databaseUrl) {
    return {
      ...openPostgres(options.databaseUrl, options.operator ? { kind: 'system' } : undefined),
      options,
    };
  }
  return {
    ...openSqlite(sqliteFileOf(options), options.encryptionKey, { attachAuditFile: true }),
    options,
  };
}

const sqliteFileOf = (options: DatabaseOptions) =>
  path.join(options.dataDir, options.fileName ?? 'shiliuzi.db');

/**
 * The connection the audit trail is appended on: on PostgreSQL the database itself; on SQLite the
 * audit file alone (db/audit-file.ts), so that its transactions lock that file only. On a connection
 * with the registers attached, a transaction takes the write lock of every file, and would wait
 * for whatever holds the registers' (an import).
 */
export function openAuditWriterDatabase(
  options: DatabaseOptions,
  { deferSync = false }: { deferSync?: boolean } = {},
): Database {
  if (options.databaseUrl) return openDatabase(options);
  return {
    ...openSqlite(auditFileOf(sqliteFileOf(options)), options.encryptionKey, {
      attachAuditFile: false,
      // WAL with synchronous = NORMAL: a commit is in the WAL file (it survives the process) and the
      // WAL is synced at the next checkpoint (`syncSqliteWal`), not at every commit.
      synchronous: deferSync ? 'NORMAL' : 'FULL',
    }),
    options,
  };
}

/**
 * SQLite: a plain connection to the audit file for the thread answering requests to append on
 * (audit.service.ts `createAuditTrail`). It never waits: a write finding the file locked fails at
 * once (SQLITE_BUSY) and goes to the writer thread instead; its commits go to the WAL (synchronous =
 * NORMAL) and never checkpoint on their own: the writer thread syncs the WAL, off that thread.
 */
export function openSqliteAuditAppendConnection(options: DatabaseOptions): SqliteDatabase.Database {
  const sqlite = openSqliteFile(auditFileOf(sqliteFileOf(options)), options.encryptionKey);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 0');
  sqlite.pragma('wal_autocheckpoint = 0');
  return sqlite;
}

/** SQLite: syncs what the WAL holds and copies it into the database file (a passive checkpoint). */
export async function syncSqliteWal(database: Database): Promise<void> {
  if (database.dialect.name === 'sqlite') await sql`pragma wal_checkpoint(PASSIVE)`.execute(database.db);
}

/** The first bytes of a plain (unencrypted) SQLite file. */
const PLAIN_SQLITE_HEADER = Buffer.from('SQLite format 3\0');

export function isPlainSqliteFile(file: string): boolean {
  if (!fs.existsSync(file) || fs.statSync(file).size < PLAIN_SQLITE_HEADER.length) return false;
  const header = Buffer.alloc(PLAIN_SQLITE_HEADER.length);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, header, 0, header.length, 0);
  } finally {
    fs.closeSync(fd);
  }
  return header.equals(PLAIN_SQLITE_HEADER);
}

/** Thrown when the embedded database cannot be read with the key given. */
export class DatabaseKeyError extends Error {
  constructor(file: string, options?: ErrorOptions) {
    super(`the database ${file} cannot be read with this key (wrong key, or not a database)`, options);
    this.name = 'DatabaseKeyError';
  }
}

/** 32 key bytes given as hex, as SQLite3 Multiple Ciphers takes a raw key (no key derivation). */
export function rawSqliteKey(hexKey: string): string {
  if (!/^[0-9a-f]{64}$/i.test(hexKey)) throw new RangeError('the database key is 32 bytes in hex');
  return `x'${hexKey}'`;
}

/** The key pragma's value for a raw key. */
function sqliteKeyLiteral(hexKey: string): string {
  return `"${rawSqliteKey(hexKey)}"`;
}

/** Keys a connection to an encrypted (or new) file; the key goes first, before any statement. */
function applySqliteKey(sqlite: SqliteDatabase.Database, file: string, hexKey: string): void {
  sqlite.pragma(`key = ${sqliteKeyLiteral(hexKey)}`);
  try {
    sqlite.prepare('select count(*) from sqlite_schema').get();
  } catch (error) {
    sqlite.close();
    throw new DatabaseKeyError(file, { cause: error });
  }
}

/**
 * Encrypts (or re-encrypts) the database of a connection in place with `hexKey`. The connection
 * must be the file's only one; rekeying is refused in WAL mode, hence the rollback journal around it
 * (the caller sets the journal mode it wants afterwards).
 */
export function rekeySqlite(sqlite: SqliteDatabase.Database, hexKey: string): void {
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.pragma('journal_mode = DELETE');
  sqlite.pragma(`rekey = ${sqliteKeyLiteral(hexKey)}`);
}

/**
 * Opens an embedded database file directly, below Kysely (backups copy and check files this way):
 * keyed with `hexKey` unless the file is a plain one, which is opened as it is.
 */
export function openSqliteFile(
  file: string,
  hexKey: string | undefined,
  options?: SqliteDatabase.Options,
): SqliteDatabase.Database {
  const sqlite = new SqliteDatabase(file, options);
  if (hexKey && !isPlainSqliteFile(file)) applySqliteKey(sqlite, file, hexKey);
  return sqlite;
}

/**
 * Keys the server's connection. A plain database left by an older install (or a test) is encrypted
 * in place once, while this is its only connection (the lock file keeps a second server away).
 */
function unlockSqlite(sqlite: SqliteDatabase.Database, file: string, hexKey: string): void {
  if (isPlainSqliteFile(file)) rekeySqlite(sqlite, hexKey);
  else applySqliteKey(sqlite, file, hexKey);
  // Sorts and temporary tables stay in memory rather than in plain temporary files.
  sqlite.pragma('temp_store = MEMORY');
}

/** The file the audit trail of an embedded database lives in: beside it, under the same key. */
export function auditFileOf(file: string): string {
  return `${file}-audit`;
}

/**
 * Attaches the audit trail's own file as schema `audit`. Every audited request appends to the trail
 * from another connection (the audit writer's), and in WAL mode a commit to a file makes every other
 * connection drop its cached pages of that file: in the same file as the registers, nearly every
 * request would read and decrypt their pages again. In a file of its own, the trail's commits leave
 * the registers' cache alone, and a long write to the registers (an import) does not hold up the
 * rows that answers wait for. Queries name the audit tables unqualified: SQLite finds them in the
 * attached file once `migrateToLatest` has moved them there (db/audit-file.ts).
 */
function attachAuditFile(sqlite: SqliteDatabase.Database, file: string, hexKey: string | undefined): void {
  const auditFile = auditFileOf(file);
  // An audit file left plain by a plain database encrypted since: encrypted in place, as the database.
  if (hexKey && isPlainSqliteFile(auditFile)) {
    const plain = new SqliteDatabase(auditFile);
    try {
      rekeySqlite(plain, hexKey);
    } finally {
      plain.close();
    }
  }
  const attach = sqlite.prepare(`attach database ? as ${AUDIT_SCHEMA}${hexKey ? ' key ?' : ''}`);
  if (hexKey) attach.run(auditFile, rawSqliteKey(hexKey));
  else attach.run(auditFile);
  try {
    sqlite.prepare(`select count(*) from ${AUDIT_SCHEMA}.sqlite_schema`).get();
  } catch (error) {
    sqlite.close();
    throw new DatabaseKeyError(auditFile, { cause: error });
  }
  sqlite.pragma(`${AUDIT_SCHEMA}.journal_mode = WAL`);
  sqlite.pragma(`${AUDIT_SCHEMA}.synchronous = FULL`);
}

function openSqlite(
  file: string,
  encryptionKey: string | undefined,
  {
    attachAuditFile: withAuditFile,
    synchronous = 'FULL',
  }: { attachAuditFile: boolean; synchronous?: 'FULL' | 'NORMAL' },
): Omit<Database, 'options'> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  if (encryptionKey) unlockSqlite(sqlite, file, encryptionKey);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${synchronous}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('cache_size = -65536');
  if (withAuditFile) attachAuditFile(sqlite, file, encryptionKey);
  // Keeps the planner's statistics current as the registers grow (SQLite's advice for long-lived
  // connections: analyse at open what needs it, and again before closing).
  sqlite.pragma('optimize = 0x10002');
  const db = new Kysely<DB>({
    dialect: withSnakeCaseIdentifiers(new SqliteDialect({ database: withStatementCache(sqlite) }), 'sqlite'),
    plugins: [new FastCamelCasePlugin()],
  });
  const destroy = async () => {
    if (sqlite.open) sqlite.pragma('optimize');
    await db.destroy();
  };
  return { db, dialect: sqliteDialect, file, destroy };
}

/**
 * Kysely prepares every query anew; preparing costs more than running a point read. Keeping the
 * most recent prepared statements (keyed by SQL text, which carries no values) removes that cost.
 * Safe because queries run one at a time on this connection and none is streamed.
 */
function withStatementCache(sqlite: SqliteDatabase.Database, size = 500): SqliteDialectDatabase {
  const cache = new Map<string, SqliteDialectStatement>();
  return {
    close: () => sqlite.close(),
    prepare: (text: string) => {
      // Every transaction here writes: it takes the write lock when it begins (waiting up to
      // busy_timeout for another writer) instead of upgrading a read later, which SQLite refuses at
      // once when another connection has committed meanwhile ("database is locked").
      const sql = text === 'begin' ? 'begin immediate' : text;
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql); // move to the most-recent end
      } else {
        statement = withRowFactory(sqlite.prepare(sql));
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

/**
 * Reads rows as arrays and builds each object with a constructor generated for the statement's
 * columns, keys already in camelCase: better-sqlite3's own row objects, then renamed, cost three
 * times as much on wide rows (a page of residents).
 */
function withRowFactory(statement: SqliteDatabase.Statement): SqliteDialectStatement {
  if (!statement.reader) return statement as unknown as SqliteDialectStatement;
  const columns = statement.columns().map((c) => toCamelCase(c.name));
  // Later columns of the same name win, as in better-sqlite3's own objects.
  const body = columns.map((name, i) => `${JSON.stringify(name)}: r[${i}]`).join(', ');
  const makeRow = new Function('r', `return { ${body} };`) as (r: unknown[]) => Record<string, unknown>;
  statement.raw(true);
  return {
    reader: true,
    all: (parameters: ReadonlyArray<unknown>) => (statement.all(parameters) as unknown[][]).map(makeRow),
    run: (parameters: ReadonlyArray<unknown>) => statement.run(parameters),
    iterate: function* (parameters: ReadonlyArray<unknown>) {
      for (const row of statement.iterate(parameters) as IterableIterator<unknown[]>) yield makeRow(row);
    },
  } as SqliteDialectStatement;
}

function openPostgres(url: string, fallback: RowScope | undefined): Omit<Database, 'options'> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        pgTypeParsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // Every statement runs in a transaction that first sets the row scope (db/row-security.ts).
  const db = new Kysely<DB>({
    dialect: withSnakeCaseIdentifiers(
      rowScopedPostgresDialect(new PostgresDialect({ pool }), fallback),
      'postgres',
    ),
    plugins: [new FastCamelCasePlugin()],
  });
  return { db, dialect: postgresDialect, file: undefined, destroy: () => db.destroy() };
}

/** Brings the schema to the latest migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<DB>): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  // Migrations see every row (PostgreSQL: the row-security policies admit the system).
  const result = await runAsSystem(() => migrator.migrateToLatest());
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${String(result.error)}`, { cause: result.error });
  }
  // The embedded database keeps its audit trail in a file of its own (attachAuditFile).
  if (dialectOf(db).name === 'sqlite') await moveAuditTrailToItsFile(db);
  return result;
}

/**
 * Brings the database to the latest migration as the owner of its schema: on PostgreSQL with
 * `databaseOwnerUrl` when given (the connection is closed again), else on the database itself.
 */
export async function migrateDatabase(database: Database): Promise<MigrationResultSet> {
  const { databaseUrl, databaseOwnerUrl } = database.options;
  if (!databaseUrl || !databaseOwnerUrl) return migrateToLatest(database.db);
  const owner = openDatabase({ dataDir: '', databaseUrl: databaseOwnerUrl });
  try {
    return await migrateToLatest(owner.db);
  } finally {
    await owner.destroy();
  }
}

/**
 * Takes the data directory for this process: a second server on the same embedded database is
 * refused instead of racing it. SQLite's own file locks still keep CLI writes alongside it safe.
 * Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, 'shiliuzi.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(lockFile, 'utf8'));
      if (isProcessAlive(holder)) {
        throw new Error(`Data directory ${dataDir} is in use by process ${holder}`, { cause: error });
      }
      fs.rmSync(lockFile, { force: true }); // stale lock from a crashed process
    }
  }
  throw new Error(`Could not lock data directory ${dataDir}`);
}

function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `work` in a transaction, or inside the caller's when `db` already is one, so a service
 * can be called on its own or as part of a bigger unit of work (an import, the demo load).
 */
export async function inTransaction<T>(db: Executor, work: (trx: Executor) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}
