import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/test-database.ts';
import { lockDataDir } from './database.ts';

// SQLite only: the db tier skips this file when it runs on PostgreSQL (vitest.config.ts).
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});

afterAll(async () => {
  await t?.cleanup();
});

describe('the embedded database', () => {
  it('runs in WAL mode with full fsync and foreign keys on', async () => {
    const db = t.database.db;
    const one = async (pragma: string) =>
      Object.values((await sql.raw(`pragma ${pragma}`).execute(db)).rows[0] as object)[0];
    expect(await one('journal_mode')).toBe('wal');
    expect(await one('synchronous')).toBe(2);
    expect(await one('foreign_keys')).toBe(1);
  });

  it('stores into STRICT tables, refusing a value of the wrong type', async () => {
    await expect(
      sql`insert into ethnic_group (code, name, roman, abbrev, is_extension) values ('99', '测试', 'T', 'TT', 'yes')`.execute(
        t.database.db,
      ),
    ).rejects.toThrow(/cannot store TEXT value in INTEGER column/);
  });

  it('lets only one server hold a data directory, and takes over a stale lock', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiliuzi-lock-'));
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(/in use by process/);
    release();
    fs.writeFileSync(path.join(dir, 'shiliuzi.lock'), '999999999');
    const again = lockDataDir(dir);
    again();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
