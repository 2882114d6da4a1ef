import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Migrator } from 'kysely';
import { migrateToLatest, openDatabase, type Database } from '../src/db/database.ts';
import { migrations } from '../src/db/migrations/index.ts';
import { runAsSystem } from '../src/db/row-security.ts';
import { sealOutstandingFields } from '../src/db/sealed-fields.ts';
import { demoKeyFile, loadKeyring, writeKeyFile } from '../src/lib/keys.ts';
import { TEST_MASTER_KEY } from './field-keys.ts';

export interface TestDatabaseOptions {
  /**
   * Stop at this migration, as an older install would be (nothing sealed): for upgrade tests, which
   * then migrate (`migrateDatabase`) and call `sealOutstandingFields` themselves.
   */
  migrateTo?: string;
}

/** Migrates to the latest migration, or to `options.migrateTo`. */
async function migrate(database: Database, options: TestDatabaseOptions): Promise<void> {
  if (!options.migrateTo) {
    await migrateToLatest(database.db);
    return;
  }
  const migrator = new Migrator({ db: database.db, provider: { getMigrations: async () => migrations } });
  const { error } = await runAsSystem(() => migrator.migrateTo(options.migrateTo!));
  if (error) throw error;
}

/** Seals as the server does at start (with the test key of the vitest setup), unless stopped early. */
async function sealAtStart(database: Database, options: TestDatabaseOptions): Promise<void> {
  if (options.migrateTo) return;
  await sealOutstandingFields(database.db, (context, message) => console.error(message, context));
}

export interface TestDatabase {
  database: Database;
  /** The SQLite data dir (SQLite only). */
  dataDir: string | undefined;
  /**
   * The URL of the fresh PostgreSQL database (PostgreSQL only), as the server connects: the login role
   * `shiliuzi_server`, a member of `shiliuzi_app`, neither owner nor able to bypass row security.
   */
  url: string | undefined;
  /** The same database as its owner `shiliuzi_owner`, who migrates it (PostgreSQL only). */
  ownerUrl: string | undefined;
  cleanup(): Promise<void>;
}

/** Which database the db tier runs on: PostgreSQL when TEST_DATABASE_URL is set, else SQLite. */
export const testDialect: 'sqlite' | 'postgres' = process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite';

/** The roles of a PostgreSQL deployment (docs/SECURITY.md), as the tests use them. */
export const testRoles = { app: 'shiliuzi_app', owner: 'shiliuzi_owner', server: 'shiliuzi_server' } as const;

/**
 * Creates the deployment's roles on the test server when absent: the database owner, the group role
 * the migration grants to, and the server's login role in it. Test files start in parallel, so a
 * role another one created meanwhile is fine.
 */
async function ensureTestRoles(admin: pg.Client): Promise<void> {
  const statements = [
    `create role ${testRoles.app} nologin nosuperuser nobypassrls`,
    `create role ${testRoles.owner} login nosuperuser nobypassrls`,
    `create role ${testRoles.server} login nosuperuser nobypassrls in role ${testRoles.app}`,
  ];
  for (const statement of statements) {
    const role = statement.split(' ')[2]!;
    const { rows } = await admin.query('select 1 from pg_roles where rolname = $1', [role]);
    if (rows.length > 0) continue;
    try {
      await admin.query(statement);
    } catch (error) {
      // duplicate_object, or unique_violation when two sessions create it at the same moment
      if (!['42710', '23505'].includes((error as { code?: string }).code ?? '')) throw error;
    }
  }
}

/** The URL of database `name` on the server of `base`, as `user`. */
export function databaseUrl(base: string, name: string, user: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  url.username = user;
  url.password = '';
  return url.toString();
}

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
  if (databaseUrl) return openDatabase({ dataDir, databaseUrl, operator: true });
  return openDatabase({ dataDir, databaseUrl: undefined, encryptionKey: demoDatabaseKey(dataDir) });
}

/**
 * A fresh, migrated database for one test file: a temp SQLite file, or a new database on the
 * PostgreSQL server named by TEST_DATABASE_URL (created and dropped here), arranged as in production:
 * owned and migrated by `shiliuzi_owner`, used as `shiliuzi_server` under row-level security. The
 * returned database runs work outside any request as the system (fixtures, checks); the app a test
 * builds opens its own connections without that default (fixtures.ts#buildTestApp).
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiliuzi-test-'));
    // The install's master key is the test key, so the fields the test process seals and those a CLI
    // run by the test seals are under one key.
    writeKeyFile(demoKeyFile(dataDir), Buffer.from(TEST_MASTER_KEY, 'base64'));
    // Encrypted as `shiliuzi` opens it in demo mode, so a CLI run by the test opens the same database.
    const database = openInstallDatabase(dataDir, undefined);
    await migrate(database, options);
    await sealAtStart(database, options);
    return {
      database,
      dataDir,
      url: undefined,
      ownerUrl: undefined,
      cleanup: async () => {
        await database.destroy();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `shiliuzi_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await ensureTestRoles(admin);
    await admin.query(`create database ${name} owner ${testRoles.owner}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(adminUrl, name, testRoles.server);
  const ownerUrl = databaseUrl(adminUrl, name, testRoles.owner);
  const owner = openDatabase({ dataDir: '', databaseUrl: ownerUrl });
  try {
    await migrate(owner, options);
  } finally {
    await owner.destroy();
  }
  const database = openDatabase({
    dataDir: '',
    databaseUrl: url,
    databaseOwnerUrl: ownerUrl,
    operator: true,
  });
  await sealAtStart(database, options);
  return {
    database,
    dataDir: undefined,
    url,
    ownerUrl,
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
