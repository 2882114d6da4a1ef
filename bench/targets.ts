/**
 * The databases the benchmark runs on: a temp SQLite file, and PostgreSQL from BENCH_DATABASE_URL or
 * a throwaway cluster started with scripts/pg-cluster.sh. Also the direct-SQL replayers.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import pg from 'pg';
import { migrateToLatest, openDatabase, type Database } from '../server/src/db/database.ts';
import { sealOutstandingFields } from '../server/src/db/sealed-fields.ts';
import { benchDatabaseKey } from './field-keys.ts';
import { openBenchSqlite, type SqliteLocation } from './sqlite-file.ts';
import type { CapturedQuery } from './sql-capture.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');

export type DialectName = 'sqlite' | 'postgres';

export interface Target {
  dialect: DialectName;
  database: Database;
  /** The SQLite file (with the key it is encrypted with) or the PostgreSQL URL of the fresh database. */
  location: SqliteLocation | { dialect: 'postgres'; url: string };
  /** Where the PostgreSQL server came from, for the report. */
  origin: string;
  cleanup(): Promise<void>;
}

/**
 * A fresh, migrated SQLite database in a temp data dir, opened as the app opens it: encrypted with
 * the run's database key (the app's default, `openConfiguredDatabase` in server/src/cli.ts) unless
 * another key (64 hex characters) is given.
 */
export async function openSqliteTarget({
  encryptionKey = benchDatabaseKey(),
}: { encryptionKey?: string } = {}): Promise<Target> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiliuzi-bench-'));
  const database = openDatabase({ dataDir, databaseUrl: undefined, encryptionKey });
  await migrateToLatest(database.db);
  await sealOutstandingFields(database.db, (context, message) => console.error(message, context));
  return {
    dialect: 'sqlite',
    database,
    location: { dialect: 'sqlite', file: database.file!, key: encryptionKey },
    origin: `temp file in ${dataDir}`,
    cleanup: async () => {
      await database.destroy();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function findPgCtl(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  for (const version of fs.readdirSync(root)) {
    const pgCtl = path.join(root, version, 'bin', 'pg_ctl');
    if (fs.existsSync(pgCtl)) return pgCtl;
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Stops a cluster started by `openPostgresTarget`, also when the run is interrupted. */
let stopCluster: (() => void) | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopCluster?.();
    process.exit(130);
  });
}

/**
 * A fresh, migrated PostgreSQL database: created on the server of BENCH_DATABASE_URL, or on a
 * throwaway cluster when PostgreSQL's binaries are installed. Undefined (with the reason) otherwise.
 */
export async function openPostgresTarget(
  adminUrl: string | undefined,
  options: { name?: string } = {},
): Promise<Target | string> {
  let clusterDir: string | undefined;
  let origin = 'BENCH_DATABASE_URL';
  if (!adminUrl) {
    const pgCtl = findPgCtl();
    if (!pgCtl) return 'BENCH_DATABASE_URL is not set and no /usr/lib/postgresql/*/bin/pg_ctl was found';
    clusterDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiliuzi-bench-pg-'));
    const dir = clusterDir;
    const port = await freePort();
    const script = path.join(repoRoot, 'scripts/pg-cluster.sh');
    stopCluster = () => execFileSync('bash', [script, 'stop', dir], { stdio: 'ignore' });
    try {
      adminUrl = execFileSync('bash', [script, 'start', dir, String(port)], { encoding: 'utf8' }).trim();
    } catch (error) {
      stopCluster();
      stopCluster = undefined;
      return `scripts/pg-cluster.sh start failed: ${(error as Error).message}`;
    }
    origin = `throwaway cluster (${path.dirname(path.dirname(pgCtl))}, scripts/pg-cluster.sh) on port ${port}`;
  }
  const name = options.name ?? `shiliuzi_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const { rows } = await admin.query<{ server_version: string }>('show server_version');
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  // Seeding and fixtures run outside any request: as the system (the app's requests set their subtree).
  const database = openDatabase({ dataDir: '', databaseUrl: url.toString(), operator: true });
  await migrateToLatest(database.db);
  await sealOutstandingFields(database.db, (context, message) => console.error(message, context));
  const finalAdminUrl = adminUrl;
  return {
    dialect: 'postgres',
    database,
    location: { dialect: 'postgres', url: url.toString() },
    origin: `PostgreSQL ${rows[0]?.server_version ?? '?'}, ${origin}`,
    cleanup: async () => {
      await database.destroy();
      if (clusterDir) {
        stopCluster?.();
        stopCluster = undefined;
        return;
      }
      const client = new pg.Client({ connectionString: finalAdminUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/**
 * Runs recorded statements straight on the database, bypassing Kysely and the app: a cached
 * prepared statement on SQLite, `pool.query` (what Kysely's driver calls) on PostgreSQL. Each step
 * is a group the app runs with `Promise.all`; its statements run concurrently on PostgreSQL.
 */
export interface SqlReplayer {
  run(steps: CapturedQuery[][]): Promise<void>;
  close(): Promise<void>;
}

export function openSqlReplayer(target: Target): SqlReplayer {
  if (target.location.dialect === 'sqlite') {
    // Same settings as the app's connection (server/src/db/database.ts), the same key.
    const sqlite = openBenchSqlite(target.location);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('cache_size = -65536');
    const statements = new Map<string, SqliteDatabase.Statement>();
    return {
      run: async (steps) => {
        for (const step of steps) {
          for (const query of step) {
            let statement = statements.get(query.sql);
            if (!statement) {
              statement = sqlite.prepare(query.sql);
              statements.set(query.sql, statement);
            }
            statement.all(query.parameters);
          }
        }
      },
      close: async () => {
        sqlite.close();
      },
    };
  }
  const pool = new pg.Pool({ connectionString: target.location.url, max: 10 });
  return {
    run: async (steps) => {
      for (const step of steps) {
        await Promise.all(step.map((query) => pool.query(query.sql, [...query.parameters])));
      }
    },
    close: () => pool.end(),
  };
}
