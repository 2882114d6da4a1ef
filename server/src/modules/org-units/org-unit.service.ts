import type { ChangeEntry, Page, PageQuery } from '@shiliuzi/shared/api';
import type { OrgUnit, OrgUnitInput, OrgUnitPatch } from '@shiliuzi/shared/org-units';
import { allowedOrgParents, type MemberUnitKind, type OrgUnitType } from '@shiliuzi/shared/registry';
import { inTransaction, type Executor } from '../../db/database.ts';
import { dialectOf } from '../../db/dialect-of.ts';
import {
  type RecordSpec,
  deleteAndRestore,
  newRecordStamps,
  recordCreated,
  requireLive,
  updateRecord,
} from '../../lib/record-lifecycle.ts';
import type { OrgUnitRow } from '../../db/schema.ts';
import type { OrgScope } from '../../db/scope.ts';
import { conflict, forbidden, invalidInput, notFound } from '../../errors.ts';
import type { Actor } from '../../lib/actor.ts';
import { newId, nowIso } from '../../lib/ids.ts';
import { canManageOrgUnit } from '../../lib/permissions.ts';
import { toPage } from '../../lib/pagination.ts';
import { historyService } from '../history/history.service.ts';
import { orgUnitRepository, type OrgUnitFilter, type OrgUnitSort } from './org-unit.repository.ts';

export function toOrgUnit(row: OrgUnitRow): OrgUnit {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    type: row.type as OrgUnitType,
    memberUnitKind: row.memberUnitKind as MemberUnitKind | null,
    parentId: row.parentId,
    path: row.path,
    depth: row.depth,
    streetId: row.streetId,
    areaKm2: row.areaKm2,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
  };
}

function snapshot(unit: OrgUnit) {
  const { path: _path, depth: _depth, ...rest } = unit;
  return rest;
}

/**
 * The live org unit `id` if the actor can see it, else 404. Other modules call this before they
 * attach a record to an org unit, so nothing is ever written outside the actor's subtree.
 */
async function requireOrgUnit(db: Executor, actor: Actor, id: string): Promise<OrgUnitRow> {
  return requireLive(db, actor, orgUnitSpec, id);
}

/**
 * The scope of a list or figure narrowed to one org unit: that unit's subtree when given (and
 * visible), else the actor's whole subtree.
 */
async function resolveScope(db: Executor, actor: Actor, orgUnitId: string | undefined): Promise<OrgScope> {
  if (orgUnitId === undefined) return { path: actor.scopePath };
  const unit = await requireOrgUnit(db, actor, orgUnitId);
  return scopeOf(unit);
}

/** The subtree under a unit; grids and member units have nothing under them. */
export function scopeOf(unit: OrgUnitRow): OrgScope {
  return { path: unit.path, leafUnitId: unit.type === 'grid' || unit.type === 'unit' ? unit.id : undefined };
}

async function getOrgUnit(db: Executor, actor: Actor, id: string): Promise<OrgUnit> {
  const row = await orgUnitRepository.findOrgUnitById(db, actor.scopePath, id);
  if (!row) throw notFound('org_unit_not_found');
  return toOrgUnit(row);
}

async function getOrgUnitByCode(db: Executor, actor: Actor, code: string): Promise<OrgUnit> {
  const row = await orgUnitRepository.findOrgUnitByCode(db, actor.scopePath, code);
  if (!row || row.deletedAt !== null) throw notFound('org_unit_not_found');
  return toOrgUnit(row);
}

async function listOrgUnits(
  db: Executor,
  actor: Actor,
  filter: OrgUnitFilter,
  sort: OrgUnitSort,
  page: PageQuery,
): Promise<Page<OrgUnit>> {
  const { rows, total } = await orgUnitRepository.findOrgUnits(db, actor.scopePath, filter, sort, page);
  return toPage(rows.map(toOrgUnit), total, page);
}

/** The whole live tree, ordered by path (parents before children). */
async function listAllOrgUnits(db: Executor): Promise<OrgUnit[]> {
  return (await orgUnitRepository.findAllOrgUnits(db)).map(toOrgUnit);
}

