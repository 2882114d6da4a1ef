import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import pg from 'pg';
import type { Config } from '../../config.ts';
import {
  auditFileOf,
  isPlainSqliteFile,
  lockDataDir,
  openSqliteFile,
  rawSqliteKey,
  rekeySqlite,
} from '../../db/database.ts';
import { migrations } from '../../db/migrations/index.ts';
import {
  demoKeyFile,
  KeyError,
  keyringFromFile,
  loadKeyring,
  readKeyFile,
  writeKeyFile,
  type Keyring,
} from '../../lib/keys.ts';
import { backupError } from './backup-error.ts';
import {
  decryptBackupFile,
  openBackupFile,
  writeBackupFile,
  type BackupHeader,
  type Manifest,
  type OpenedBackup,
} from './backup-file.ts';
import { backupRepository, type RowSink, type TableToRead } from './backup.repository.ts';
import { backupMessages, manifestProblems, type BackupEngine } from './messages.zh-CN.ts';

/** What backup and restore need to know: where the database is, and where the key comes from. */
export type BackupConfig = Pick<Config, 'dataDir' | 'databaseUrl' | 'mode' | 'masterKey' | 'keyFile'> &
  Partial<Pick<Config, 'databaseOwnerUrl'>>;

export interface BackupResult {
  file: string;
  engine: BackupEngine;
  keyId: string;
  createdAt: string;
  tables: number;
  rows: number;
  bytes: number;
  durationMs: number;
  manifest: Manifest;
}

export interface RestoreOptions {
  /** The master key the backup was made with, when it is not the configured one. */
  keyFile?: string | undefined;
  /** SQLite: replace a database already in the data dir (it is renamed and kept). */
  force?: boolean | undefined;
}

export interface RestoreResult {
  engine: BackupEngine;
  /** The database file, or the PostgreSQL URL without its password. */
  target: string;
  header: BackupHeader;
  /** Tables and row counts as recomputed on the restored database (equal to the backup's manifest). */
  tables: { name: string; rows: number }[];
  rows: number;
  durationMs: number;
  /** Notes for the person restoring (Chinese): a kept old database, a key copied, a key that differs. */
  notes: string[];
}

const SQLITE_FILE = 'shiliuzi.db';
/** The files of an embedded database: it, its journals, and the audit trail's file with its journals. */
const SQLITE_COMPANIONS = ['', '-wal', '-shm', '-journal'].flatMap((journal) => [
  journal,
  auditFileOf('') + journal,
]);

/** Temp files and folders that hold plaintext while a backup or restore of this thread runs. */
const plaintextInUse = new Set<string>();
/** A temp database's journal files, and the compressed form a restore decrypts first. */
const TEMP_SUFFIXES = [...SQLITE_COMPANIONS, '.gz'];

/** Holds `file` (and its SQLite companions) as plaintext in use until `release` is called. */
function holdPlaintext(file: string): () => void {
  plaintextInUse.add(file);
  return () => {
    for (const suffix of TEMP_SUFFIXES) fs.rmSync(file + suffix, { recursive: true, force: true });
    plaintextInUse.delete(file);
  };
}

/**
 * Removes every plaintext temp file of a backup or restore running on this thread, at once. For a
 * process that is being stopped (the CLI on Ctrl-C): `finally` blocks do not run then.
 */
function removePlaintextInUse(): void {
  for (const file of [...plaintextInUse]) {
    for (const suffix of TEMP_SUFFIXES) fs.rmSync(file + suffix, { recursive: true, force: true });
    plaintextInUse.delete(file);
  }
}

/**
 * Removes what an interrupted backup into `outFile` may have left beside it: the plaintext copy
 * (`.NAME.<random>.tmp` and its journal) and the unfinished `NAME.partial`. For a backup that ran
 * on another thread or in a process that died.
 */
