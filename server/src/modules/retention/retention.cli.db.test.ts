import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RetentionRun } from '@shiliuzi/shared/retention';
import { cliEnv, cliRunner } from '../../../test/cli.ts';
import { buildTestTree } from '../../../test/fixtures.ts';
import { seedRetentionCohort, type RetentionCohort } from '../../../test/retention-fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { createPhotoStore } from '../visits/visit-photo.store.ts';

let t: TestDatabase;
/** The data dir the CLI keeps photos under (the SQLite one, or a folder of its own beside PostgreSQL). */
let dataDir: string;
let cohort: RetentionCohort;
const { cli } = cliRunner(() => ({ ...cliEnv(t), SHILIUZI_DATA_DIR: dataDir }));

beforeAll(async () => {
  t = await createTestDatabase();
  dataDir = t.dataDir ?? mkdtempSync(path.join(tmpdir(), 'shiliuzi-retention-cli-'));
  const tree = await buildTestTree(t.database, 'RC');
  const photos = createPhotoStore(path.join(dataDir, 'attachments'));
  cohort = await seedRetentionCohort(t.database.db, photos, tree.communityA, '甲', 1, true);
}, 120_000);

afterAll(async () => {
  await t?.cleanup();
  if (!t?.dataDir && dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const photoFile = (key: string) => path.join(dataDir, 'attachments', key);
const totals = (run: RetentionRun) =>
  run.items.reduce((sum, i) => sum + i.anonymised + i.deleted + i.filesRemoved, 0);

describe('shiliuzi retention run', () => {
  it('previews with --dry-run, then applies the periods and prints the report, then finds nothing left', async () => {
    const preview = JSON.parse(await cli('retention', 'run', '--dry-run', '--json')) as RetentionRun;
    expect(preview).toMatchObject({ dryRun: true, trigger: 'cli', actorName: 'cli', status: 'ok' });
    expect(preview.items.find((i) => i.recordType === 'moved_out_resident')).toMatchObject({ anonymised: 2 });
    expect(existsSync(photoFile(cohort.photoKeys.visit))).toBe(true);
    const head = () =>
      t.database.db
        .selectFrom('resident')
        .select('name')
        .where('id', '=', cohort.headId)
        .executeTakeFirstOrThrow();
    expect((await head()).name).toBe('甲迁出户主');

    const text = await cli('retention', 'run');
    expect(text).toContain('数据保留任务已执行：');
    expect(text).toContain('迁出居民的个人信息：保留 1095 天后匿名化');
    expect(text).toContain('已匿名化 2 条');
    expect((await head()).name).toBe('（已匿名）');
    expect(existsSync(photoFile(cohort.photoKeys.visit))).toBe(false);
    expect(existsSync(photoFile(cohort.photoKeys.deletedVisit))).toBe(false);

    const again = JSON.parse(await cli('retention', 'run', '--json')) as RetentionRun;
    expect(again.status).toBe('ok');
    expect(totals(again)).toBe(0);
    expect(totals(preview)).toBeGreaterThan(10);
  }, 180_000);
});
