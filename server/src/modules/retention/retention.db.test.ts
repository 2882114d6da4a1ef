import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RetentionReportItem, RetentionRun } from '@shiliuzi/shared/retention';
import { buildTestTree, type TestTree } from '../../../test/fixtures.ts';
import { daysAgo, seedRetentionCohort, type RetentionCohort } from '../../../test/retention-fixtures.ts';
import { createTestDatabase, testDialect, type TestDatabase } from '../../../test/test-database.ts';
import { sealedTables } from '../../db/sealed-fields.ts';
import { cliActor } from '../../lib/actor.ts';
import { openField, unseal } from '../../lib/field-crypto.ts';
import { anonymisedText } from '../../locales/retention.zh-CN.ts';
import { historyService } from '../history/history.service.ts';
import { disputePetitionStatisticsService } from '../statistics/dispute-petition.service.ts';
import { statisticsService } from '../statistics/statistics.service.ts';
import { createPhotoStore, type PhotoStore } from '../visits/visit-photo.store.ts';
import { visitService } from '../visits/visit.service.ts';
import { retentionService } from './retention.service.ts';

let t: TestDatabase;
let tree: TestTree;
let attachments: string;
let photos: PhotoStore;
/** Past every default period (甲, community A) and just short of it (乙, community B). */
let expired: RetentionCohort;
let kept: RetentionCohort;

beforeAll(async () => {
  t = await createTestDatabase();
  tree = await buildTestTree(t.database, 'R');
  attachments = mkdtempSync(path.join(tmpdir(), 'shiliuzi-retention-'));
  photos = createPhotoStore(attachments);
  expired = await seedRetentionCohort(t.database.db, photos, tree.communityA, '甲', 1, true);
  kept = await seedRetentionCohort(t.database.db, photos, tree.communityB, '乙', 2, false);
}, 120_000);

afterAll(async () => {
  await t?.cleanup();
  if (attachments) rmSync(attachments, { recursive: true, force: true });
});

const run = (dryRun: boolean) =>
  retentionService.requestRun(t.database.db, cliActor, { trigger: 'cli', dryRun, photos });

/** The report's figures by record type, without the cutoffs (they follow from today). */
const countsOf = (report: RetentionRun) =>
  Object.fromEntries(
    report.items.map((i: RetentionReportItem) => [
      i.recordType,
      { action: i.action, anonymised: i.anonymised, deleted: i.deleted, filesRemoved: i.filesRemoved },
    ]),
  );

const nothing = { anonymised: 0, deleted: 0, filesRemoved: 0 };

/** What the first run does to the two cohorts under the default periods. */
const expectedCounts = {
  session: { action: 'delete', anonymised: 0, deleted: 2, filesRemoved: 0 },
  import_report: { action: 'anonymise', anonymised: 1, deleted: 0, filesRemoved: 0 },
  visit: { action: 'anonymise', anonymised: 1, deleted: 0, filesRemoved: 1 },
  // The old visit of 乙 (kept itself) and the recent visit of 甲 are past the photos' three years.
  visit_photo: { action: 'delete', anonymised: 0, deleted: 2, filesRemoved: 2 },
  assistance: { action: 'anonymise', anonymised: 1, deleted: 0, filesRemoved: 0 },
  dispute: { action: 'anonymise', anonymised: 1, deleted: 0, filesRemoved: 0 },
  petition: { action: 'anonymise', anonymised: 1, deleted: 0, filesRemoved: 0 },
  hotline: { action: 'anonymise', anonymised: 1, deleted: 0, filesRemoved: 0 },
  pairing: { action: 'anonymise', anonymised: 1, deleted: 0, filesRemoved: 0 },
  must_visit: { action: 'anonymise', anonymised: 1, deleted: 0, filesRemoved: 0 },
  moved_out_resident: { action: 'anonymise', anonymised: 2, deleted: 0, filesRemoved: 0 },
  // The deleted visit (and its photo) and the deleted resident go; the one an application names stays, anonymised.
  deleted_record: { action: 'delete', anonymised: 1, deleted: 2, filesRemoved: 1 },
};