export function removeBackupLeftovers(outFile: string): string[] {
  const dir = path.dirname(outFile);
  const base = path.basename(outFile);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return []; // no folder, nothing left in it
  }
  const leftovers = names.filter(
    (name) => name === `${base}.partial` || (name.startsWith(`.${base}.`) && name.includes('.tmp')),
  );
  for (const name of leftovers) fs.rmSync(path.join(dir, name), { force: true });
  return leftovers;
}

/**
 * Takes an encrypted backup of the configured database into `outFile`: SQLite by VACUUM INTO (a
 * consistent copy while writers carry on), checked with PRAGMA integrity_check; PostgreSQL by
 * pg_dump inside an exported REPEATABLE READ snapshot. The manifest (row count and checksum of
 * every table) is computed on that same copy or snapshot. The plaintext copy sits beside the output
 * (mode 0600) only while the backup runs, and is removed whatever happens.
 */
async function createBackup(config: BackupConfig, outFile: string): Promise<BackupResult> {
  const started = performance.now();
  const out = path.resolve(outFile);
  if (fs.existsSync(out)) throw backupError('output_exists', [out]);
  const keyring = loadKeyring(config, { create: true });
  const keys = backupKeys(keyring);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const plain = path.join(
    path.dirname(out),
    `.${path.basename(out)}.${crypto.randomBytes(6).toString('hex')}.tmp`,
  );
  const createdAt = new Date().toISOString();
  const releasePlain = holdPlaintext(plain);
  try {
    const engine: BackupEngine = config.databaseUrl ? 'postgres' : 'sqlite';
    const copy = config.databaseUrl
      ? await dumpPostgres(config.databaseUrl, plain, keys.manifest)
      : copySqlite(path.join(config.dataDir, SQLITE_FILE), plain, keys);
    const bytes = await writeBackupFile(plain, out, keys.cipher, {
      engine,
      keyId: keyring.keyId,
      createdAt,
      compression: engine === 'sqlite' ? 'gzip' : 'none',
      schemaVersion: copy.schemaVersion,
      manifest: copy.manifest,
    });
    return {
      file: out,
      engine,
      keyId: keyring.keyId,
      createdAt,
      tables: copy.manifest.tables.length,
      rows: copy.manifest.tables.reduce((sum, t) => sum + t.rows, 0),
      bytes,
      durationMs: Math.round(performance.now() - started),
      manifest: copy.manifest,
    };
  } finally {
    releasePlain();
    fs.rmSync(`${out}.partial`, { force: true });
  }
}

/**
 * Restores a backup: reads its header, checks the engine and the key id, checks that the target is
 * fresh (SQLite: no database in the data dir unless `force`; PostgreSQL: an empty database),
 * decrypts to a temp file verifying the GCM tag before anything is used, restores, and recomputes
 * the manifest on the restored database. Any difference is refused loudly. SQLite is checked
 * before the copy is moved into place, so a refusal leaves the data dir as it was.
 */
async function restoreBackup(
  config: BackupConfig,
  backupFile: string,
  options: RestoreOptions = {},
): Promise<RestoreResult> {
  const started = performance.now();
  const file = path.resolve(backupFile);
  if (!fs.existsSync(file)) throw backupError('file_missing', [file]);
  const opened = await openBackupFile(file);
  const engine: BackupEngine = config.databaseUrl ? 'postgres' : 'sqlite';
  if (opened.header.engine !== engine) throw backupError('engine_mismatch', [opened.header.engine, engine]);
  const keyring = options.keyFile ? keyringFromFile(options.keyFile) : loadKeyring(config, { create: false });
  if (keyring.keyId !== opened.header.keyId) {
    throw backupError('wrong_key', [opened.header.keyId, keyring.keyId, keyring.origin]);
  }
  const keys = backupKeys(keyring);
  const restored = config.databaseUrl
    ? // The schema is created, so as its owner when there is a separate one.
      await restorePostgres(config.databaseOwnerUrl ?? config.databaseUrl, opened, keys)
    : await restoreSqlite(
        config.dataDir,
        opened,
        keys,
        installDatabaseKey(config, keyring),
        options.force === true,
      );
  const notes = [...restored.notes, ...keyNotes(config, opened.header, options.keyFile)];
  const latest = Object.keys(migrations).sort().at(-1);
  if (opened.header.schemaVersion && latest && opened.header.schemaVersion > latest) {
    notes.push(backupMessages.newerSchema(opened.header.schemaVersion, latest));
  }
  const tables = restored.manifest.tables.map(({ name, rows }) => ({ name, rows }));
  return {
    engine,
    target: restored.target,
    header: opened.header,
    tables,
    rows: tables.reduce((sum, t) => sum + t.rows, 0),
    durationMs: Math.round(performance.now() - started),
    notes,
  };
}

