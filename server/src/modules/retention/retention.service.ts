import type { Page, PageQuery } from '@shiliuzi/shared/api';
import { addDays } from '@shiliuzi/shared/casework-visits';
import { localDateText } from '@shiliuzi/shared/dates';
import {
  retentionRecordTypes,
  retentionReportItem,
  retentionRules,
  type RetentionAction,
  type RetentionPolicy,
  type RetentionPolicyInput,
  type RetentionRecordType,
  type RetentionReportItem,
  type RetentionRun,
  type RetentionSettings,
  type RetentionTrigger,
} from '@shiliuzi/shared/retention';
import { z } from 'zod';
import { inTransaction, type Database, type Executor } from '../../db/database.ts';
import { dialectOf } from '../../db/dialect-of.ts';
import { runAsSystem } from '../../db/row-security.ts';
import { conflict, forbidden, invalidInput, isAppError, notFound } from '../../errors.ts';
import type { Actor } from '../../lib/actor.ts';
import { canRunRetention, canSetRetention, reachesWholeTree } from '../../lib/permissions.ts';
import { seal } from '../../lib/field-crypto.ts';
import { newId, nowIso } from '../../lib/ids.ts';
import { offsetOf, toPage } from '../../lib/pagination.ts';
import { anonymisedText, retentionMessages, systemActorName } from '../../locales/retention.zh-CN.ts';
import { auditService } from '../audit/audit.service.ts';
import { historyService, type EntityType } from '../history/history.service.ts';
import {
  retentionRepository as repo,
  expiries,
  type AnonymisedTable,
  type KeptRecordType,
  type PurgedTable,
  type RetentionRunRow,
} from './retention.repository.ts';
import { scheduleDaily } from '../../lib/daily-job.ts';

// Retention of records by type (docs/SECURITY.md, "Retention of records"). Each record type has a
// period, counted from the date that says the record is finished with, and an action: anonymise
// (the row stays and still counts in every figure; names, ID numbers, phones, addresses, free text,
// their blind indexes, the history's snapshots and the photos go) or delete (the row, its children,
// its history and its photo files go). The job works a batch at a time, each batch in a transaction
// of its own, and is idempotent: what it did is marked (`anonymised_at`) or gone, so a second run
// finds nothing. A dry run is the same run inside one transaction that is rolled back, its files
// left alone, so its counts are exactly what a run would do. Every run is stored with its report
// and recorded in the audit log as an act of the system.

const BATCH_SIZE = 500;

/** Whether the actor's scope is the whole tree (the top unit, or the CLI): retention is tree-wide. */
/** Reading the periods and reports, and running the job: system or security administrators of the whole tree. */
function requireOperator(actor: Actor): void {
  if (!canRunRetention(actor)) throw forbidden();
  if (!reachesWholeTree(actor)) throw forbidden('retention_whole_tree_only');
}

/** Setting the periods: the security administrator of the whole tree (a data-protection policy, 三员分立). */
function requirePolicySetter(actor: Actor): void {
  if (!canSetRetention(actor)) throw forbidden();
  if (!reachesWholeTree(actor)) throw forbidden('retention_whole_tree_only');
}

/** The periods and actions in force: what was set, else the defaults. */
async function resolvePolicies(db: Executor): Promise<RetentionPolicy[]> {
  const rows = await repo.findPolicies(db);
  const byType = new Map(rows.map((row) => [row.recordType, row]));
  return retentionRecordTypes.map((recordType) => {
    const rule = retentionRules[recordType];
    const row = byType.get(recordType);
    // A stored action the type no longer offers falls back to its default.
    const action =
      row && rule.actions.includes(row.action as RetentionAction)
        ? (row.action as RetentionAction)
        : rule.defaultAction;
    return {
      recordType,
      days: row ? Math.max(row.days, rule.minDays) : rule.defaultDays,
      action,
      isDefault: row === undefined,
      defaultDays: rule.defaultDays,
      defaultAction: rule.defaultAction,
      minDays: rule.minDays,
      actions: [...rule.actions],
      updatedAt: row?.updatedAt ?? null,
      updatedBy: row?.updatedByName ?? null,
    };
  });
}

async function getSettings(db: Executor, actor: Actor, scheduled: boolean): Promise<RetentionSettings> {
  requireOperator(actor);
  return { scheduled, policies: await resolvePolicies(db) };
}

