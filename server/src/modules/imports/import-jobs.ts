import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ImportJob, ImportReport, SheetLayout } from '@shiliuzi/shared/imports';
import type { Database } from '../../db/database.ts';
import { isAppError, notFound } from '../../errors.ts';
import type { Actor } from '../../lib/actor.ts';
import { WorkerPool } from '../../lib/worker-pool.ts';
import { installedFieldKeys, toFieldKeysMessage } from '../../lib/field-crypto.ts';
import type { ImportTask, ImportWorkerData } from './import.worker.ts';
import type { ImportTemplate } from './reading/layout.ts';

/** An upload kept until it is committed or an hour has passed. */
interface Upload {
  id: string;
  ownerKey: string;
  fileName: string;
  filePath: string;
  sha256: string;
  size: number;
  storedAt: number;
}

const UPLOAD_TTL_MS = 60 * 60 * 1000;

/** Who may see an upload or a job: the user who started it. */
const ownerKeyOf = (actor: Actor) => actor.userId ?? `cli:${actor.name}`;

/**
 * Uploaded register files and the imports running on them. An import runs on a worker thread with
 * its own database connection, so a 100,000-row file neither blocks the event loop nor holds the
 * connection every other request uses; its progress is polled.
 */
export function createImportJobs(database: Database) {
  const dir = path.join(tmpdir(), 'shiliuzi-uploads', randomUUID());
  mkdirSync(dir, { recursive: true });
  // The worker seals what it writes with this process's field keys (subkeys only).
  const pool = new WorkerPool<ImportTask>(new URL('./import.worker.ts', import.meta.url), {
    database: database.options,
    fieldKeys: toFieldKeysMessage(installedFieldKeys()),
  } satisfies ImportWorkerData);
  const uploads = new Map<string, Upload>();
  const jobs = new Map<string, ImportJob & { ownerKey: string }>();

  const sweep = () => {
    const now = Date.now();
    for (const upload of uploads.values()) {
      if (now - upload.storedAt > UPLOAD_TTL_MS) {
        rmSync(upload.filePath, { force: true });
        uploads.delete(upload.id);
      }
    }
  };

  return {
    /** Streams an upload to a temporary file, hashing it on the way. */
    async saveUpload(
      actor: Actor,
      fileName: string,
      body: Readable,
    ): Promise<Omit<Upload, 'filePath' | 'ownerKey'>> {
      sweep();
      const id = randomUUID();
      const filePath = path.join(dir, id);
      const hash = createHash('sha256');
      let size = 0;
      body.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        size += chunk.length;
      });
      await pipeline(body, createWriteStream(filePath));
      const upload: Upload = {
        id,
        ownerKey: ownerKeyOf(actor),
        fileName,
        filePath,
        sha256: hash.digest('hex'),
        size,
        storedAt: Date.now(),
      };
      uploads.set(id, upload);
      return { id, fileName, sha256: upload.sha256, size, storedAt: upload.storedAt };
    },

    /** Starts a dry run or a commit of an upload; answers at once with the job to poll. */
    start(
      actor: Actor,
      options: {
        uploadId: string;
        orgUnitId: string;
        dryRun: boolean;
        holdInvalidIdNumbers: boolean;
        layouts?: SheetLayout[] | undefined;
        template?: ImportTemplate | undefined;
      },
    ): ImportJob {
      const upload = uploads.get(options.uploadId);
      if (!upload || upload.ownerKey !== ownerKeyOf(actor)) throw notFound('import_upload_not_found');
      const job: ImportJob & { ownerKey: string } = {
        id: randomUUID(),
        uploadId: upload.id,
        ownerKey: upload.ownerKey,
        state: 'running',
        dryRun: options.dryRun,
        rowsDone: 0,
        report: null,
        error: null,
      };
      jobs.set(job.id, job);
      const task: ImportTask = {
        actor,
        filePath: upload.filePath,
        fileName: upload.fileName,
        fileSha256: upload.sha256,
        orgUnitId: options.orgUnitId,
        dryRun: options.dryRun,
        holdInvalidIdNumbers: options.holdInvalidIdNumbers,
        ...(options.layouts ? { layouts: options.layouts } : {}),
        ...(options.template ? { template: options.template } : {}),
      };
      pool
        .run<ImportReport>(task, (done) => {
          job.rowsDone = done;
        })
        .then((report) => {
          job.state = 'done';
          job.report = report;
          job.rowsDone = report.rows;
          if (!options.dryRun) {
            rmSync(upload.filePath, { force: true });
            uploads.delete(upload.id);
          }
        })
        .catch((error: unknown) => {
          job.state = 'failed';
          job.error = isAppError(error)
            ? { code: error.code, message: error.message }
            : { code: 'import_failed', message: error instanceof Error ? error.message : String(error) };
        });
      return job;
    },

    getJob(actor: Actor, id: string): ImportJob {
      const job = jobs.get(id);
      if (!job || job.ownerKey !== ownerKeyOf(actor)) throw notFound('import_job_not_found');
      const { ownerKey: _ownerKey, ...visible } = job;
      return visible;
    },

    async close() {
      await pool.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
export type ImportJobs = ReturnType<typeof createImportJobs>;
