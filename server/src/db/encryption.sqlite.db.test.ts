import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTestTree, makeIdNumber } from '../../test/fixtures.ts';
import { cliActor } from '../lib/actor.ts';
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

/** How often the seeded ID number or name appears in the database file, its WAL and its shared memory. */
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
}

async function nameOf(database: Database) {
  const row = await database.db
    .selectFrom('resident')
    .select('name')
    .where('idNumber', '=', idNumber)
    .executeTakeFirst();
  return row?.name;
}

describe('the embedded database on disk', () => {
  it('holds no readable ID number or name in its file or WAL, open or closed', async () => {
    const dir = newDataDir();
    const secret = key();
    const database = openDatabase({ dataDir: dir, databaseUrl: undefined, encryptionKey: secret });
    await seedResident(database);
    // Still open: the changes sit in the WAL, not yet copied into the file.
    expect(fs.statSync(path.join(dir, 'shiliuzi.db-wal')).size).toBeGreaterThan(0);
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
});