async function tableNames(): Promise<string[]> {
  const db = t.database.db;
  const { rows } =
    testDialect === 'postgres'
      ? await sql<{
          name: string;
        }>`select tablename as name from pg_tables where schemaname = 'public' order by 1`.execute(db)
      : await sql<{
          name: string;
        }>`select name from sqlite_schema where type = 'table' and name not like 'sqlite_%' order by 1`.execute(
          db,
        );
  return rows.map((row) => row.name);
}

/**
 * Everything the database holds as text: every row of every table, and every sealed value opened.
 * `except` leaves out tables a dry run is allowed to write (its own report, the audit trail).
 */
async function databaseText(except: string[] = []): Promise<string> {
  const db = t.database.db;
  const parts: string[] = [];
  for (const table of await tableNames()) {
    if (except.includes(table)) continue;
    const { rows } = await sql.raw(`select * from ${table} order by 1`).execute(db);
    parts.push(`${table}: ${JSON.stringify(rows)}`);
  }
  for (const spec of sealedTables) {
    const rows = await (db as any)
      .selectFrom(spec.table)
      .select([spec.key, ...spec.columns.map((c) => c.column)])
      .execute();
    for (const row of rows) {
      for (const column of spec.columns) {
        const value = row[column.column];
        if (value !== null) parts.push(unseal(column.sealed, String(row[spec.key]), value));
      }
    }
  }
  return parts.join('\n');
}

/** Which of a cohort's values the database still holds. */
async function markersFound(cohort: RetentionCohort): Promise<string[]> {
  const text = await databaseText();
  return [...cohort.markers].filter(([value]) => text.includes(value)).map(([, what]) => what);
}

/** The registry, casework, dispute and petition figures of the district for a period. */
async function figures(period: { from: string; to: string }) {
  const db = t.database.db;
  const unit = tree.district.id;
  return {
    registry: await statisticsService.computeRegistryStatistics(db, cliActor, unit, period),
    casework: await statisticsService.computeCaseworkStatistics(db, cliActor, unit, period),
    disputesPetitions: await disputePetitionStatisticsService.computeDisputePetitionStatistics(
      db,
      cliActor,
      unit,
      period,
    ),
  };
}

/** The expired cohort's casework, and its couple still living there (before moving out). */
const caseworkPeriod = () => ({ from: daysAgo(2100), to: daysAgo(1940) });
/** The expired cohort's hotline call and the couple's moving out. */
const movesPeriod = () => ({ from: daysAgo(1200), to: daysAgo(1050) });

const fileOf = (key: string) => path.join(attachments, key);

let figuresBefore: { casework: unknown; moves: unknown };
let dryRun: RetentionRun;