export const backupService = Object.freeze({ createBackup, restoreBackup, removePlaintextInUse });
export type BackupService = typeof backupService;

// ---------- keys and manifest ----------

interface BackupKeys {
  /** AES-256-GCM key of the file: the master key's `backup` subkey. */
  cipher: Buffer;
  /** HMAC key of the manifest checksums, derived from it, so the checksums say nothing without the key. */
  manifest: Buffer;
  /** The key (hex) of the embedded database the backup was taken from: its copy stays encrypted with it. */
  database: string;
}

function backupKeys(keyring: Keyring): BackupKeys {
  const cipher = keyring.deriveKey('backup');
  const manifest = Buffer.from(
    crypto.hkdfSync('sha256', cipher, Buffer.alloc(0), 'shiliuzi/backup/manifest/v1', 32),
  );
  return { cipher, manifest, database: keyring.deriveKey('database').toString('hex') };
}

/**
 * The database key of the install a backup is restored into: its own master key's, or (a fresh
 * demo data dir that will adopt the backup's key file, see keyNotes) the backup's.
 */
function installDatabaseKey(config: BackupConfig, backupKeyring: Keyring): string {
  try {
    return loadKeyring(config, { create: false }).deriveKey('database').toString('hex');
  } catch (error) {
    if (error instanceof KeyError) return backupKeyring.deriveKey('database').toString('hex');
    throw error;
  }
}

/** A sink that HMACs every row of one table (in 64 KiB pieces: one native call per row costs more). */
function tableChecksum(key: Buffer): { sink: RowSink; digest: () => string } {
  const hmac = crypto.createHmac('sha256', key);
  let pending = '';
  return {
    sink: (encoded) => {
      pending += encoded;
      if (pending.length >= 65_536) {
        hmac.update(pending, 'utf8');
        pending = '';
      }
    },
    digest: () => hmac.update(pending, 'utf8').digest('hex'),
  };
}

function computeSqliteManifest(sqlite: SqliteDatabase.Database, key: Buffer): Manifest {
  const tables = backupRepository.listSqliteTables(sqlite).map((table) => {
    const checksum = tableChecksum(key);
    const rows = backupRepository.readSqliteRows(sqlite, table, checksum.sink);
    return { name: table.name, rows, checksum: checksum.digest() };
  });
  return { checksum: 'hmac-sha256', tables };
}

/** Computes the manifest inside the caller's transaction (the one consistent view). */
async function computePostgresManifest(client: pg.Client, key: Buffer): Promise<Manifest> {
  const tables: Manifest['tables'] = [];
  const list: TableToRead[] = await backupRepository.listPostgresTables(client);
  for (const table of list) {
    const checksum = tableChecksum(key);
    const rows = await backupRepository.readPostgresRows(client, table, checksum.sink);
    tables.push({ name: table.name, rows, checksum: checksum.digest() });
  }
  return { checksum: 'hmac-sha256', tables };
}