/**
 * Sets a record type's period and action. A period below the type's minimum, or an action it does
 * not offer, is refused with the reason in Chinese; the new period applies from the next run.
 */
async function setPolicy(
  db: Executor,
  actor: Actor,
  recordType: RetentionRecordType,
  input: RetentionPolicyInput,
  scheduled: boolean,
): Promise<RetentionSettings> {
  requirePolicySetter(actor);
  const rule = retentionRules[recordType];
  if (input.days < rule.minDays)
    throw invalidInput(
      'retention_period_too_short',
      retentionMessages.periodTooShort(recordType, rule.minDays),
    );
  if (!rule.actions.includes(input.action))
    throw invalidInput(
      'retention_action_not_allowed',
      retentionMessages.actionNotAllowed(recordType, rule.actions),
    );
  return inTransaction(db, async (trx) => {
    const before = (await resolvePolicies(trx)).find((p) => p.recordType === recordType)!;
    await repo.upsertPolicy(trx, {
      recordType,
      days: input.days,
      action: input.action,
      updatedAt: nowIso(),
      updatedBy: actor.userId,
    });
    // A change of a security setting: what it was and what it became, with the change itself.
    await runAsSystem(() =>
      auditService.append(trx, [
        {
          actor,
          action: 'retention.policy',
          objectType: 'retentionPolicy',
          objectId: recordType,
          result: 'ok',
          detail: {
            before: { days: before.days, action: before.action, isDefault: before.isDefault },
            after: { days: input.days, action: input.action },
          },
        },
      ]),
    );
    return { scheduled, policies: await resolvePolicies(trx) };
  });
}

// ---------------------------------------------------------------------------------------------
// The job.

/** Where the photo files of visits are removed (the photo store of `<dataDir>/attachments`). */
export interface PhotoFiles {
  remove(storageKey: string): Promise<boolean>;
}

/** The history entries the job writes are the system's. */
const systemActor: Actor = Object.freeze({
  userId: null,
  name: systemActorName,
  orgUnitId: null,
  scopePath: '/',
  roles: [],
});

const entityTypeOf: Readonly<Record<AnonymisedTable, EntityType>> = {
  visit: 'visit',
  assistance: 'assistance',
  dispute: 'dispute',
  petition: 'petition',
  pairing: 'pairing',
  mustVisitTask: 'mustVisitTask',
  resident: 'resident',
  household: 'household',
};

/** What one batch did: records anonymised and deleted, and the photo files to remove once it commits. */
interface BatchOutcome {
  /** Candidates the batch looked at; fewer than the batch size means the type is done. */
  seen: number;
  anonymised: number;
  deleted: number;
  files: string[];
}

const none = (seen = 0): BatchOutcome => ({ seen, anonymised: 0, deleted: 0, files: [] });

/** The day's start (local time, China) as the instant timestamps are compared with. */
const startOfDay = (date: string) => new Date(`${date}T00:00:00`).toISOString();

/**
 * Replaces the personal content of these records (those that still have any), empties their
 * history's snapshots and notes the anonymisation in it; answers what was done.
 */
