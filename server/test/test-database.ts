import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { migrateToLatest, openDatabase, type Database } from '../src/db/database.ts';
import { loadKeyring } from '../src/lib/keys.ts';

export interface TestDatabase {
  database: Database;
  /** The SQLite data dir (SQLite only). */
  dataDir: string | undefined;
  /** The URL of the fresh PostgreSQL database (PostgreSQL only). */
  url: string | undefined;
  cleanup(): Promise<void>;
}

/** Which database the db tier runs on: PostgreSQL when TEST_DATABASE_URL is set, else SQLite. */
export const testDialect: 'sqlite' | 'postgres' = process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite';

/**
 * The key `shiliuzi` encrypts a demo install's embedded database with: derived from the master key
 * in the data dir (keys/master.key, made on first use).
 */
export function demoDatabaseKey(dataDir: string): string {
  return loadKeyring({ dataDir, mode: 'demo', masterKey: undefined, keyFile: undefined })
    .deriveKey('database')
    .toString('hex');
}

/** Opens the database of a demo install as `shiliuzi` does: its data dir's encrypted file, or the URL. */
export function openInstallDatabase(dataDir: string, databaseUrl: string | undefined): Database {
  if (databaseUrl) return openDatabase({ dataDir, databaseUrl });
  return openDatabase({ dataDir, databaseUrl: undefined, encryptionKey: demoDatabaseKey(dataDir) });
}

/**
 * A fresh, migrated database for one test file: a temp SQLite file, or a new database on the
 * PostgreSQL server named by TEST_DATABASE_URL (created and dropped here).
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiliuzi-test-'));
    // Encrypted as `shiliuzi` opens it in demo mode, so a CLI run by the test opens the same database.
    const database = openInstallDatabase(dataDir, undefined);
    await migrateToLatest(database.db);
    return {
      database,
      dataDir,
      url: undefined,
      cleanup: async () => {
        await database.destroy();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `shiliuzi_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = openDatabase({ dataDir: '', databaseUrl: url.toString() });
  await migrateToLatest(database.db);
  return {
    database,
    dataDir: undefined,
    url: url.toString(),
    cleanup: async () => {
      await database.destroy();
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      // pg's Pool.end() resolves before its connections have closed: wait for them (up to 2 s), so
      // that the forced drop does not cut one off mid-goodbye and fail the run with an unhandled 57P01.
      for (let tries = 0; tries < 100; tries++) {
        const { rows } = await client.query<{ n: number }>(
          'select count(*)::int as n from pg_stat_activity where datname = $1',
          [name],
        );
        if (rows[0]!.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}