/** Every difference between the backup's manifest and the restored database's, in Chinese; empty when equal. */
export function compareManifests(expected: Manifest, actual: Manifest): string[] {
  const problems: string[] = [];
  const found = new Map(actual.tables.map((t) => [t.name, t]));
  for (const table of expected.tables) {
    const restored = found.get(table.name);
    if (!restored) problems.push(manifestProblems.missingTable(table.name));
    else if (restored.rows !== table.rows)
      problems.push(manifestProblems.rows(table.name, table.rows, restored.rows));
    else if (restored.checksum !== table.checksum) problems.push(manifestProblems.checksum(table.name));
    found.delete(table.name);
  }
  for (const name of found.keys()) problems.push(manifestProblems.extraTable(name));
  return problems;
}

function requireSameManifest(expected: Manifest, actual: Manifest): void {
  const problems = compareManifests(expected, actual);
  if (problems.length > 0) {
    throw backupError(
      'manifest_mismatch',
      [problems],
      `restored database differs: ${problems.length} problem(s)`,
    );
  }
}

// ---------- SQLite ----------

interface DatabaseCopy {
  manifest: Manifest;
  schemaVersion: string | null;
}

function copySqlite(source: string, copyFile: string, keys: BackupKeys): DatabaseCopy {
  if (!fs.existsSync(source)) throw backupError('database_missing', [source]);
  // VACUUM INTO wants an empty or missing file; creating it first gives it mode 0600. The copy is
  // encrypted with the live database's key, page by page, as it is written.
  fs.closeSync(fs.openSync(copyFile, 'wx', 0o600));
  const live = openSqliteFile(source, keys.database, { fileMustExist: true });
  try {
    live.pragma('busy_timeout = 5000');
    backupRepository.vacuumInto(live, copyFile);
  } finally {
    live.close();
  }
  // The audit trail lives in a file of its own beside the database: the copy takes it in, as one file.
  const auditFile = auditFileOf(source);
  if (fs.existsSync(auditFile)) {
    const copy = openSqliteFile(copyFile, keys.database, { fileMustExist: true });
    try {
      copy.pragma('busy_timeout = 5000');
      backupRepository.copyAuditTrailInto(
        copy,
        auditFile,
        isPlainSqliteFile(auditFile) ? undefined : rawSqliteKey(keys.database),
      );
    } finally {
      copy.close();
    }
  }
  return inspectSqliteCopy(copyFile, keys);
}

/** Integrity check and manifest of a database file that nothing else uses (a copy, or a restore before it is moved in). */
function inspectSqliteCopy(file: string, keys: BackupKeys): DatabaseCopy {
  const copy = openSqliteFile(file, keys.database, { fileMustExist: true });
  try {
    backupRepository.useRollbackJournal(copy);
    const problems = backupRepository.checkSqliteIntegrity(copy);
    if (problems.length > 0) {
      throw backupError('integrity_failed', [problems.slice(0, 5).join('; ')], problems.join('\n'));
    }
    return {
      manifest: computeSqliteManifest(copy, keys.manifest),
      schemaVersion: backupRepository.findSqliteSchemaVersion(copy),
    };
  } finally {
    copy.close();
  }
}

/**
 * Encrypts a restored copy with the key of the install it goes into, when that differs from the
 * key it came with (a backup restored under a new master key) or it came plain (an older backup).
 */
function keyForInstall(file: string, copyKey: string, installKey: string): void {
  if (copyKey === installKey && !isPlainSqliteFile(file)) return;
  const sqlite = openSqliteFile(file, copyKey, { fileMustExist: true });
  try {
    rekeySqlite(sqlite, installKey);
  } finally {
    sqlite.close();
  }
}