async function anonymiseRecords(
  trx: Executor,
  table: AnonymisedTable,
  ids: readonly string[],
  now: string,
): Promise<BatchOutcome> {
  const patches: Readonly<Record<AnonymisedTable, Record<string, unknown>>> = {
    visit: { location: null, notes: null },
    assistance: { description: null },
    dispute: { followUp: null },
    petition: { requesterName: null, requesterResidentId: null },
    pairing: { note: null },
    mustVisitTask: { note: null },
    resident: {
      name: anonymisedText,
      idNumber: null,
      idNumberHash: null,
      phone: null,
      phoneHash: null,
      phoneMasked: null,
      note: null,
      dwellingId: null,
      reviewFlag: null,
    },
    household: { householdNumber: null, address: null, note: null, dwellingId: null },
  };
  const changed = await repo.markAnonymised(trx, table, ids, patches[table], now);
  const changedIds = changed.map((row) => row.id);
  const outcome: BatchOutcome = { seen: ids.length, anonymised: changed.length, deleted: 0, files: [] };
  if (changed.length === 0) return outcome;
  // Sealed columns that must hold a value hold the stand-in, sealed for its own row.
  switch (table) {
    case 'visit': {
      const photos = await repo.findVisitPhotos(trx, changedIds);
      await repo.deletePhotos(
        trx,
        photos.map((photo) => photo.id),
      );
      outcome.files = photos.map((photo) => photo.storageKey);
      break;
    }
    case 'dispute':
      for (const id of changedIds)
        await repo.updateRow(trx, 'dispute', id, { summary: seal('dispute.summary', id, anonymisedText) });
      await repo.anonymiseDisputeParties(trx, changedIds, anonymisedText);
      for (const stepId of await repo.findDisputeStepIds(trx, changedIds))
        await repo.updateRow(trx, 'disputeStep', stepId, {
          notes: seal('dispute_step.notes', stepId, anonymisedText),
        });
      break;
    case 'petition':
      for (const id of changedIds)
        await repo.updateRow(trx, 'petition', id, { subject: seal('petition.subject', id, anonymisedText) });
      await repo.clearPetitionEventNotes(trx, changedIds);
      break;
    case 'resident':
      await repo.clearFloatingDetails(trx, changedIds);
      await repo.deleteNameGrams(trx, changedIds);
      break;
    default:
      break;
  }
  const entityType = entityTypeOf[table];
  await historyService.forgetSnapshots(trx, entityType, changedIds);
  await historyService.recordChanges(
    trx,
    systemActor,
    changed.map((row) => ({
      entityType,
      entityId: row.id,
      orgUnitId: row.orgUnitId,
      streetId: row.streetId,
      action: 'anonymise' as const,
      version: row.version,
      before: null,
      after: null,
    })),
  );
  return outcome;
}

/** Deletes these records for good, with their child rows, their history and their photo files. */
async function deleteRecords(
  trx: Executor,
  table: PurgedTable,
  ids: readonly string[],
): Promise<BatchOutcome> {
  const outcome = none(ids.length);
  if (ids.length === 0) return outcome;
  switch (table) {
    case 'visitPhoto':
      outcome.files = await repo.findPhotoFiles(trx, ids);
      break;
    case 'visit': {
      const photos = await repo.findVisitPhotos(trx, ids);
      await repo.deletePhotos(
        trx,
        photos.map((photo) => photo.id),
      );
      outcome.files = photos.map((photo) => photo.storageKey);
      await repo.deleteVisitChildren(trx, ids);
      break;
    }
    case 'dispute':
      await repo.deleteDisputeChildren(trx, ids);
      break;
    case 'petition':
      await repo.deletePetitionEvents(trx, ids);
      break;
    case 'resident':
      await repo.deleteResidentChildren(trx, ids);
      break;
    default:
      break;
  }
  if (table !== 'visitPhoto') await historyService.removeHistory(trx, entityTypeOf[table], ids);
  outcome.deleted = await repo.deleteRows(trx, table, ids);
  return outcome;
}

/** Soft-deleted rows, children before parents: a visit's photos, casework, then people and households. */
const purgeOrder: readonly PurgedTable[] = [
  'visitPhoto',
  'visit',
  'mustVisitTask',
  'assistance',
  'pairing',
  'dispute',
  'petition',
  'resident',
  'household',
];

const keptTypes = new Set<RetentionRecordType>(Object.keys(expiries) as KeptRecordType[]);

