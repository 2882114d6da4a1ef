import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { ImportReport } from '@shiliuzi/shared/imports';
import type { Executor } from '../../db/database.ts';
import type { Actor } from '../../lib/actor.ts';
import { importService } from './import.service.ts';
import { openRegisterFile } from './reading/register-file.ts';

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
  },
): Promise<ImportReport> {
  const fileName = options.fileName ?? path.basename(options.filePath);
  const file = await openRegisterFile(options.filePath, {
    holdInvalidIdNumbers: options.holdInvalidIdNumbers,
    // A CSV has no sheets: its problems are reported under the file's own name.
    csvSheetName: path.basename(fileName, path.extname(fileName)),
  });
  return importService.runImport(db, actor, {
    fileName,
    fileSha256: options.fileSha256 ?? (await sha256Of(options.filePath)),
    orgUnitId: options.orgUnitId,
    dryRun: options.dryRun,
    rows: file.rows,
    blankRows: file.blankRows,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}