async function restoreSqlite(
  dataDir: string,
  opened: OpenedBackup,
  keys: BackupKeys,
  installKey: string,
  force: boolean,
): Promise<{ target: string; manifest: Manifest; notes: string[] }> {
  fs.mkdirSync(dataDir, { recursive: true });
  let release: () => void;
  try {
    release = lockDataDir(dataDir);
  } catch (error) {
    throw backupError('data_dir_in_use', [dataDir], (error as Error).message, { cause: error });
  }
  try {
    const target = path.join(dataDir, SQLITE_FILE);
    const present = SQLITE_COMPANIONS.filter((suffix) => fs.existsSync(target + suffix));
    if (present.length > 0 && !force) throw backupError('target_not_empty', [target, true]);
    // Left by a restore that was killed: this process holds the data dir now.
    for (const name of fs.readdirSync(dataDir).filter((n) => n.startsWith('.restore-'))) {
      fs.rmSync(path.join(dataDir, name), { force: true });
    }
    const temp = path.join(dataDir, `.restore-${crypto.randomBytes(6).toString('hex')}.db`);
    const releaseTemp = holdPlaintext(temp);
    try {
      await decryptBackupFile(opened, keys.cipher, temp);
      const { manifest } = inspectSqliteCopy(temp, keys);
      requireSameManifest(opened.header.manifest, manifest);
      keyForInstall(temp, keys.database, installKey);
      const notes: string[] = [];
      if (present.length > 0) {
        // The old database with its WAL, renamed together so that it still opens as it was.
        const kept = `${target}.replaced-${compactUtc(new Date())}`;
        for (const suffix of present) fs.renameSync(target + suffix, kept + suffix);
        notes.push(backupMessages.replacedKept(kept));
      }
      fs.renameSync(temp, target);
      await syncFolder(dataDir);
      return { target, manifest, notes };
    } finally {
      releaseTemp();
    }
  } finally {
    release();
  }
}

// ---------- PostgreSQL ----------

async function dumpPostgres(url: string, dumpFile: string, manifestKey: Buffer): Promise<DatabaseCopy> {
  // pg_dump writes to a descriptor opened here rather than to a path: should this thread be ended
  // (server shutdown) and the file removed, a pg_dump still running cannot create it again.
  const dumpFd = fs.openSync(dumpFile, 'wx', 0o600);
  try {
    return await dumpPostgresInto(url, dumpFd, manifestKey);
  } finally {
    fs.closeSync(dumpFd);
  }
}

async function dumpPostgresInto(url: string, dumpFd: number, manifestKey: Buffer): Promise<DatabaseCopy> {
  const client = new pg.Client({ connectionString: url, application_name: 'shiliuzi-backup' });
  await client.connect();
  try {
    const snapshot = await backupRepository.beginExportedSnapshot(client);
    try {
      const schemaVersion = await backupRepository.findPostgresSchemaVersion(client);
      const connection = toolConnection(url);
      const [dump, manifest] = await Promise.allSettled([
        // Row-level security stays on and the session is the system's, which sees every row
        // (db/row-security.ts): pg_dump would otherwise refuse the tables whose rows it cannot all see.
        runPostgresTool(
          'pg_dump',
          [
            '--format=custom',
            `--snapshot=${snapshot}`,
            '--enable-row-security',
            '--no-password',
            `--dbname=${connection.url}`,
          ],
          { ...connection.env, PGOPTIONS: `${connection.env.PGOPTIONS ?? ''} -c shiliuzi.system=on`.trim() },
          dumpFd,
        ),
        computePostgresManifest(client, manifestKey),
      ]);
      if (dump.status === 'rejected') throw dump.reason;
      if (manifest.status === 'rejected') throw manifest.reason;
      return { manifest: manifest.value, schemaVersion };
    } finally {
      // The snapshot must outlive pg_dump's import of it: the transaction ends only now.
      await backupRepository.endReadTransaction(client);
    }
  } finally {
    await client.end();
  }
}

