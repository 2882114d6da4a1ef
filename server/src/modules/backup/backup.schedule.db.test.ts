import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../config.ts';
import { demoKeyFile, readKeyFile } from '../../lib/keys.ts';
import { createTestDatabase, testDialect, type TestDatabase } from '../../../test/test-database.ts';
import { openBackupFile } from './backup-file.ts';
import { createRestoreTarget } from './backup-test-support.ts';
import {
  listScheduledBackups,
  pruneScheduledBackups,
  scheduledBackupName,
  startScheduledBackups,
  type BackupLogger,
} from './backup.schedule.ts';
import { backupService } from './backup.service.ts';

// Fastify's logger is what the server hands over.
const _fastifyLoggerFits = (log: FastifyBaseLogger): BackupLogger => log;

let t: TestDatabase;
let dir: string;
let config: Config;

/** A logger that keeps what it was told. */
function recordingLogger() {
  const lines: { level: 'info' | 'error'; message: string; details: Record<string, unknown> }[] = [];
  const log: BackupLogger = {
    info: (details, message) =>
      lines.push({ level: 'info', message, details: details as Record<string, unknown> }),
    error: (details, message) =>
      lines.push({ level: 'error', message, details: details as Record<string, unknown> }),
  };
  return { log, lines };
}

async function waitFor(check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  t = await createTestDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiliuzi-scheduled-'));
  config = loadConfig({
    SHILIUZI_DATA_DIR: t.dataDir ?? dir,
    DATABASE_URL: t.url ?? '',
    // The install's key: on SQLite the one its database file is encrypted with.
    SHILIUZI_MASTER_KEY: t.dataDir
      ? readKeyFile(demoKeyFile(t.dataDir)).toString('base64')
      : crypto.randomBytes(32).toString('base64'),
    BACKUP_DIR: path.join(dir, 'backups'),
    BACKUP_INTERVAL_HOURS: String(2 / 3600), // every 2 seconds
    BACKUP_KEEP: '2',
  });
  // Enough rows that copying and checksumming them would be felt if they ran on the main thread.
  for (let batch = 0; batch < 60; batch++) {
    await t.database.db
      .insertInto('changeLog')
      .values(
        Array.from({ length: 2000 }, (_, i) => ({
          id: crypto.randomUUID(),
          entityType: 'resident',
          entityId: crypto.randomUUID(),
          action: 'update',
          version: 2,
          actorName: 'seed',
          at: new Date(Date.UTC(2026, 0, 1, 0, 0, batch * 2000 + i)).toISOString(),
          before: JSON.stringify({ name: `样本${batch}-${i}`, note: 'x'.repeat(200) }),
          after: null,
        })),
      )
      .execute();
  }
}, 120_000);