/** The batches of one record type under its policy, as functions of a transaction. */
function batchesOf(
  policy: RetentionPolicy,
  cutoff: string,
  now: string,
): ((trx: Executor) => Promise<BatchOutcome>)[] {
  const before = startOfDay(addDays(cutoff, 1));
  const { recordType, action } = policy;
  if (keptTypes.has(recordType)) {
    const type = recordType as KeptRecordType;
    const table = expiries[type].table;
    return [
      async (trx) => {
        const ids = await repo.findExpiredIds(trx, type, cutoff, action, BATCH_SIZE);
        return action === 'anonymise'
          ? anonymiseRecords(trx, table, ids, now)
          : deleteRecords(trx, table, ids);
      },
    ];
  }
  switch (recordType) {
    case 'visit_photo':
      return [
        async (trx) => {
          const photos = await repo.findExpiredPhotos(trx, cutoff, BATCH_SIZE);
          return deleteRecords(
            trx,
            'visitPhoto',
            photos.map((photo) => photo.id),
          );
        },
      ];
    case 'deleted_record':
      return purgeOrder.map((table) => async (trx) => {
        const ids = await repo.findDeletedIds(trx, table, before, BATCH_SIZE);
        if (table !== 'resident' && table !== 'household') return deleteRecords(trx, table, ids);
        // Still named by another record (a live assistance, a campaign): its content goes, the row stays.
        const free = new Set(await repo.findUnreferenced(trx, table, ids));
        const deleted = await deleteRecords(
          trx,
          table,
          ids.filter((id) => free.has(id)),
        );
        const kept = await anonymiseRecords(
          trx,
          table,
          ids.filter((id) => !free.has(id)),
          now,
        );
        return { ...deleted, seen: ids.length, anonymised: kept.anonymised, files: deleted.files };
      });
    case 'import_report':
      return [
        async (trx) => {
          const ids = await repo.findExpiredImports(trx, before, action, BATCH_SIZE);
          if (action === 'delete')
            return { ...none(ids.length), deleted: await repo.deleteImports(trx, ids) };
          for (const id of ids)
            await repo.updateRow(trx, 'importBatch', id, {
              report: seal('import_batch.report', id, '{}'),
              anonymisedAt: now,
            });
          return { ...none(ids.length), anonymised: ids.length };
        },
      ];
    case 'session':
      return [
        async (trx) => {
          const deleted = await repo.deleteEndedSessions(trx, before, BATCH_SIZE);
          return { ...none(deleted), deleted };
        },
        async (trx) => {
          const deleted = await repo.deleteStaleLoginFailures(trx, before, now, BATCH_SIZE);
          return { ...none(deleted), deleted };
        },
      ];
    default:
      throw new RangeError(`no retention batches for ${recordType}`);
  }
}

/** Work the job runs after the types in front of it: children before the records that name them. */
const runOrder: readonly RetentionRecordType[] = [
  'session',
  'import_report',
  'visit',
  'visit_photo',
  'assistance',
  'dispute',
  'petition',
  'hotline',
  'pairing',
  'must_visit',
  'moved_out_resident',
  'deleted_record',
];

class DryRunRollback extends Error {}

export interface RetentionRunOptions {
  trigger: RetentionTrigger;
  /** Who asked (the CLI actor, a signed-in administrator); none for the daily run. */
  actor?: Actor | undefined;
  dryRun: boolean;
  photos: PhotoFiles;
  /** Today, for the cutoffs (tests). */
  now?: Date;
}

/**
 * Applies every record type's policy and answers the report (also stored, and recorded in the audit
 * log). Real runs commit a batch at a time and remove a batch's photo files once it has committed;
 * a dry run rolls everything back and removes nothing. A failure stops the run: the report keeps
 * what was done before it, with the reason.
 */
async function runRetention(db: Executor, options: RetentionRunOptions): Promise<RetentionRun> {
  return runAsSystem(async () => {
    const startedAt = nowIso();
    const now = options.now ?? new Date();
    const today = localDateText(now);
    const policies = await resolvePolicies(db);
    const items: RetentionReportItem[] = [];
    let error: string | null = null;

    const work = async (executor: Executor) => {
      for (const recordType of runOrder) {
        const policy = policies.find((p) => p.recordType === recordType)!;
        const cutoff = addDays(today, -policy.days);
        const item: RetentionReportItem = {
          recordType,
          action: policy.action,
          days: policy.days,
          cutoff,
          anonymised: 0,
          deleted: 0,
          filesRemoved: 0,
        };
        items.push(item);
        for (const batch of batchesOf(policy, cutoff, startedAt)) {
          for (;;) {
            const outcome = await inTransaction(executor, batch);
            item.anonymised += outcome.anonymised;
            item.deleted += outcome.deleted;
            if (options.dryRun) item.filesRemoved += outcome.files.length;
            else
              for (const key of outcome.files) if (await options.photos.remove(key)) item.filesRemoved += 1;
            if (outcome.seen < BATCH_SIZE) break;
          }
        }
      }
    };

    try {
      if (options.dryRun) {
        await db
          .transaction()
          .execute(async (trx) => {
            await work(trx);
            throw new DryRunRollback();
          })
          .catch((caught: unknown) => {
            if (!(caught instanceof DryRunRollback)) throw caught;
          });
      } else {
        await work(db);
      }
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
    }

    const run: RetentionRun = {
      id: newId(),
      startedAt,
      finishedAt: nowIso(),
      trigger: options.trigger,
      dryRun: options.dryRun,
      actorName: options.actor?.name ?? systemActorName,
      status: error === null ? 'ok' : 'failed',
      items,
      error,
    };
    await repo.insertRun(db, {
      id: run.id,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      trigger: run.trigger,
      dryRun: dialectOf(db).bool(run.dryRun),
      actorId: options.actor?.userId ?? null,
      actorName: run.actorName,
      status: run.status,
      report: JSON.stringify(run.items),
      error: run.error,
    });
    await auditService.append(db, [
      {
        username: systemActorName,
        action: run.dryRun ? 'retention.preview' : 'retention.run',
        objectType: 'retentionRun',
        objectId: run.id,
        result: run.status === 'ok' ? 'ok' : 'failed',
        reason: run.error ?? undefined,
        detail: {
          trigger: run.trigger,
          requestedBy: options.actor?.name ?? null,
          items: run.items.map((i) => ({
            recordType: i.recordType,
            action: i.action,
            cutoff: i.cutoff,
            anonymised: i.anonymised,
            deleted: i.deleted,
            filesRemoved: i.filesRemoved,
          })),
        },
      },
    ]);
    return run;
  });
}

