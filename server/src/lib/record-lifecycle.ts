import { inTransaction, type Executor } from '../db/database.ts';
import { setDeleted, updateVersioned, type VersionedTable } from '../db/records.ts';
import { dialectOf } from '../db/dialect-of.ts';
import { conflict, forbidden, notFound } from '../errors.ts';
import type { ErrorCode } from '../locales/zh-CN.ts';
import {
  diffSnapshots,
  historyService,
  type Change,
  type EntityType,
} from '../modules/history/history.service.ts';
import type { Actor } from './actor.ts';
import { nowIso } from './ids.ts';

/** How one kind of versioned record is found, shown and guarded; the rest is shared. */
export interface RecordSpec<Row extends { deletedAt: string | null }, Out> {
  table: VersionedTable;
  entityType: EntityType;
  notFoundCode: ErrorCode;
  /** The row by id inside the actor's scope, deleted or not. */
  find(db: Executor, scopePath: string, id: string): Promise<Row | undefined>;
  toDomain(db: Executor, row: Row): Promise<Out> | Out;
  snapshot(out: Out): Record<string, unknown>;
  owner(row: Row): { orgUnitId: string | null; streetId: string | null };
  canWrite(actor: Actor, row: Row): boolean;
  /** Throws when the record may not be deleted (e.g. it still has children). */
  checkDeletable?(db: Executor, row: Row): Promise<void>;
  /** Throws when the record may not be restored (e.g. a live record now holds its place). */
  checkRestorable?(db: Executor, row: Row): Promise<void>;
  /** Keeps derived data (e.g. the name index) in step after a delete or restore. */
  onDeletedChange?(db: Executor, row: Row, deleted: boolean): Promise<void>;
  /** The unique constraint a patch can break, mapped to its error code. */
  uniqueViolationCode?: ErrorCode;
}

/** A live row in scope, or 404 with the spec's code. */
export async function requireLive<Row extends { deletedAt: string | null }, Out>(
  db: Executor,
  actor: Actor,
  spec: RecordSpec<Row, Out>,
  id: string,
): Promise<Row> {
  const row = await spec.find(db, actor.scopePath, id);
  if (!row || row.deletedAt !== null) throw notFound(spec.notFoundCode);
  return row;
}

/**
 * Applies `changes` (column values) at `version`, records the diff in the history, and returns
 * the updated record. Runs inside the caller's transaction.
 */
export async function updateRecord<Row extends { deletedAt: string | null }, Out>(
  trx: Executor,
  actor: Actor,
  spec: RecordSpec<Row, Out>,
  current: Row,
  id: string,
  version: number,
  changes: Record<string, unknown>,
): Promise<Out> {
  if (!spec.canWrite(actor, current)) throw forbidden();
  let outcome;
  try {
    outcome = await updateVersioned(trx, spec.table, id, version, changes, actor.userId, nowIso());
  } catch (error) {
    if (spec.uniqueViolationCode && dialectOf(trx).isUniqueViolation(error)) {
      throw conflict(spec.uniqueViolationCode);
    }
    throw error;
  }
  if (outcome === 'stale') throw conflict('stale_version');
  const before = await spec.toDomain(trx, current);
  const updatedRow = (await spec.find(trx, '/', id))!;
  const after = await spec.toDomain(trx, updatedRow);
  await historyService.recordChange(trx, actor, {
    entityType: spec.entityType,
    entityId: id,
    ...spec.owner(updatedRow),
    action: 'update',
    version: (after as { version: number }).version,
    ...diffSnapshots(spec.snapshot(before), spec.snapshot(after)),
  });
  return after;
}

/** Soft-deletes or restores one record at `version`, with its history entry. */
export async function setRecordDeleted<Row extends { deletedAt: string | null }, Out>(
  db: Executor,
  actor: Actor,
  spec: RecordSpec<Row, Out>,
  id: string,
  version: number,
  deleted: boolean,
): Promise<Out> {
  return inTransaction(db, async (trx) => {
    const current = await spec.find(trx, actor.scopePath, id);
    if (!current) throw notFound(spec.notFoundCode);
    if (!spec.canWrite(actor, current)) throw forbidden();
    if (deleted && current.deletedAt !== null) throw notFound(spec.notFoundCode);
    if (!deleted && current.deletedAt === null) throw conflict('not_deleted');
    if (deleted) await spec.checkDeletable?.(trx, current);
    else await spec.checkRestorable?.(trx, current);
    let outcome;
    try {
      outcome = await setDeleted(trx, spec.table, id, version, deleted, actor.userId, nowIso());
    } catch (error) {
      // Restoring a resident whose ID number was registered again meanwhile, and the like.
      if (spec.uniqueViolationCode && dialectOf(trx).isUniqueViolation(error)) {
        throw conflict(spec.uniqueViolationCode);
      }
      throw error;
    }
    if (outcome === 'stale') throw conflict('stale_version');
    const row = (await spec.find(trx, '/', id))!;
    await spec.onDeletedChange?.(trx, row, deleted);
    const after = await spec.toDomain(trx, row);
    await historyService.recordChange(trx, actor, {
      entityType: spec.entityType,
      entityId: id,
      ...spec.owner(row),
      action: deleted ? 'delete' : 'restore',
      version: (after as { version: number }).version,
      before: deleted ? spec.snapshot(after) : null,
      after: deleted ? null : spec.snapshot(after),
    });
    return after;
  });
}

/** The stamps of a row as first written: version 1, created and updated now by the actor. */
export function newRecordStamps(actor: Actor, now: string = nowIso()) {
  return {
    version: 1,
    createdAt: now,
    updatedAt: now,
    createdBy: actor.userId,
    updatedBy: actor.userId,
    deletedAt: null,
  };
}

/** The change that creates a record, with its first snapshot. */
export function creation(
  entityType: EntityType,
  entityId: string,
  owner: { orgUnitId: string | null; streetId: string | null },
  snapshot: object,
): Change {
  return {
    entityType,
    entityId,
    orgUnitId: owner.orgUnitId,
    streetId: owner.streetId,
    action: 'create',
    version: 1,
    before: null,
    after: snapshot,
  };
}

/** The history entry of a record just created, with its first snapshot. */
export async function recordCreated(
  trx: Executor,
  actor: Actor,
  entityType: EntityType,
  entityId: string,
  owner: { orgUnitId: string | null; streetId: string | null },
  snapshot: object,
): Promise<void> {
  await historyService.recordChange(trx, actor, creation(entityType, entityId, owner, snapshot));
}

/** Soft delete and restore of one kind of record, for a service's public surface. */
export function deleteAndRestore<Row extends { deletedAt: string | null }, Out>(spec: RecordSpec<Row, Out>) {
  return {
    remove: (db: Executor, actor: Actor, id: string, version: number) =>
      setRecordDeleted(db, actor, spec, id, version, true),
    restore: (db: Executor, actor: Actor, id: string, version: number) =>
      setRecordDeleted(db, actor, spec, id, version, false),
  };
}