afterAll(async () => {
  await t?.cleanup();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('backup file names and pruning', () => {
  it('names backups by UTC time so that they sort oldest first', () => {
    expect(scheduledBackupName(new Date('2026-11-29T08:30:05.123+08:00'))).toBe(
      'shiliuzi-20261129T003005Z.slzbak',
    );
  });

  it('deletes only the oldest scheduled backups beyond the number to keep', () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'shiliuzi-prune-'));
    try {
      const names = ['20260101T000000Z', '20260301T000000Z', '20260201T000000Z'].map(
        (stamp) => `shiliuzi-${stamp}.slzbak`,
      );
      for (const name of [...names, 'notes.txt', 'manual.slzbak'])
        fs.writeFileSync(path.join(folder, name), '');
      expect(pruneScheduledBackups(folder, 2)).toEqual(['shiliuzi-20260101T000000Z.slzbak']);
      expect(fs.readdirSync(folder).sort()).toEqual([
        'manual.slzbak',
        'notes.txt',
        'shiliuzi-20260201T000000Z.slzbak',
        'shiliuzi-20260301T000000Z.slzbak',
      ]);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe(`scheduled backups (${testDialect})`, () => {
  it('is off unless an interval is set', () => {
    const off = loadConfig({ SHILIUZI_DATA_DIR: dir });
    expect(startScheduledBackups(off, recordingLogger().log)).toBeUndefined();
  });

  it('backs up on a timer on a worker thread, keeps the newest, and logs each one', async () => {
    const backups = config.backup.dir!;
    fs.mkdirSync(backups, { recursive: true });
    // Two old ones (overdue: the first backup is due at once) and a file of someone else's.
    for (const stamp of ['20250101T000000Z', '20250102T000000Z']) {
      fs.writeFileSync(path.join(backups, `shiliuzi-${stamp}.slzbak`), 'old');
    }
    fs.writeFileSync(path.join(backups, 'README.txt'), 'keep me');
    const started = scheduledBackupName(new Date(Date.now() - 1000));
    const { log, lines } = recordingLogger();
    const schedule = startScheduledBackups(config, log, { firstDelayMs: 0 })!;
    try {
      await waitFor(
        () => lines.filter((line) => line.message === 'scheduled backup written').length >= 2,
        100_000,
      );
    } finally {
      await schedule.stop();
    }
    const names = listScheduledBackups(backups);
    expect(names).toHaveLength(2);
    expect(names.every((name) => name > started)).toBe(true);
    expect(fs.readFileSync(path.join(backups, 'README.txt'), 'utf8')).toBe('keep me');
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
    const written = lines.filter((line) => line.message === 'scheduled backup written');
    expect(written.map((line) => line.details.deleted)).toEqual([
      ['shiliuzi-20250101T000000Z.slzbak'],
      ['shiliuzi-20250102T000000Z.slzbak'],
    ]);
    expect(written[1]!.details).toMatchObject({
      file: path.join(backups, names[1]!),
      rows: expect.any(Number),
      bytes: fs.statSync(path.join(backups, names[1]!)).size,
    });

    // What it wrote restores.
    const newest = path.join(backups, names.at(-1)!);
    expect((await openBackupFile(newest)).header.engine).toBe(testDialect);
    const target = await createRestoreTarget(t);
    try {
      const restored = await backupService.restoreBackup(
        {
          ...config,
          dataDir: target.dataDir,
          databaseUrl: target.databaseUrl,
          databaseOwnerUrl: target.databaseOwnerUrl,
        },
        newest,
      );
      expect(restored.tables.find((table) => table.name === 'change_log')?.rows).toBe(120_000);
    } finally {
      await target.cleanup();
    }
  }, 120_000);

  it('takes the backup off the main thread: it completes while the main thread is busy', async () => {
    const backups = path.join(dir, 'off-thread');
    const offThread = { ...config, backup: { ...config.backup, dir: backups } };
    const schedule = startScheduledBackups(offThread, recordingLogger().log, { firstDelayMs: 3_600_000 })!;
    try {
      const done = schedule.runNow();
      // Spin without yielding, as a long request would: on this thread the backup could not progress.
      const deadline = Date.now() + 60_000;
      let appeared = false;
      while (!appeared && Date.now() < deadline) appeared = listScheduledBackups(backups).length === 1;
      expect(appeared).toBe(true);
      expect((await done)?.file).toBe(path.join(backups, listScheduledBackups(backups)[0]!));
    } finally {
      await schedule.stop();
    }
  }, 120_000);

  it('interrupts a backup in progress when stopped, leaving no plaintext copy behind', async () => {
    const backups = path.join(dir, 'interrupted');
    const interrupted = { ...config, backup: { ...config.backup, dir: backups } };
    const { log, lines } = recordingLogger();
    const schedule = startScheduledBackups(interrupted, log, { firstDelayMs: 3_600_000 })!;
    const done = schedule.runNow();
    // Wait until the plaintext copy exists beside the backup-to-be, then shut down.
    await waitFor(
      () => fs.existsSync(backups) && fs.readdirSync(backups).some((name) => name.endsWith('.tmp')),
    );
    await schedule.stop();
    expect(await done).toBeUndefined();
    expect(fs.readdirSync(backups)).toEqual([]);
    expect(lines.map((line) => line.message)).toContain('scheduled backup interrupted by shutdown');
    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
  }, 120_000);

  it('logs a failure and carries on', async () => {
    const broken = { ...config, backup: { ...config.backup, dir: path.join(dir, 'not-a-folder') } };
    fs.writeFileSync(broken.backup.dir, 'a file where the folder should be');
    const { log, lines } = recordingLogger();
    const schedule = startScheduledBackups(broken, log, { firstDelayMs: 0 })!;
    try {
      await waitFor(() => lines.filter((line) => line.message === 'scheduled backup failed').length >= 2);
    } finally {
      await schedule.stop();
    }
    expect(lines.find((line) => line.message === 'scheduled backup failed')).toMatchObject({
      message: 'scheduled backup failed',
      details: { file: expect.stringContaining('not-a-folder') },
    });
  });
});
