import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidIdNumber } from '@shiliuzi/shared/id-number';
import { migrateDatabase, openDatabase } from '../../db/database.ts';
import { cliActor } from '../../lib/actor.ts';
import { unseal } from '../../lib/field-crypto.ts';
import { demoKeyFile, deriveKey, readKeyFile } from '../../lib/keys.ts';
import { auditService } from '../audit/audit.service.ts';
import { residentService } from '../residents/resident.service.ts';
import { buildTestTree, makeIdNumber } from '../../../test/fixtures.ts';
import { createTestDatabase, testDialect, type TestDatabase } from '../../../test/test-database.ts';
import { BackupError } from './backup-error.ts';
import { decryptBackupFile, openBackupFile, writeBackupFile } from './backup-file.ts';
import { createRestoreTarget, type RestoreTarget } from './backup-test-support.ts';
import { backupService, type BackupConfig, type BackupResult } from './backup.service.ts';

/** The install's master key: for SQLite the one its database file is encrypted with. */
let masterKey: Buffer;
/** A valid GB 11643 number (check digit computed) and a name of several UTF-8 characters. */
const seededIdNumber = makeIdNumber('650102', '19850302', 123);
const seededName = '阿依古丽·吐尔逊';

let t: TestDatabase;
let dir: string;
let config: BackupConfig;
const targets: RestoreTarget[] = [];

async function newTarget(): Promise<RestoreTarget> {
  const target = await createRestoreTarget(t);
  targets.push(target);
  return target;
}

/** The restore configuration for a target: same key, its own data dir or database. */
const configFor = (target: RestoreTarget): BackupConfig => ({
  ...config,
  dataDir: target.dataDir,
  databaseUrl: target.databaseUrl,
  databaseOwnerUrl: target.databaseOwnerUrl,
});

async function countRows(table: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(
    t.database.db,
  );
  return Number(rows[0]!.n);
}

/** Opens a restored target as the app would: SQLite with the database key of the install's master key. */
function openRestored(target: RestoreTarget, key: Buffer) {
  if (target.databaseUrl) {
    const { dataDir, databaseUrl, databaseOwnerUrl } = target;
    return openDatabase({ dataDir, databaseUrl, databaseOwnerUrl, operator: true });
  }
  const encryptionKey = deriveKey(key, 'database').toString('hex');
  return openDatabase({ dataDir: target.dataDir, databaseUrl: undefined, encryptionKey });
}

async function failureOf(work: Promise<unknown>): Promise<BackupError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof BackupError) return error;
    throw error;
  }
  throw new Error('expected a BackupError');
}

