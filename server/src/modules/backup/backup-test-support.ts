import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { databaseUrl, testRoles, type TestDatabase } from '../../../test/test-database.ts';

// Restore targets for the backup tests: a fresh SQLite data dir, or a new empty database on the
// PostgreSQL server of TEST_DATABASE_URL, the same engine as the test's own database.

export interface RestoreTarget {
  dataDir: string;
  /** As the server connects (PostgreSQL: shiliuzi_server). */
  databaseUrl: string | undefined;
  /** As the owner, who restores into it (PostgreSQL: shiliuzi_owner). */
  databaseOwnerUrl: string | undefined;
  /** Names of the tables in it (none for a fresh target). */
  listTables(): Promise<string[]>;
  cleanup(): Promise<void>;
}

export async function createRestoreTarget(t: TestDatabase): Promise<RestoreTarget> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiliuzi-restore-target-'));
  if (!t.url) {
    const file = path.join(dataDir, 'shiliuzi.db');
    return {
      dataDir,
      databaseUrl: undefined,
      databaseOwnerUrl: undefined,
      listTables: async () => {
        if (!fs.existsSync(file)) return [];
        const { default: SqliteDatabase } = await import('better-sqlite3-multiple-ciphers');
        const sqlite = new SqliteDatabase(file, { readonly: true });
        try {
          return sqlite
            .prepare(`select name from sqlite_schema where type = 'table' and name not like 'sqlite_%'`)
            .pluck()
            .all() as string[];
        } finally {
          sqlite.close();
        }
      },
      cleanup: async () => fs.rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `shiliuzi_restore_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = process.env.TEST_DATABASE_URL ?? t.url;
  // Arranged as the test's own database: owned by the owner, used by the server's role.
  await withClient(admin, (c) => c.query(`create database ${name} owner ${testRoles.owner}`));
  const url = databaseUrl(t.url, name, testRoles.server);
  return {
    dataDir,
    databaseUrl: url,
    databaseOwnerUrl: databaseUrl(t.url, name, testRoles.owner),
    listTables: () =>
      withClient(url, async (c) => {
        const { rows } = await c.query<{ name: string }>(
          `select tablename as name from pg_tables where schemaname = 'public'`,
        );
        return rows.map((r) => r.name);
      }),
    cleanup: async () => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      await withClient(admin, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
