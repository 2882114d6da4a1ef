import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ImportReport, SheetLayout } from '@shiliuzi/shared/imports';
import type { ImportTemplate } from './reading/layout.ts';
import type { Executor } from '../../db/database.ts';
import type { Actor } from '../../lib/actor.ts';
import { installedFieldKeys, toFieldKeysMessage } from '../../lib/field-crypto.ts';
import { importService } from './import.service.ts';
import { openRegisterFile, type OpenRegisterFileOptions } from './reading/register-file.ts';
import { openRegisterFileOnThread } from './reading/register-file.thread.ts';

/** Files from this size on are read on a thread of their own, beside the writing (a thread costs ~0.2 s to start). */
export const READ_ON_THREAD_FROM_BYTES = 1024 * 1024;

async function sha256Of(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Reads a register file and imports it (or dry-runs it) into an org unit: the CLI's and the worker's one call. */
export async function importRegisterFile(
  db: Executor,
  actor: Actor,
  options: {
    filePath: string;
    /** The name the user knows the file by (an upload's original name); the path's base name by default. */
    fileName?: string;
    fileSha256?: string;
    orgUnitId: string;
    dryRun: boolean;
    holdInvalidIdNumbers: boolean;
    onProgress?: (rowsDone: number) => void;
    /** Read on a thread of its own; default: for files of READ_ON_THREAD_FROM_BYTES or more. */
    readOnThread?: boolean;
    /** Layouts the user corrected (by sheet name); other sheets are detected. */
    layouts?: SheetLayout[];
    /** A saved mapping applied to the detected layouts. */
    template?: ImportTemplate;
  },
): Promise<ImportReport> {
  const fileName = options.fileName ?? path.basename(options.filePath);
  const readOptions: OpenRegisterFileOptions = {
    holdInvalidIdNumbers: options.holdInvalidIdNumbers,
    // A CSV has no sheets: its problems are reported under the file's own name.
    csvSheetName: path.basename(fileName, path.extname(fileName)),
    ...(options.layouts?.length ? { layouts: options.layouts } : {}),
    ...(options.template ? { template: options.template } : {}),
  };
  const onThread = options.readOnThread ?? (await stat(options.filePath)).size >= READ_ON_THREAD_FROM_BYTES;
  // The reading thread seals each row's ID number and phone ahead, with the subkeys of this thread.
  const file = onThread
    ? await openRegisterFileOnThread(options.filePath, readOptions, toFieldKeysMessage(installedFieldKeys()))
    : await openRegisterFile(options.filePath, readOptions);
  return importService.runImport(db, actor, {
    fileName,
    fileSha256: options.fileSha256 ?? (await sha256Of(options.filePath)),
    orgUnitId: options.orgUnitId,
    dryRun: options.dryRun,
    rows: file.rows,
    blankRows: file.blankRows,
    layouts: file.layouts,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}
