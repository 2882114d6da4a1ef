import type { ChangeAction, ChangeEntry } from '@shiliuzi/shared/api';
import type { Executor } from '../../db/database.ts';
import type { ChangeLogRow } from '../../db/schema.ts';
import type { Actor } from '../../lib/actor.ts';
import { newId, nowIso } from '../../lib/ids.ts';
import { historyRepository } from './history.repository.ts';

export type EntityType =
  | 'orgUnit'
  | 'place'
  | 'household'
  | 'resident'
  | 'user'
  | 'dispute'
  | 'petition'
  | 'visit'
  | 'visitCampaign'
  | 'mustVisitTask'
  | 'pairing'
  | 'assistance';

export interface Change {
  entityType: EntityType;
  entityId: string;
  orgUnitId: string | null;
  streetId: string | null;
  action: ChangeAction;
  /** Version of the record after the change. */
  version: number;
  before: object | null;
  after: object | null;
}

type Snapshot = Record<string, unknown>;

/** Keeps only the fields that differ, so an update's history says exactly what changed. */
export function diffSnapshots(before: Snapshot, after: Snapshot): { before: Snapshot; after: Snapshot } {
  const changedBefore: Snapshot = {};
  const changedAfter: Snapshot = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (['version', 'updatedAt', 'createdAt'].includes(key)) continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      changedBefore[key] = before[key] ?? null;
      changedAfter[key] = after[key] ?? null;
    }
  }
  return { before: changedBefore, after: changedAfter };
}

/** The history row of a change by `actor`, now. */
export function changeRow(actor: Actor, change: Change): ChangeLogRow {
  return {
    id: newId(),
    entityType: change.entityType,
    entityId: change.entityId,
    orgUnitId: change.orgUnitId,
    streetId: change.streetId,
    action: change.action,
    version: change.version,
    actorId: actor.userId,
    actorName: actor.name,
    at: nowIso(),
    before: change.before === null ? null : JSON.stringify(change.before),
    after: change.after === null ? null : JSON.stringify(change.after),
  };
}

/** Records who changed what and when, in the caller's transaction. */
async function recordChange(db: Executor, actor: Actor, change: Change): Promise<void> {
  await historyRepository.insertChange(db, changeRow(actor, change));
}

/** Records many changes by `actor` at once (a bulk write), in the caller's transaction and order. */
async function recordChanges(db: Executor, actor: Actor, changes: Change[]): Promise<void> {
  await historyRepository.insertChanges(
    db,
    changes.map((change) => changeRow(actor, change)),
  );
}

/**
 * The history of one record, newest first. The caller has already checked the record is in scope.
 * Snapshots are stored with ID numbers and phones already masked (see recordChange callers).
 */
async function listChanges(
  db: Executor,
  entityType: EntityType,
  entityId: string,
  limit = 200,
): Promise<ChangeEntry[]> {
  const rows = await historyRepository.findChanges(db, entityType, entityId, limit);
  return rows.map((row) => ({
    id: row.id,
    action: row.action as ChangeAction,
    version: row.version,
    actorName: row.actorName,
    at: row.at,
    before: row.before === null ? null : (JSON.parse(row.before) as Snapshot),
    after: row.after === null ? null : (JSON.parse(row.after) as Snapshot),
  }));
}

export const historyService = Object.freeze({ recordChange, recordChanges, listChanges });
