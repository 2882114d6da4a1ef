import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../../test/cli.ts';
import { buildTestTree, makeIdNumber } from '../../test/fixtures.ts';
import { cliActor } from '../lib/actor.ts';
import { idNumberIndex } from '../lib/field-crypto.ts';
import { auditService } from '../modules/audit/audit.service.ts';
import { residentService } from '../modules/residents/resident.service.ts';
import { DatabaseKeyError, migrateToLatest, openDatabase, type Database } from './database.ts';

// SQLite only: the embedded database file itself (PostgreSQL relies on volume encryption).
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

const idNumber = makeIdNumber('653101', '19850302', 73);
const name = '阿依古丽·吐尔逊';
const key = () => randomBytes(32).toString('hex');

function newDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiliuzi-crypt-'));
  dirs.push(dir);
  return dir;
}

/**
 * How often the seeded ID number or name appears in the database file, its WAL and its shared
 * memory, and in the audit trail's file beside it (`shiliuzi.db-audit`) with its own.
 */
function plaintextHits(dir: string): number {
  let hits = 0;
  for (const file of fs.readdirSync(dir).filter((f) => f.startsWith('shiliuzi.db'))) {
    const bytes = fs.readFileSync(path.join(dir, file));
    for (const needle of [idNumber, name, idNumber.slice(6, 14)]) {
      for (let at = bytes.indexOf(needle); at !== -1; at = bytes.indexOf(needle, at + 1)) hits += 1;
    }
  }
  return hits;
}

async function seedResident(database: Database): Promise<void> {
  await migrateToLatest(database.db);
  const tree = await buildTestTree(database, 'E');
  for (let i = 0; i < 50; i++) {
    await residentService.registerResident(database.db, cliActor, {
      orgUnitId: tree.gridA1.id,
      name: i === 0 ? name : `${name}${i}`,
      ethnicityCode: '05',
      residenceType: 'permanent',
      idNumber: i === 0 ? idNumber : makeIdNumber('653101', '19850302', 100 + i),
      phone: '13912345678',
    });
  }
  // The audit trail keeps what was searched for: a name.
  await auditService.append(database.db, [
    { action: 'resident.search', username: 'crypt-worker', result: 'ok', detail: { query: { q: name } } },
  ]);
}

async function nameOf(database: Database) {
  const row = await database.db
    .selectFrom('resident')
    .select('name')
    .where('idNumberHash', '=', idNumberIndex(idNumber))
    .executeTakeFirst();
  return row?.name;
}

describe('the embedded database on disk', () => {
  it('holds no readable ID number or name in its file or WAL, open or closed', async () => {
    const dir = newDataDir();
    const secret = key();
    const database = openDatabase({ dataDir: dir, databaseUrl: undefined, encryptionKey: secret });
    await seedResident(database);
    // Still open: the changes sit in the WALs, not yet copied into the files.
    expect(fs.statSync(path.join(dir, 'shiliuzi.db-wal')).size).toBeGreaterThan(0);
    expect(fs.statSync(path.join(dir, 'shiliuzi.db-audit-wal')).size).toBeGreaterThan(0);
    expect(plaintextHits(dir)).toBe(0);
    await database.destroy();
    expect(plaintextHits(dir)).toBe(0);

    expect(() => openDatabase({ dataDir: dir, databaseUrl: undefined, encryptionKey: key() })).toThrow(
      DatabaseKeyError,
    );
    const again = openDatabase({ dataDir: dir, databaseUrl: undefined, encryptionKey: secret });
    expect(await nameOf(again)).toBe(name);
    await again.destroy();
  });

  it('encrypts a plain database left by an older install the first time it is opened with a key', async () => {
    const dir = newDataDir();
    const plain = openDatabase({ dataDir: dir, databaseUrl: undefined });
    await seedResident(plain);
    await plain.destroy();
    // The control: the same search finds the plain text, so a zero above means something.
    expect(plaintextHits(dir)).toBeGreaterThan(0);

    const secret = key();
    const encrypted = openDatabase({ dataDir: dir, databaseUrl: undefined, encryptionKey: secret });
    expect(await nameOf(encrypted)).toBe(name);
    await encrypted.destroy();
    expect(plaintextHits(dir)).toBe(0);
  });

  it('is encrypted by shiliuzi with the master key, refused under another, and moved to a new key by db rekey', async () => {
    const dir = newDataDir();
    const orgName = '石榴籽加密测试社区';
    let env: NodeJS.ProcessEnv = { PATH: process.env.PATH, TZ: 'Asia/Shanghai', SHILIUZI_DATA_DIR: dir };
    const { cli, cliFails } = cliRunner(() => env);
    await cli('org', 'add', '--code', 'JM', '--name', orgName, '--type', 'district');
    const onDisk = fs
      .readdirSync(dir)
      .filter((f) => f.startsWith('shiliuzi.db'))
      .map((f) => fs.readFileSync(path.join(dir, f)));
    expect(onDisk.length).toBeGreaterThan(0);
    expect(onDisk.some((bytes) => bytes.includes(Buffer.from(orgName)))).toBe(false);
    // Opened without the key, the file is not a database at all.
    expect(() => openDatabase({ dataDir: dir, databaseUrl: undefined })).toThrow(/not a database/);

    // The master key rotated: the database no longer opens, and says why in Chinese.
    const oldKey = path.join(dir, 'keys', 'master.key');
    const newKey = path.join(dir, 'new-master.key');
    fs.writeFileSync(newKey, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    env = { ...env, SHILIUZI_KEY_FILE: newKey };
    expect(await cliFails('org', 'list', '--json')).toContain('无法用当前主密钥打开数据库');
    expect(await cliFails('db', 'rekey', '--old-key-file', newKey)).toContain('也无法打开数据库');
    expect(await cli('db', 'rekey', '--old-key-file', oldKey)).toContain('已用当前主密钥重新加密数据库');
    expect(await cli('db', 'rekey', '--old-key-file', oldKey)).toContain('无需轮换');
    const list = JSON.parse(await cli('org', 'list', '--json')) as { code: string; name: string }[];
    expect(list).toContainEqual(expect.objectContaining({ code: 'JM', name: orgName }));
  }, 60_000);
});