describe('record retention', () => {
  it('a dry run reports what a run would do and changes nothing', async () => {
    figuresBefore = { casework: await figures(caseworkPeriod()), moves: await figures(movesPeriod()) };
    // Control: the figures of the past periods hold the expired cohort's records.
    const casework = figuresBefore.casework as Awaited<ReturnType<typeof figures>>;
    expect(casework.casework.visits.total).toBeGreaterThanOrEqual(1);
    expect(casework.casework.mustVisits.doneOnTime + casework.casework.mustVisits.doneLate).toBe(1);
    expect(casework.casework.pairings).toMatchObject({ active: 1, contactedInTime: 1 });
    expect(casework.registry.interEthnicCouples).toBe(2);
    expect(casework.disputesPetitions.disputes.found).toBe(1);
    expect(casework.disputesPetitions.petitions.received).toBe(1);
    const moves = figuresBefore.moves as Awaited<ReturnType<typeof figures>>;
    expect(moves.registry.movedOut).toBe(2);
    expect(moves.disputesPetitions.hotline.received).toBe(1);

    const before = await databaseText(['retention_run', 'audit_log', 'audit_head']);
    dryRun = await run(true);
    expect(dryRun).toMatchObject({ dryRun: true, status: 'ok', trigger: 'cli', error: null });
    expect(countsOf(dryRun)).toEqual(expectedCounts);
    expect(dryRun.items.find((i) => i.recordType === 'visit')).toMatchObject({
      days: 1825,
      cutoff: daysAgo(1825),
    });
    expect(await databaseText(['retention_run', 'audit_log', 'audit_head'])).toBe(before);
    for (const key of [...Object.values(expired.photoKeys), ...Object.values(kept.photoKeys)])
      expect(existsSync(fileOf(key)), key).toBe(true);
  });

  it('a run does what the dry run said, and a second run does nothing', async () => {
    const first = await run(false);
    expect(first).toMatchObject({ dryRun: false, status: 'ok' });
    expect(countsOf(first)).toEqual(countsOf(dryRun));
    const second = await run(false);
    expect(second.status).toBe('ok');
    for (const item of second.items) expect(item, item.recordType).toMatchObject(nothing);
  });

  it('leaves no name, ID number, phone or text of an expired record anywhere in the database', async () => {
    expect(await markersFound(expired)).toEqual([]);
    // Control: the same kinds of value of records not yet expired are all still there.
    expect(await markersFound(kept)).toEqual([...kept.markers.values()]);
  });

  it('keeps the figures of past periods equal', async () => {
    expect(await figures(caseworkPeriod())).toEqual(figuresBefore.casework);
    expect(await figures(movesPeriod())).toEqual(figuresBefore.moves);
  });

  it('keeps anonymised rows countable: dates, org unit, categories, ethnicity and links stay', async () => {
    const db = t.database.db;
    const head = await db
      .selectFrom('resident')
      .selectAll()
      .where('id', '=', expired.headId)
      .executeTakeFirstOrThrow();
    expect(head).toMatchObject({
      name: anonymisedText,
      idNumber: null,
      idNumberHash: null,
      phone: null,
      phoneHash: null,
      phoneMasked: null,
      note: null,
      ethnicityCode: '01',
      orgUnitId: tree.communityA.id,
      householdId: expired.householdId,
      relationToHead: 'head',
      residenceType: 'floating',
      movedOutOn: daysAgo(1100),
    });
    expect(head.birthDate).not.toBeNull();
    expect(head.anonymisedAt).not.toBeNull();
    const floating = await db
      .selectFrom('floatingResident')
      .selectAll()
      .where('residentId', '=', expired.headId)
      .executeTakeFirstOrThrow();
    expect(floating).toMatchObject({
      reason: 'trade',
      originAddress: null,
      stall: null,
      landlordPhone: null,
    });
    const grams = await db
      .selectFrom('residentNameGram')
      .select('gram')
      .where('residentId', '=', expired.headId)
      .execute();
    expect(grams).toEqual([]);

    const visit = await visitService.getVisit(db, cliActor, expired.visitId);
    expect(visit).toMatchObject({
      purpose: 'hospitalised',
      visitedOn: daysAgo(1950),
      amountFen: 20000,
      notes: null,
      location: null,
      photos: [],
    });
    expect(visit.residents.map((r) => r.id)).toEqual([expired.headId]);
    const history = await historyService.listChanges(db, 'visit', expired.visitId);
    expect(history[0]).toMatchObject({ action: 'anonymise', actorName: '系统', before: null, after: null });
    expect(history.length).toBeGreaterThan(1);
    for (const entry of history) expect(entry).toMatchObject({ before: null, after: null });

    const party = await db
      .selectFrom('disputeParty')
      .selectAll()
      .where('disputeId', '=', expired.disputeId)
      .orderBy('position')
      .execute();
    expect(party.map((p) => [p.name, p.ethnicityCode, p.residentId])).toEqual([
      [anonymisedText, '01', null],
      [anonymisedText, '05', null],
    ]);
    const petition = await db
      .selectFrom('petition')
      .selectAll()
      .where('id', '=', expired.petitionId)
      .executeTakeFirstOrThrow();
    expect(openField('petition.subject', petition.id, petition.subject)).toBe(anonymisedText);
    expect(petition).toMatchObject({
      channel: 'visit',
      status: 'done',
      requesterName: null,
      handlingDays: 90,
    });

    // Records not yet expired are as they were.
    const keptVisit = await visitService.getVisit(db, cliActor, kept.visitId);
    expect(keptVisit.notes).toBe('乙走访记录');
    expect(keptVisit.photos).toEqual([]); // its photo was past the photos' period
    const keptRecent = await visitService.getVisit(db, cliActor, kept.photoVisitId);
    expect(keptRecent.photos).toHaveLength(1);
  });

  it('deletes soft-deleted rows past their period with their history and files, unless still named', async () => {
    const db = t.database.db;
    const residents = await db
      .selectFrom('resident')
      .select(['id', 'name', 'deletedAt'])
      .where('id', 'in', [expired.deletedResidentId, expired.referencedResidentId, kept.deletedResidentId])
      .execute();
    expect(residents.map((r) => r.id).sort()).toEqual(
      [expired.referencedResidentId, kept.deletedResidentId].sort(),
    );
    expect(residents.find((r) => r.id === expired.referencedResidentId)!.name).toBe(anonymisedText);
    expect(residents.find((r) => r.id === kept.deletedResidentId)!.name).toBe('乙已删居民');
    for (const table of ['visitVisitor', 'visitSubject', 'visitPhoto'] as const) {
      const rows = await db
        .selectFrom(table)
        .select('visitId')
        .where('visitId', '=', expired.deletedVisitId)
        .execute();
      expect(rows, table).toEqual([]);
    }
    const changes = await db
      .selectFrom('changeLog')
      .select('id')
      .where('entityId', 'in', [expired.deletedVisitId, expired.deletedResidentId])
      .execute();
    expect(changes).toEqual([]);
    expect(existsSync(fileOf(expired.photoKeys.deletedVisit))).toBe(false);
    expect(existsSync(fileOf(expired.photoKeys.visit))).toBe(false);
    expect(existsSync(fileOf(expired.photoKeys.photoVisit))).toBe(false);
    expect(existsSync(fileOf(kept.photoKeys.photoVisit))).toBe(true);
    expect(existsSync(fileOf(kept.photoKeys.deletedVisit))).toBe(true);
  });

  it('anonymises again a record that was changed after it was anonymised', async () => {
    const db = t.database.db;
    const visit = await visitService.getVisit(db, cliActor, expired.visitId);
    await visitService.updateVisit(db, cliActor, expired.visitId, {
      version: visit.version,
      notes: '甲补记',
    });
    const report = await run(false);
    expect(countsOf(report).visit).toMatchObject({ anonymised: 1 });
    expect((await visitService.getVisit(db, cliActor, expired.visitId)).notes).toBeNull();
    expect(await databaseText()).not.toContain('甲补记');
  });

  it('stores every report and records every run in the audit log as the system', async () => {
    const runs = await retentionService.listRuns(t.database.db, cliActor, {
      page: 1,
      pageSize: 10,
      order: 'desc',
    });
    expect(runs.total).toBe(4);
    expect(runs.items.map((r) => r.dryRun)).toEqual([false, false, false, true]);
    expect(runs.items[3]!.id).toBe(dryRun.id);
    expect(await retentionService.getRun(t.database.db, cliActor, dryRun.id)).toEqual(dryRun);
    const audit = await t.database.db
      .selectFrom('auditLog')
      .select(['action', 'username', 'objectId', 'result'])
      .where('action', 'like', 'retention.%')
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => [a.action, a.username, a.result])).toEqual([
      ['retention.preview', '系统', 'ok'],
      ['retention.run', '系统', 'ok'],
      ['retention.run', '系统', 'ok'],
      ['retention.run', '系统', 'ok'],
    ]);
    expect(audit[0]!.objectId).toBe(dryRun.id);
  });

  it('refuses, in Chinese, a period below the minimum of its type or an action the type does not offer', async () => {
    const db = t.database.db;
    await expect(
      retentionService.setPolicy(db, cliActor, 'visit', { days: 100, action: 'anonymise' }, true),
    ).rejects.toMatchObject({
      status: 400,
      code: 'retention_period_too_short',
      message: '走访慰问记录的保留期限不得少于 730 天',
    });
    await expect(
      retentionService.setPolicy(db, cliActor, 'moved_out_resident', { days: 2000, action: 'delete' }, true),
    ).rejects.toMatchObject({
      status: 400,
      code: 'retention_action_not_allowed',
      message: '迁出居民的个人信息到期后只能匿名化',
    });
    const settings = await retentionService.getSettings(db, cliActor, true);
    expect(settings.policies.every((p) => p.isDefault)).toBe(true);
  });

  it('deletes expired casework with its children and history when the action is delete', async () => {
    const db = t.database.db;
    for (const recordType of ['visit', 'assistance', 'dispute', 'petition', 'pairing', 'must_visit'] as const)
      await retentionService.setPolicy(db, cliActor, recordType, { days: 1800, action: 'delete' }, true);
    // 甲's call was answered 1,100 days ago, 乙's 1,000.
    await retentionService.setPolicy(db, cliActor, 'hotline', { days: 1050, action: 'delete' }, true);
    const settings = await retentionService.getSettings(db, cliActor, true);
    expect(settings.policies.find((p) => p.recordType === 'visit')).toMatchObject({
      days: 1800,
      action: 'delete',
      isDefault: false,
    });

    const report = await run(false);
    expect(countsOf(report)).toMatchObject({
      visit: { action: 'delete', deleted: 1 },
      assistance: { deleted: 1 },
      dispute: { deleted: 1 },
      petition: { deleted: 1 },
      hotline: { deleted: 1 },
      pairing: { deleted: 1 },
      must_visit: { deleted: 1 },
    });
    const gone = async (
      table: 'visit' | 'dispute' | 'petition' | 'pairing' | 'assistance' | 'mustVisitTask',
      id: string,
    ) => (await db.selectFrom(table).select('id').where('id', '=', id).execute()).length === 0;
    expect(await gone('visit', expired.visitId)).toBe(true);
    expect(await gone('dispute', expired.disputeId)).toBe(true);
    expect(await gone('petition', expired.petitionId)).toBe(true);
    expect(await gone('petition', expired.hotlineId)).toBe(true);
    expect(await gone('pairing', expired.pairingId)).toBe(true);
    expect(await gone('assistance', expired.assistanceId)).toBe(true);
    expect(await gone('mustVisitTask', expired.taskId)).toBe(true);
    expect(await gone('visit', kept.visitId)).toBe(false);
    const children = await Promise.all([
      db.selectFrom('disputeParty').select('id').where('disputeId', '=', expired.disputeId).execute(),
      db.selectFrom('disputeStep').select('id').where('disputeId', '=', expired.disputeId).execute(),
      db.selectFrom('petitionEvent').select('id').where('petitionId', '=', expired.petitionId).execute(),
      db.selectFrom('visitSubject').select('visitId').where('visitId', '=', expired.visitId).execute(),
      db
        .selectFrom('changeLog')
        .select('id')
        .where('entityId', 'in', [expired.visitId, expired.disputeId, expired.petitionId, expired.taskId])
        .execute(),
    ]);
    expect(children.flat()).toEqual([]);
    // Deleting is not anonymising: the past period's figures lose these records.
    const after = await figures(caseworkPeriod());
    expect(after.casework.visits.total).toBe(0);
    expect(after.disputesPetitions.disputes.found).toBe(0);
    expect((await run(false)).items.every((i) => i.anonymised + i.deleted + i.filesRemoved === 0)).toBe(true);
  });
});
