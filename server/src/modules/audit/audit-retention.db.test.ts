import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { auditService } from './audit.service.ts';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});

afterAll(async () => {
  await t?.cleanup();
});

const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();
const event = (at: string, action: string) => ({ at, action, result: 'ok' as const, username: 'clerk' });

async function actions() {
  const rows = await t.database.db.selectFrom('auditLog').select('action').orderBy('seq').execute();
  return rows.map((row) => row.action);
}

describe('audit retention', () => {
  it('removes only rows past the retention period, never one younger than 180 days, and the chain still verifies', async () => {
    const db = t.database.db;
    await auditService.append(db, [
      event(daysAgo(400), 'old.1'),
      event(daysAgo(390), 'old.2'),
      event(daysAgo(200), 'old.3'),
      event(daysAgo(100), 'recent.1'),
    ]);
    await auditService.append(db, [event(daysAgo(1), 'recent.2')]);

    await expect(auditService.prune(db, 90)).rejects.toThrow(/at least 180 days/);
    // The database itself refuses to delete a row younger than 180 days, whoever asks.
    await expect(sql`delete from audit_log where action = 'recent.1'`.execute(db)).rejects.toThrow(
      /append-only/,
    );

    expect(await auditService.prune(db, 365)).toMatchObject({ removed: 2 });
    expect(await actions()).toEqual(['old.3', 'recent.1', 'recent.2']);
    expect(await auditService.verify(db)).toEqual({ rows: 3 });

    expect(await auditService.prune(db, 180)).toMatchObject({ removed: 1 });
    expect(await auditService.verify(db)).toEqual({ rows: 2 });
    expect(await auditService.prune(db, 180)).toMatchObject({ removed: 0 });

    // The chain goes on from where it was: new rows link to the last kept one.
    await auditService.append(db, [event(daysAgo(0), 'after.prune')]);
    expect(await actions()).toEqual(['recent.1', 'recent.2', 'after.prune']);
    expect(await auditService.verify(db)).toEqual({ rows: 3 });
  });

  it('notices an old row removed behind the job, out of turn', async () => {
    const db = t.database.db;
    await auditService.append(db, [event(daysAgo(300), 'stale.1'), event(daysAgo(299), 'stale.2')]);
    // Old enough for the guard, but taken from the middle of the chain rather than by the job.
    const later = await db
      .selectFrom('auditLog')
      .select('seq')
      .where('action', '=', 'stale.1')
      .executeTakeFirstOrThrow();
    await sql`delete from audit_log where action = 'stale.1'`.execute(db);
    expect((await auditService.verify(db)).firstBad).toEqual({ seq: Number(later.seq), problem: 'gap' });
  });
});