async function restorePostgres(
  url: string,
  opened: OpenedBackup,
  keys: BackupKeys,
): Promise<{ target: string; manifest: Manifest; notes: string[] }> {
  const target = redactUrl(url);
  const client = new pg.Client({ connectionString: url, application_name: 'shiliuzi-restore' });
  await client.connect();
  try {
    if (!(await backupRepository.isPostgresDatabaseEmpty(client))) {
      throw backupError('target_not_empty', [target, false]);
    }
    const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiliuzi-restore-'));
    const releaseTemp = holdPlaintext(tempDir);
    try {
      const dump = path.join(tempDir, 'database.dump');
      await decryptBackupFile(opened, keys.cipher, dump);
      const connection = toolConnection(url);
      // One transaction: a failure part-way leaves the target empty.
      await runPostgresTool(
        'pg_restore',
        [
          '--exit-on-error',
          '--single-transaction',
          '--no-owner',
          // The grants to shiliuzi_app come back with the tables (the role must exist on the server).
          '--no-password',
          `--dbname=${connection.url}`,
          dump,
        ],
        connection.env,
      );
    } finally {
      releaseTemp();
    }
    await backupRepository.beginReadTransaction(client);
    let manifest: Manifest;
    try {
      manifest = await computePostgresManifest(client, keys.manifest);
    } finally {
      await backupRepository.endReadTransaction(client);
    }
    requireSameManifest(opened.header.manifest, manifest);
    return { target, manifest, notes: [] };
  } finally {
    await client.end();
  }
}

/** The URL for pg_dump/pg_restore without the password (which would show in the process list) and the password as PGPASSWORD. */
function toolConnection(url: string): { url: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  // The tools run with this process's environment (PATH, PGSSLMODE, ...) plus the password.
  return { url: parsed.toString(), env: password ? { ...process.env, PGPASSWORD: password } : process.env };
}

function redactUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/**
 * Runs pg_dump or pg_restore: the one on PATH, else the newest under /usr/lib/postgresql/<version>/bin
 * (Debian's layout). Rejects with its last lines of stderr when it fails.
 */
async function runPostgresTool(
  tool: 'pg_dump' | 'pg_restore',
  args: string[],
  env: NodeJS.ProcessEnv,
  stdout: number | 'ignore' = 'ignore',
): Promise<void> {
  const candidates = [tool, ...postgresBinDirs().map((dir) => path.join(dir, tool))];
  for (const command of candidates) {
    const outcome = await runOnce(command, args, env, stdout);
    if (outcome === 'not_found') continue;
    if (outcome.code === 0) return;
    const detail = outcome.stderr.trim().split('\n').slice(-5).join('\n');
    throw backupError(
      'tool_failed',
      [tool, detail],
      `${command} exited with ${outcome.code}: ${outcome.stderr}`,
    );
  }
  throw backupError('tool_missing', [tool], `${tool} not found on PATH nor under /usr/lib/postgresql/*/bin`);
}

function postgresBinDirs(): string[] {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .filter((version) => /^\d+$/.test(version))
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => path.join(root, version, 'bin'));
}

function runOnce(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  stdout: number | 'ignore',
): Promise<'not_found' | { code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', stdout, 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      stderr = (stderr + text).slice(-64 * 1024);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') resolve('not_found');
      else reject(error);
    });
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

// ---------- helpers ----------

/**
 * Notes about the key after a restore. In demo mode with no key configured, the key the backup was
 * restored with is copied to the data dir (it becomes this install's key), so that later backups —
 * and, later, encrypted fields — keep using the key the data came with.
 */
function keyNotes(config: BackupConfig, header: BackupHeader, keyFile: string | undefined): string[] {
  const configured = !!config.masterKey || !!config.keyFile;
  if (keyFile && config.mode === 'demo' && !configured && !fs.existsSync(demoKeyFile(config.dataDir))) {
    writeKeyFile(demoKeyFile(config.dataDir), readKeyFile(path.resolve(keyFile)));
    return [backupMessages.keyInstalled(demoKeyFile(config.dataDir))];
  }
  try {
    const current = loadKeyring(config, { create: false });
    return current.keyId === header.keyId ? [] : [backupMessages.keyDiffers(header.keyId, current.keyId)];
  } catch (error) {
    if (error instanceof KeyError) return [];
    throw error;
  }
}

/** 20261129T083000Z */
export function compactUtc(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

async function syncFolder(folder: string): Promise<void> {
  const handle = await fs.promises.open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