/** Another process writing pairs of rows (see test-writer.mjs) until stopped. */
function startWriter(): { ready: Promise<void>; stop: () => Promise<number> } {
  const target = t.url ?? path.join(t.dataDir!, 'shiliuzi.db');
  const key = t.url ? [] : [deriveKey(masterKey, 'database').toString('hex')];
  const child = spawn(process.execPath, [path.join(import.meta.dirname, 'test-writer.mjs'), target, ...key], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  let onReady: () => void;
  let onDone: (n: number) => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const done = new Promise<number>((resolve) => (onDone = resolve));
  lines.on('line', (line) => {
    if (line === 'ready') onReady();
    const committed = /^committed (\d+)$/.exec(line);
    if (committed) onDone(Number(committed[1]));
  });
  return {
    ready,
    stop: async () => {
      child.stdin!.write('stop\n');
      return done;
    },
  };
}

beforeAll(async () => {
  t = await createTestDatabase();
  masterKey = t.dataDir ? readKeyFile(demoKeyFile(t.dataDir)) : crypto.randomBytes(32);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiliuzi-backup-'));
  config = {
    dataDir: t.dataDir ?? dir,
    databaseUrl: t.url,
    mode: 'production',
    masterKey: masterKey.toString('base64'),
    keyFile: undefined,
  };
  const tree = await buildTestTree(t.database);
  expect(isValidIdNumber(seededIdNumber)).toBe(true);
  await residentService.registerResident(t.database.db, cliActor, {
    orgUnitId: tree.gridA1.id,
    name: seededName,
    ethnicityCode: '05',
    idNumber: seededIdNumber,
    phone: '13912345678',
    residenceType: 'permanent',
  });
  // The audit trail (on SQLite in a file of its own beside the database) goes into the backup too.
  await auditService.append(
    t.database.db,
    ['resident.search', 'resident.read', 'export.register'].map((action) => ({
      action,
      username: 'backup-auditee',
      result: 'ok' as const,
    })),
  );
  // Bulk, so that copying and checksumming take long enough for the writer to interleave.
  for (let batch = 0; batch < 20; batch++) {
    await t.database.db
      .insertInto('changeLog')
      .values(
        Array.from({ length: 1000 }, (_, i) => ({
          id: crypto.randomUUID(),
          entityType: 'resident',
          entityId: crypto.randomUUID(),
          action: 'update',
          version: 2,
          actorName: 'seed',
          at: new Date(Date.UTC(2026, 0, 1, 0, 0, batch * 1000 + i)).toISOString(),
          before: JSON.stringify({ name: `样本${batch}-${i}` }),
          after: null,
        })),
      )
      .execute();
  }
}, 60_000);

afterAll(async () => {
  for (const target of targets) await target.cleanup();
  await t?.cleanup();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe(`backup and restore (${testDialect})`, () => {
  let backup: BackupResult;
  let writerCommits: number;
  /** login_throttle rows just before the backup began and just after it ended (the writer adds one a commit). */
  let before: number;
  let after: number;
  /** change_log rows less login_throttle rows before the writer started: constant in every consistent view. */
  let pairBase: number;

  beforeAll(async () => {
    pairBase = (await countRows('change_log')) - (await countRows('login_throttle'));
    const writer = startWriter();
    await writer.ready;
    before = await countRows('login_throttle');
    backup = await backupService.createBackup(config, path.join(dir, 'while-writing.slzbak'));
    after = await countRows('login_throttle');
    writerCommits = await writer.stop();
  }, 60_000);

  const manifestRows = (name: string) => backup.manifest.tables.find((table) => table.name === name)!.rows;

  it('takes one consistent snapshot while another connection keeps writing', () => {
    const inSnapshot = manifestRows('login_throttle');
    expect(inSnapshot).toBeGreaterThanOrEqual(before);
    expect(inSnapshot).toBeLessThanOrEqual(after);
    // The writer went on while the backup ran, and the snapshot holds whole transactions only.
    expect(after).toBeGreaterThan(inSnapshot);
    expect(writerCommits).toBeGreaterThan(inSnapshot);
    expect(manifestRows('change_log') - pairBase).toBe(inSnapshot);
    expect(manifestRows('resident')).toBe(1);
    expect(backup.tables).toBeGreaterThanOrEqual(18);
  });

  it('restores with every table equal to the manifest taken with the copy', async () => {
    const target = await newTarget();
    const restored = await backupService.restoreBackup(configFor(target), backup.file);
    expect(restored.tables).toEqual(backup.manifest.tables.map(({ name, rows }) => ({ name, rows })));
    expect(restored.rows).toBe(backup.rows);

    expect(manifestRows('audit_log')).toBe(3);
    // Counted independently on the restored database, which the app then opens as its own.
    const database = openRestored(target, masterKey);
    try {
      await migrateDatabase(database);
      const trail = await auditService.verify(database.db);
      expect(trail).toEqual({ rows: 3 });
      for (const table of backup.manifest.tables) {
        const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(table.name)}`.execute(
          database.db,
        );
        expect([table.name, Number(rows[0]!.n)]).toEqual([table.name, table.rows]);
      }
      const resident = await database.db
        .selectFrom('resident')
        .select(['id', 'name', 'idNumber'])
        .executeTakeFirstOrThrow();
      expect([resident.name, unseal('resident.id_number', resident.id, resident.idNumber!)]).toEqual([
        seededName,
        seededIdNumber,
      ]);
    } finally {
      await database.destroy();
    }
  });

  it('keeps no ID number or name in plaintext, only in the database it restores', async () => {
    const bytes = fs.readFileSync(backup.file);
    expect(bytes.includes(Buffer.from(seededIdNumber, 'utf8'))).toBe(false);
    expect(bytes.includes(Buffer.from(seededName, 'utf8'))).toBe(false);
    expect(bytes.includes(Buffer.from('阿依古丽', 'utf8'))).toBe(false);
    expect(bytes.includes(Buffer.from('13912345678', 'utf8'))).toBe(false);
    // The header is readable without the key, and names the key but holds no data.
    const { header } = await openBackupFile(backup.file);
    expect(header.keyId).toBe(backup.keyId);
    expect(JSON.stringify(header)).not.toContain(seededIdNumber);
    if (t.dataDir) {
      // Nor the embedded database on disk: the file, its WAL and its shared memory are encrypted
      // (the restore test reads both back through the key).
      const files = ['shiliuzi.db', 'shiliuzi.db-wal', 'shiliuzi.db-shm'].map((name) =>
        path.join(t.dataDir!, name),
      );
      expect(fs.statSync(files[1]!).size).toBeGreaterThan(0);
      for (const file of files.filter((f) => fs.existsSync(f))) {
        const live = fs.readFileSync(file);
        expect([file, live.includes(Buffer.from(seededIdNumber, 'utf8'))]).toEqual([file, false]);
        expect([file, live.includes(Buffer.from(seededName, 'utf8'))]).toEqual([file, false]);
      }
    }
    expect(fs.statSync(backup.file).mode & 0o777).toBe(0o600);
  });

  it('leaves no plaintext copy beside the backup', () => {
    expect(fs.readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('refuses a damaged backup (one byte flipped) and restores nothing', async () => {
    const original = fs.readFileSync(backup.file);
    const { payloadStart } = await openBackupFile(backup.file);
    const damaged = Buffer.from(original);
    const at = payloadStart + Math.floor((original.length - payloadStart) / 2);
    damaged[at] = damaged[at]! ^ 0x40;
    const file = path.join(dir, 'damaged.slzbak');
    fs.writeFileSync(file, damaged);
    const target = await newTarget();
    const error = await failureOf(backupService.restoreBackup(configFor(target), file));
    expect(error.code).toBe('damaged');
    expect(error.message).toBe('备份文件已损坏或被改动（加密校验未通过），未恢复任何数据');
    expect(await target.listTables()).toEqual([]);
    expect(fs.readdirSync(target.dataDir)).toEqual([]);
  });

  it('refuses a wrong key, naming the key the backup needs, and restores nothing', async () => {
    const target = await newTarget();
    const otherKey = crypto.randomBytes(32).toString('hex');
    const viaConfig = await failureOf(
      backupService.restoreBackup({ ...configFor(target), masterKey: otherKey }, backup.file),
    );
    expect(viaConfig.code).toBe('wrong_key');
    expect(viaConfig.message).toContain(`该备份由密钥编号 ${backup.keyId} 加密`);
    expect(viaConfig.message).toContain('--key-file');
    const keyFile = path.join(dir, 'other.key');
    fs.writeFileSync(keyFile, `${crypto.randomBytes(32).toString('base64')}\n`);
    const viaFile = await failureOf(backupService.restoreBackup(configFor(target), backup.file, { keyFile }));
    expect(viaFile.code).toBe('wrong_key');
    expect(viaFile.message).toContain(keyFile);
    expect(await target.listTables()).toEqual([]);
    expect(fs.readdirSync(target.dataDir)).toEqual([]);
  });

  it('restores with the old key given as --key-file after the master key changed', async () => {
    const target = await newTarget();
    const keyFile = path.join(dir, 'old-master.key');
    fs.writeFileSync(keyFile, masterKey);
    const rotated = { ...configFor(target), masterKey: crypto.randomBytes(32).toString('base64') };
    const restored = await backupService.restoreBackup(rotated, backup.file, { keyFile });
    expect(restored.rows).toBe(backup.rows);
    expect(restored.notes.join('\n')).toContain(`此备份的密钥编号为 ${backup.keyId}`);
    // The restored database is encrypted with the new master key, so the install opens it.
    const database = openRestored(target, Buffer.from(rotated.masterKey, 'base64'));
    try {
      const resident = await database.db.selectFrom('resident').select('name').executeTakeFirstOrThrow();
      expect(resident.name).toBe(seededName);
    } finally {
      await database.destroy();
    }
  });

  it('refuses a backup whose contents differ from its manifest', async () => {
    // Re-encrypted with the right key, so only the manifest check can catch it.
    const opened = await openBackupFile(backup.file);
    const plain = path.join(dir, 'plain.tmp');
    await decryptBackupFile(opened, deriveKey(masterKey, 'backup'), plain);
    const { cipher: _cipher, nonce: _nonce, ...fields } = opened.header;
    const tables = fields.manifest.tables.map((table) =>
      table.name === 'resident' ? { ...table, rows: table.rows + 1 } : table,
    );
    const forged = path.join(dir, 'forged.slzbak');
    await writeBackupFile(plain, forged, deriveKey(masterKey, 'backup'), {
      ...fields,
      manifest: { ...fields.manifest, tables },
    });
    fs.rmSync(plain);
    const target = await newTarget();
    const error = await failureOf(backupService.restoreBackup(configFor(target), forged));
    expect(error.code).toBe('manifest_mismatch');
    expect(error.message).toContain('表 resident 应有 2 行，实有 1 行');
    if (!target.databaseUrl) expect(fs.readdirSync(target.dataDir)).toEqual([]);
  });

  it('refuses a target that already holds a database', async () => {
    const target = await newTarget();
    await backupService.restoreBackup(configFor(target), backup.file);
    const error = await failureOf(backupService.restoreBackup(configFor(target), backup.file));
    expect(error.code).toBe('target_not_empty');
    expect(error.message).toMatch(/已有数据库|不是空库/);
  });

  it('refuses a backup of the other engine', async () => {
    const target = await newTarget();
    const other: BackupConfig = t.url
      ? { ...configFor(target), databaseUrl: undefined }
      : { ...configFor(target), databaseUrl: 'postgres://nobody@127.0.0.1:1/none' };
    const error = await failureOf(backupService.restoreBackup(other, backup.file));
    expect(error.code).toBe('engine_mismatch');
    expect(error.message).toContain(`该备份来自${t.url ? 'PostgreSQL' : '内置 SQLite'}`);
  });

  it('never overwrites an existing file, and cleans up when a backup fails', async () => {
    const error = await failureOf(backupService.createBackup(config, backup.file));
    expect(error.code).toBe('output_exists');
    expect(error.message).toContain(backup.file);
    // A stale partial file makes the final write fail after the plaintext copy was made.
    const out = path.join(dir, 'fails.slzbak');
    fs.writeFileSync(`${out}.partial`, 'in the way');
    await expect(backupService.createBackup(config, out)).rejects.toThrow(/EEXIST/);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([]);
  });
});

describe.runIf(testDialect === 'sqlite')('restore --force (SQLite)', () => {
  it('replaces the database in the data dir and keeps the old one beside it', async () => {
    const backup = await backupService.createBackup(config, path.join(dir, 'force.slzbak'));
    const target = await newTarget();
    fs.writeFileSync(path.join(target.dataDir, 'shiliuzi.db'), 'an older database');
    fs.writeFileSync(path.join(target.dataDir, 'shiliuzi.db-wal'), 'its write-ahead log');
    const restored = await backupService.restoreBackup(configFor(target), backup.file, { force: true });
    expect(restored.rows).toBe(backup.rows);
    const names = fs.readdirSync(target.dataDir).sort();
    expect(names).toHaveLength(3);
    expect(names[0]).toBe('shiliuzi.db');
    expect(names[1]).toMatch(/^shiliuzi\.db\.replaced-\d{8}T\d{6}Z$/);
    expect(names[2]).toBe(`${names[1]}-wal`);
    expect(fs.readFileSync(path.join(target.dataDir, names[1]!), 'utf8')).toBe('an older database');
    expect(restored.notes[0]).toContain('原数据库已改名保留');
  });

  it('refuses while a server holds the data dir', async () => {
    const backup = await backupService.createBackup(config, path.join(dir, 'busy.slzbak'));
    const target = await newTarget();
    fs.writeFileSync(path.join(target.dataDir, 'shiliuzi.lock'), String(process.pid));
    const error = await failureOf(backupService.restoreBackup(configFor(target), backup.file));
    expect(error.code).toBe('data_dir_in_use');
    expect(fs.readdirSync(target.dataDir)).toEqual(['shiliuzi.lock']);
  });
});