// One run at a time in a process: a run asked for while another is going is refused (a second
// process's run would find the first one's work done, batch by batch).
let running: Promise<unknown> | undefined;

async function exclusive<T>(work: () => Promise<T>): Promise<T> {
  if (running) throw conflict('retention_running');
  const current = work();
  running = current;
  try {
    return await current;
  } finally {
    running = undefined;
  }
}

/** A run asked for by an administrator (the web page) or the CLI; checked, then run as the system. */
async function requestRun(
  db: Executor,
  actor: Actor,
  options: Omit<RetentionRunOptions, 'actor'>,
): Promise<RetentionRun> {
  requireOperator(actor);
  return exclusive(() => runRetention(db, { ...options, actor }));
}

const storedItems = z.array(retentionReportItem);

function toRun(row: RetentionRunRow): RetentionRun {
  return {
    id: row.id,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    trigger: row.trigger as RetentionTrigger,
    dryRun: Boolean(row.dryRun),
    actorName: row.actorName,
    status: row.status === 'ok' ? 'ok' : 'failed',
    items: storedItems.parse(JSON.parse(row.report)),
    error: row.error,
  };
}

/** The reports of past runs, newest first. */
async function listRuns(db: Executor, actor: Actor, page: PageQuery): Promise<Page<RetentionRun>> {
  requireOperator(actor);
  const { rows, total } = await repo.findRuns(db, offsetOf(page), page.pageSize);
  return toPage(rows.map(toRun), total, page);
}

async function getRun(db: Executor, actor: Actor, id: string): Promise<RetentionRun> {
  requireOperator(actor);
  const row = await repo.findRun(db, id);
  if (!row) throw notFound('retention_run_not_found');
  return toRun(row);
}

export const retentionService = Object.freeze({
  getSettings,
  setPolicy,
  runRetention,
  requestRun,
  listRuns,
  getRun,
});

/**
 * The daily run of a server (RETENTION_SCHEDULE=daily): two minutes after start (after the audit
 * log's own retention), then every day. A failure is logged and stored in the run's report.
 */
export function startRecordRetention(
  database: Database,
  photos: PhotoFiles,
  log: { info: (o: object, m: string) => void; error: (o: object, m: string) => void },
): { stop: () => void } {
  const run = async () => {
    try {
      const report = await exclusive(() =>
        runRetention(database.db, { trigger: 'schedule', dryRun: false, photos }),
      );
      const counts = report.items.filter((i) => i.anonymised + i.deleted + i.filesRemoved > 0);
      if (report.status === 'failed')
        log.error({ run: report.id, error: report.error }, 'record retention failed');
      else if (counts.length > 0)
        log.info({ run: report.id, items: counts }, 'record retention: expired records handled');
    } catch (error) {
      // A run asked for from the web page or the CLI meanwhile does the same work.
      if (isAppError(error) && error.code === 'retention_running')
        log.info({}, 'record retention: already running');
      else log.error({ err: error }, 'record retention failed');
    }
  };
  return scheduleDaily(120_000, run);
}