/** The chain from the actor's own unit down to `id` (breadcrumbs); nothing above the actor's unit. */
async function listAncestors(db: Executor, actor: Actor, id: string): Promise<OrgUnit[]> {
  const unit = await requireOrgUnit(db, actor, id);
  const ids = unit.path.split('/').filter(Boolean);
  const rows = await orgUnitRepository.findOrgUnitsByIds(db, ids);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((i) => {
    const row = byId.get(i);
    return row && row.path.startsWith(actor.scopePath) ? [toOrgUnit(row)] : [];
  });
}

async function createOrgUnit(db: Executor, actor: Actor, input: OrgUnitInput): Promise<OrgUnit> {
  if (!canManageOrgUnit(actor, input.type)) throw forbidden();
  return inTransaction(db, async (trx) => {
    const parent = input.parentId === null ? null : await requireOrgUnit(trx, actor, input.parentId);
    if (parent === null && actor.scopePath !== '/') throw notFound('org_unit_not_found');
    const parentType = (parent?.type ?? null) as OrgUnitType | null;
    if (!allowedOrgParents[input.type].includes(parentType)) throw invalidInput('org_parent_invalid');
    const id = newId();
    const now = nowIso();
    const row: OrgUnitRow = {
      id,
      code: input.code,
      name: input.name,
      type: input.type,
      memberUnitKind: input.type === 'unit' ? (input.memberUnitKind ?? 'other') : null,
      parentId: parent?.id ?? null,
      path: `${parent?.path ?? '/'}${id}/`,
      depth: (parent?.depth ?? -1) + 1,
      streetId: input.type === 'street' || input.type === 'township' ? id : (parent?.streetId ?? null),
      areaKm2: input.areaKm2 ?? null,
      ...newRecordStamps(actor, now),
    };
    try {
      await orgUnitRepository.insertOrgUnit(trx, row);
    } catch (error) {
      if (dialectOf(trx).isUniqueViolation(error)) throw conflict('org_code_taken');
      throw error;
    }
    const unit = toOrgUnit(row);
    await recordCreated(trx, actor, 'orgUnit', id, { orgUnitId: id, streetId: row.streetId }, snapshot(unit));
    return unit;
  });
}

const orgUnitSpec: RecordSpec<OrgUnitRow, OrgUnit> = {
  table: 'orgUnit',
  entityType: 'orgUnit',
  notFoundCode: 'org_unit_not_found',
  find: orgUnitRepository.findOrgUnitById,
  toDomain: (_db, row) => toOrgUnit(row),
  snapshot,
  owner: (row) => ({ orgUnitId: row.id, streetId: row.streetId }),
  canWrite: (actor, row) => canManageOrgUnit(actor, row.type as OrgUnitType),
  checkDeletable: async (db, row) => {
    if ((await orgUnitRepository.countDependents(db, row.id)) > 0) throw conflict('org_has_children');
  },
  uniqueViolationCode: 'org_code_taken',
};

const orgUnitLifecycle = deleteAndRestore(orgUnitSpec);

async function updateOrgUnit(db: Executor, actor: Actor, id: string, patch: OrgUnitPatch): Promise<OrgUnit> {
  const { version, ...changes } = patch;
  return inTransaction(db, async (trx) => {
    const current = await requireLive(trx, actor, orgUnitSpec, id);
    return updateRecord(trx, actor, orgUnitSpec, current, id, version, changes);
  });
}

async function listOrgUnitHistory(db: Executor, actor: Actor, id: string): Promise<ChangeEntry[]> {
  await getOrgUnit(db, actor, id);
  return historyService.listChanges(db, 'orgUnit', id);
}

export const orgUnitService = Object.freeze({
  requireOrgUnit,
  resolveScope,
  getOrgUnit,
  getOrgUnitByCode,
  listOrgUnits,
  listAllOrgUnits,
  listAncestors,
  createOrgUnit,
  updateOrgUnit,
  deleteOrgUnit: orgUnitLifecycle.remove,
  restoreOrgUnit: orgUnitLifecycle.restore,
  listOrgUnitHistory,
});
