import path from 'node:path';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { cliActor } from '../../lib/actor.ts';
import { retentionMessages } from '../../locales/retention.zh-CN.ts';
import { createPhotoStore } from '../visits/visit-photo.store.ts';
import { retentionService, startRecordRetention } from './retention.service.ts';

/**
 * `npx shiliuzi retention run [--dry-run] [--json]`: applies the retention periods now (or shows
 * what it would do), prints the report, and answers whether the run went through.
 */
export async function runRetentionCommand(
  database: Database,
  config: Pick<Config, 'dataDir' | 'attachmentMaxBytes'>,
  options: { dryRun?: boolean; json?: boolean },
): Promise<boolean> {
  const photos = createPhotoStore(path.join(config.dataDir, 'attachments'), config.attachmentMaxBytes);
  const run = await retentionService.requestRun(database.db, cliActor, {
    trigger: 'cli',
    dryRun: options.dryRun === true,
    photos,
  });
  console.log(options.json ? JSON.stringify(run, null, 2) : retentionMessages.summary(run));
  return run.status === 'ok';
}

/** The daily run of `serve` (RETENTION_SCHEDULE=daily); nothing when it is off. */
export function startScheduledRetention(
  database: Database,
  config: Pick<Config, 'dataDir' | 'attachmentMaxBytes' | 'retentionSchedule'>,
  log: { info: (o: object, m: string) => void; error: (o: object, m: string) => void },
): { stop: () => void } | undefined {
  if (config.retentionSchedule === 'off') return undefined;
  const photos = createPhotoStore(path.join(config.dataDir, 'attachments'), config.attachmentMaxBytes);
  return startRecordRetention(database, photos, log);
}
