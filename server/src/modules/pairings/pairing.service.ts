import type { ChangeEntry, Page, PageQuery } from '@shiliuzi/shared/api';
import { isShownAddressPart, maskAddress } from '@shiliuzi/shared/masking';
import {
  addDays,
  type Pairing,
  type PairingInput,
  type PairingPatch,
} from '@shiliuzi/shared/casework-visits';
import { inTransaction, type Executor } from '../../db/database.ts';
import type { PairingRow } from '../../db/schema.ts';
import { conflict, forbidden, invalidInput, notFound } from '../../errors.ts';
import type { Actor } from '../../lib/actor.ts';
import { newId } from '../../lib/ids.ts';
import { toPage } from '../../lib/pagination.ts';
import { canEditRegistry, canRevealSensitive } from '../../lib/permissions.ts';
import {
  type RecordSpec,
  deleteAndRestore,
  newRecordStamps,
  recordCreated,
  requireLive,
  updateRecord,
} from '../../lib/record-lifecycle.ts';
import { historyService } from '../history/history.service.ts';
import { householdService } from '../households/household.service.ts';
import { orgUnitService } from '../org-units/org-unit.service.ts';
import {
  findUserInScope,
  pairingRepository,
  type PairingFilter,
  type PairingListRow,
} from './pairing.repository.ts';

export function toPairing(row: PairingListRow): Pairing {
  return {
    id: row.id,
    orgUnitId: row.orgUnitId,
    householdId: row.householdId,
    householdLabel:
      row.householdNumber ?? (row.householdAddress === null ? '' : maskAddress(row.householdAddress)),
    cadreId: row.cadreId,
    cadreName: row.cadreName,
    startedOn: row.startedOn,
    endedOn: row.endedOn,
    frequencyDays: row.frequencyDays,
    note: row.note,
    lastContactOn: row.lastContactOn,
    contactDueOn: addDays(row.lastContactOn ?? row.startedOn, row.frequencyDays),
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    deletedAt: row.deletedAt,
  };
}

function snapshot(pairing: Pairing) {
  const { lastContactOn: _l, contactDueOn: _c, householdLabel: _h, cadreName: _n, ...rest } = pairing;
  return rest;
}

const pairingSpec: RecordSpec<PairingListRow, Pairing> = {
  table: 'pairing',
  entityType: 'pairing',
  notFoundCode: 'pairing_not_found',
  find: pairingRepository.findPairingRow,
  toDomain: (_db, row) => toPairing(row),
  snapshot,
  owner: (row) => ({ orgUnitId: row.orgUnitId, streetId: row.streetId }),
  canWrite: (actor) => canEditRegistry(actor),
  // Another pairing of the household may have been made for the period since this one was deleted.
  checkRestorable: (db, row) => checkPeriod(db, row.householdId, row.startedOn, row.endedOn, row.id),
};

const lifecycle = deleteAndRestore(pairingSpec);

async function checkPeriod(
  db: Executor,
  householdId: string,
  startedOn: string,
  endedOn: string | null,
  exceptId?: string,
) {
  if (endedOn !== null && endedOn < startedOn) throw invalidInput('pairing_end_before_start');
  const overlapping = await pairingRepository.findOverlapping(db, householdId, startedOn, endedOn, exceptId);
  if (overlapping.length > 0) throw conflict('pairing_overlaps');
}

/** Pairs a cadre (a user of the actor's subtree) with a household for a period. */
async function createPairing(db: Executor, actor: Actor, input: PairingInput): Promise<Pairing> {
  if (!canEditRegistry(actor)) throw forbidden();
  return inTransaction(db, async (trx) => {
    const household = await householdService.requireHousehold(trx, actor, input.householdId);
    if (!(await findUserInScope(trx, actor.scopePath, input.cadreId))) throw notFound('user_not_found');
    const endedOn = input.endedOn ?? null;
    await checkPeriod(trx, household.id, input.startedOn, endedOn);
    const row: PairingRow = {
      anonymisedAt: null,
      id: newId(),
      orgUnitId: household.orgUnitId,
      streetId: household.streetId,
      householdId: household.id,
      cadreId: input.cadreId,
      startedOn: input.startedOn,
      endedOn,
      frequencyDays: input.frequencyDays,
      note: input.note ?? null,
      ...newRecordStamps(actor),
    };
    await pairingRepository.insertPairing(trx, row);
    const created = toPairing((await pairingRepository.findPairingRow(trx, '/', row.id))!);
    await recordCreated(trx, actor, 'pairing', row.id, row, snapshot(created));
    return created;
  });
}

async function updatePairing(db: Executor, actor: Actor, id: string, patch: PairingPatch): Promise<Pairing> {
  const { version, ...changes } = patch;
  return inTransaction(db, async (trx) => {
    const current = await requireLive(trx, actor, pairingSpec, id);
    const endedOn = changes.endedOn === undefined ? current.endedOn : changes.endedOn;
    await checkPeriod(trx, current.householdId, current.startedOn, endedOn, id);
    return updateRecord(trx, actor, pairingSpec, current, id, version, changes);
  });
}

async function getPairing(db: Executor, actor: Actor, id: string): Promise<Pairing> {
  const row = await pairingRepository.findPairingRow(db, actor.scopePath, id);
  if (!row) throw notFound('pairing_not_found');
  return toPairing(row);
}

async function listPairings(
  db: Executor,
  actor: Actor,
  orgUnitId: string | undefined,
  filter: PairingFilter,
  page: PageQuery,
): Promise<Page<Pairing>> {
  const scope = await orgUnitService.resolveScope(db, actor, orgUnitId);
  // Household addresses are shown masked: matched by more than the mask shows only for those who
  // may reveal them anyway.
  const qMatchesAddress = canRevealSensitive(actor) || !filter.q || isShownAddressPart(filter.q);
  const { rows, total } = await pairingRepository.findPairings(
    db,
    scope,
    { ...filter, qMatchesAddress },
    page,
  );
  return toPage(rows.map(toPairing), total, page);
}

async function listPairingHistory(db: Executor, actor: Actor, id: string): Promise<ChangeEntry[]> {
  await getPairing(db, actor, id);
  return historyService.listChanges(db, 'pairing', id);
}

/** The cadre paired with a household on a date (for the must-visit rule), without scope checks. */
async function findActiveCadre(db: Executor, householdId: string, on: string): Promise<string | undefined> {
  return pairingRepository.findActiveCadre(db, householdId, on);
}

export const pairingService = Object.freeze({
  createPairing,
  updatePairing,
  getPairing,
  listPairings,
  listPairingHistory,
  deletePairing: lifecycle.remove,
  restorePairing: lifecycle.restore,
  findActiveCadre,
});
