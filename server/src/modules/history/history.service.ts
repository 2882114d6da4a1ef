import type { ChangeAction, ChangeEntry } from '@shiliuzi/shared/api';
import type { Executor } from '../../db/database.ts';
import type { ChangeLogRow } from '../../db/schema.ts';
import type { Actor } from '../../lib/actor.ts';
import { isUnreadableStandIn, sealNullable, showField, type SealedColumn } from '../../lib/field-crypto.ts';
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

export type Snapshot = Record<string, unknown>;

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

/**
 * The history row of a change by `actor`, now. The before and after snapshots are stored sealed
 * (field-level encryption): they hold what the record held, casework text included.
 */
export function changeRow(actor: Actor, change: Change): ChangeLogRow {
  const id = newId();
  return {
    id,
    entityType: change.entityType,
    entityId: change.entityId,
    orgUnitId: change.orgUnitId,
    streetId: change.streetId,
    action: change.action,
    version: change.version,
    actorId: actor.userId,
    actorName: actor.name,
    at: nowIso(),
    before: sealNullable('change_log.before', id, change.before && JSON.stringify(change.before)),
    after: sealNullable('change_log.after', id, change.after && JSON.stringify(change.after)),
  };
}

/** A stored snapshot opened; one that cannot be decrypted (logged) says so instead. */
function openSnapshot(column: SealedColumn, id: string, stored: string | null): Snapshot | null {
  const text = showField(column, id, stored);
  if (text === null) return null;
  return isUnreadableStandIn(text) ? { unreadable: text } : (JSON.parse(text) as Snapshot);
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
 * Snapshots hold ID numbers and phones masked (see recordChange callers), and are stored sealed;
 * addresses are kept whole, so that a move is on record, and masked here by `mask` as they are read.
 */
async function listChanges(
  db: Executor,
  entityType: EntityType,
  entityId: string,
  limit = 200,
  mask: (snapshot: Snapshot) => Snapshot = (snapshot) => snapshot,
): Promise<ChangeEntry[]> {
  const rows = await historyRepository.findChanges(db, entityType, entityId, limit);
  const shown = (snapshot: Snapshot | null) =>
    snapshot === null || 'unreadable' in snapshot ? snapshot : mask(snapshot);
  return rows.map((row) => ({
    id: row.id,
    action: row.action as ChangeAction,
    version: row.version,
    actorName: row.actorName,
    at: row.at,
    before: shown(openSnapshot('change_log.before', row.id, row.before)),
    after: shown(openSnapshot('change_log.after', row.id, row.after)),
  }));
}

/** A snapshot with the string fields named masked by `maskText` (fields absent or null stay so). */
export function maskSnapshotFields(
  snapshot: Snapshot,
  fields: readonly string[],
  maskText: (text: string) => string,
): Snapshot {
  const masked = { ...snapshot };
  for (const field of fields) {
    const value = masked[field];
    if (typeof value === 'string') masked[field] = maskText(value);
  }
  return masked;
}

/**
 * Retention: the history of anonymised records keeps who changed them and when, without what they
 * held (the snapshots carry names and text).
 */
async function forgetSnapshots(db: Executor, entityType: EntityType, entityIds: readonly string[]) {
  await historyRepository.clearSnapshots(db, entityType, entityIds);
}

/** Retention: the history of records deleted for good goes with them. */
async function removeHistory(db: Executor, entityType: EntityType, entityIds: readonly string[]) {
  await historyRepository.deleteChanges(db, entityType, entityIds);
}

export const historyService = Object.freeze({
  recordChange,
  recordChanges,
  listChanges,
  forgetSnapshots,
  removeHistory,
});
