import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config.ts';
import { WorkerPool } from '../../lib/worker-pool.ts';
import { compactUtc, removeBackupLeftovers, type BackupConfig, type BackupResult } from './backup.service.ts';
import type { BackupTask } from './backup.worker.ts';

/** The logger the server hands over (Fastify's `app.log` fits). */
export interface BackupLogger {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface ScheduledBackups {
  /** Takes one backup now (as the timer does) and prunes; resolves when done, never rejects. */
  runNow(): Promise<BackupResult | undefined>;
  /**
   * Stops the timer and interrupts a backup in progress (its thread is ended and its temp files
   * removed), so that shutting the server down does not wait for a long backup.
   */
  stop(): Promise<void>;
}

export interface ScheduleOptions {
  /** Least wait before the first backup after start, so that start-up is not slowed (default 60 s). */
  firstDelayMs?: number;
}

const BACKUP_NAME = /^shiliuzi-(\d{8}T\d{6}Z)\.slzbak$/;
/** What an interrupted scheduled backup leaves: its plaintext copy (`.NAME.<random>.tmp…`) or `NAME.partial`. */
const LEFTOVER_NAME = /^(\.shiliuzi-\d{8}T\d{6}Z\.slzbak\..+|shiliuzi-\d{8}T\d{6}Z\.slzbak\.partial)$/;

/** The name of a scheduled backup taken at `date`: `shiliuzi-20261129T083000Z.slzbak` (UTC, sorts by time). */
export function scheduledBackupName(date: Date): string {
  return `shiliuzi-${compactUtc(date)}.slzbak`;
}

/** The scheduled backups in `dir`, oldest first. */
export function listScheduledBackups(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => BACKUP_NAME.test(name))
    .sort();
}

/** Deletes the oldest scheduled backups beyond `keep`; answers the names deleted. Other files are left alone. */
export function pruneScheduledBackups(dir: string, keep: number): string[] {
  const names = listScheduledBackups(dir);
  const doomed = names.slice(0, Math.max(0, names.length - keep));
  for (const name of doomed) fs.rmSync(path.join(dir, name), { force: true });
  return doomed;
}

function timeOfBackup(name: string): number {
  const stamp = BACKUP_NAME.exec(name)![1]!;
  return Date.parse(
    `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`,
  );
}

/**
 * Starts scheduled backups when BACKUP_INTERVAL_HOURS is above 0 (else answers undefined): every
 * interval, a backup into BACKUP_DIR named by its UTC time, taken on a worker thread so requests
 * are never stalled; then the oldest beyond BACKUP_KEEP are deleted. The first one is due an interval
 * after the newest already in the folder (at once, after `firstDelayMs`, when there is none or it is
 * overdue), so restarts do not postpone backups forever. Success and failure are logged.
 */
export function startScheduledBackups(
  config: Config,
  log: BackupLogger,
  options: ScheduleOptions = {},
): ScheduledBackups | undefined {
  const { dir, intervalHours, keep } = config.backup;
  if (!dir || intervalHours <= 0) return undefined;
  const intervalMs = intervalHours * 3_600_000;
  const backupConfig: BackupConfig = {
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    mode: config.mode,
    masterKey: config.masterKey,
    keyFile: config.keyFile,
  };
  const pool = new WorkerPool<BackupTask>(new URL('./backup.worker.ts', import.meta.url), backupConfig);
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<BackupResult | undefined> | undefined;
  let stopped = false;

  const runOnce = async (): Promise<BackupResult | undefined> => {
    const file = path.join(dir, scheduledBackupName(new Date()));
    try {
      fs.mkdirSync(dir, { recursive: true });
      const result = await pool.run<BackupResult>({ file });
      const deleted = pruneScheduledBackups(dir, keep);
      log.info(
        {
          file,
          bytes: result.bytes,
          tables: result.tables,
          rows: result.rows,
          keyId: result.keyId,
          durationMs: result.durationMs,
          deleted,
        },
        'scheduled backup written',
      );
      return result;
    } catch (error) {
      if (stopped) log.info({ file }, 'scheduled backup interrupted by shutdown');
      else log.error({ err: error, file }, 'scheduled backup failed');
      return undefined;
    } finally {
      // The thread holds nothing between backups hours apart: let it go. Once it has ended, nothing
      // of a backup it did not finish may stay behind (the plaintext copy above all).
      try {
        await pool.close();
        removeBackupLeftovers(file);
      } catch (error) {
        log.error({ err: error, file }, 'scheduled backup cleanup failed');
      }
    }
  };

  const runNow = async () => {
    if (stopped) return undefined;
    while (running) await running; // one at a time
    running = runOnce();
    try {
      return await running;
    } finally {
      running = undefined;
    }
  };

  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      void runNow().then(() => schedule(intervalMs));
    }, delayMs);
    timer.unref();
  };

  let newest: string | undefined;
  try {
    newest = listScheduledBackups(dir).at(-1);
    // Left by a backup of a process that was killed.
    const names = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
    for (const name of names.filter((n) => LEFTOVER_NAME.test(n))) {
      fs.rmSync(path.join(dir, name), { force: true });
    }
  } catch (error) {
    // Not readable yet: the first backup will say why.
    log.error({ err: error, dir }, 'backup folder unreadable');
  }
  const dueIn = newest ? timeOfBackup(newest) + intervalMs - Date.now() : 0;
  schedule(Math.max(dueIn, options.firstDelayMs ?? 60_000));
  log.info({ dir, intervalHours, keep }, 'scheduled backups on');

  return {
    runNow,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      // A pg_dump already started finishes on its own, into a file that is already removed.
      await pool.close();
      while (running) await running;
    },
  };
}
