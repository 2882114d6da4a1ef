import type { ImportProblem, ImportReport, SheetLayout } from '@shiliuzi/shared/imports';
import { normalizePlacePart, parseGridName } from '@shiliuzi/shared/import-normalize';
import { reviewFlagLabels } from '@shiliuzi/shared/registry-labels.zh-CN';
import { residentFlags, type HouseholdRelation } from '@shiliuzi/shared/registry';
import type { ResidentInput, ResidentPatch } from '@shiliuzi/shared/residents';
import { inTransaction, type Executor } from '../../db/database.ts';
import { isAppError, invalidInput } from '../../errors.ts';
import type { Actor } from '../../lib/actor.ts';
import { canEditRegistry } from '../../lib/permissions.ts';
import { seal } from '../../lib/field-crypto.ts';
import { newId, nowIso } from '../../lib/ids.ts';
import { importMergeMessages } from '../../locales/import-merge.zh-CN.ts';
import { dialectOf } from '../../db/dialect-of.ts';
import { changeRow } from '../history/history.service.ts';
import { newHouseholdRecord } from '../households/household.service.ts';
import { orgUnitService, scopeOf } from '../org-units/org-unit.service.ts';
import { newPlaceRecord } from '../places/place.service.ts';
import { gramRows } from '../residents/resident.repository.ts';
import { identityOf, newResidentRecord, residentService } from '../residents/resident.service.ts';
import { sealIdentity, type SealedIdentity } from '../residents/sealed-identity.ts';
import type { MappedRow, MappedRowStream, MappedValues } from './reading/row-mapper.ts';
import type { ThreadRow } from './reading/register-file.thread.ts';
import { importRepository, noNewRecords, type ScopeResident } from './import.repository.ts';

export interface ImportRequest {
  fileName: string;
  fileSha256: string;
  /** The community, village, grid or member unit the register belongs to. */
  orgUnitId: string;
  /** Run everything, report it, and keep nothing. */
  dryRun: boolean;
  /** Rows whose identity the reading thread has not sealed ahead are sealed here. */
  rows: MappedRowStream | AsyncIterable<ThreadRow>;
  /** Blank rows the reader skipped (known once `rows` is consumed). */
  blankRows: () => number;
  /** How each sheet was read (known once `rows` is consumed). */
  layouts?: () => SheetLayout[];
  onProgress?: (rowsDone: number) => void;
}

/** Rows whose new records are written together (and whose ID numbers are looked up together). */
export const IMPORT_CHUNK_ROWS = 1000;

async function* chunksOf<T>(items: AsyncIterable<T>, size: number): AsyncIterable<T[]> {
  let chunk: T[] = [];
  for await (const item of items) {
    chunk.push(item);
    if (chunk.length === size) {
      yield chunk;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** Thrown inside the transaction of a dry run so that nothing it wrote stays. */
class DryRunRollback extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run');
  }
}

/** The number of a grid named like 第3网格, 三网格 or 云朵社区第十二网格; undefined without one. */
function gridNumberOf(name: string): number | undefined {
  return parseGridName(name)?.number;
}

/** Flags that put a record on hold (待核实): doubts about who the person is. */
const reviewCodes = new Set(Object.keys(reviewFlagLabels));

/**
 * The identity of a person within a file and the register: the ID number (by its blind index, as the
 * register stores no plain ID number), else name and birth date, else name and household.
 */
function personKey(v: MappedValues, idNumberHash: string | null | undefined): string | undefined {
  if (idNumberHash) return `id:${idNumberHash}`;
  if (!v.name) return undefined;
  if (v.birthDate) return `nb:${v.name}|${v.birthDate}`;
  const address = v.address ? Object.values(v.address).join('/') : '';
  return `nh:${v.name}|${v.householdHead ?? ''}|${address}`;
}

/** Places match by their number, however the register writes it: 1栋, 1幢 and 1号楼 are one building. */
function placeKey(parentId: string | null, kind: string, name: string): string {
  const part = kind === 'building' || kind === 'entrance' || kind === 'dwelling' ? kind : 'estate';
  const normal = normalizePlacePart(part === 'dwelling' ? 'room' : part, name) ?? name;
  return `${parentId ?? 'root'}|${kind}|${normal}`;
}

/** The name a new place is given: a bare number becomes 1栋 or 2单元, so that addresses read as written. */
function placeName(kind: string, name: string): string {
  if (!/^\d+$/.test(name)) return name;
  return kind === 'building' ? `${name}栋` : kind === 'entrance' ? `${name}单元` : name;
}

/** A household's address as it reads: 羌兴苑一期1栋2单元301室, the bare numbers given their unit words. */
function addressText(a: NonNullable<MappedValues['address']>): string {
  const room = a.room && /^\d+$/.test(a.room) ? `${a.room}室` : a.room;
  return [
    a.estate,
    a.building && placeName('building', a.building),
    a.entrance && placeName('entrance', a.entrance),
    room,
  ]
    .filter(Boolean)
    .join('');
}

function problemOf(row: MappedRow, p: RowFault): ImportProblem {
  return { sheet: row.sheet, row: row.row, column: p.column, value: p.value, code: p.code, reason: p.reason };
}

/**
 * Imports one register file into the subtree of `orgUnitId` in one transaction (a dry run rolls it
 * back): a person is one record however often the file or earlier files name them (by ID number,
 * else name and birth date); grids, households and places named in the file are created when absent.
 */
async function runImport(db: Executor, actor: Actor, request: ImportRequest): Promise<ImportReport> {
  if (!canEditRegistry(actor)) throw invalidInput('forbidden');
  try {
    return await inTransaction(db, async (trx) => {
      const report = await importInto(trx, actor, request);
      if (request.dryRun) throw new DryRunRollback(report);
      return report;
    });
  } catch (error) {
    if (error instanceof DryRunRollback) return error.report;
    throw error;
  }
}

async function importInto(trx: Executor, actor: Actor, request: ImportRequest): Promise<ImportReport> {
  const target = await orgUnitService.requireOrgUnit(trx, actor, request.orgUnitId);
  if (!['community', 'village', 'grid', 'unit'].includes(target.type)) {
    throw invalidInput('import_target_type');
  }
  const scope = scopeOf(target);
  const seenBefore =
    (await importRepository.findBatchByHash(trx, target.id, request.fileSha256)) !== undefined;

  const report: ImportReport = {
    file: request.fileName,
    register: 'residents',
    dryRun: request.dryRun,
    seenBefore,
    rows: 0,
    blankRows: 0,
    accepted: 0,
    created: 0,
    updated: 0,
    merged: 0,
    rejected: [],
    flagged: [],
    mergedRows: [],
    createdPlaces: { grids: [], households: 0, estates: [], buildings: 0, entrances: 0, dwellings: 0 },
    layouts: [],
  };

  // What the subtree holds already, by the keys rows are matched on.
  const residents = new Map<string, ScopeResident>();
  for (const r of await importRepository.findScopeResidents(trx, scope)) {
    const key = personKey(
      { name: r.name, ...(r.birthDate ? { birthDate: r.birthDate } : {}) },
      r.idNumberHash,
    );
    if (key) residents.set(key, r);
  }
  const households = new Map<string, string>();
  for (const h of await importRepository.findScopeHouseholds(trx, scope)) {
    if (h.headName) households.set(`${h.orgUnitId}|${h.headName}|${h.dwellingId ?? h.address ?? ''}`, h.id);
  }
  const places = new Map<string, { id: string; orgUnitId: string }>();
  for (const p of await importRepository.findScopePlaces(trx, scope)) {
    places.set(placeKey(p.parentId, p.kind, p.name), { id: p.id, orgUnitId: p.orgUnitId });
  }
  const grids = new Map<string, string>();
  const isLeafTarget = target.type === 'grid' || target.type === 'unit';
  const unitPaths = new Map<string, string>();
  for (const unit of await orgUnitService.listAllOrgUnits(trx)) {
    if (unit.path.startsWith(target.path)) unitPaths.set(unit.id, unit.path);
    if (!isLeafTarget) {
      if (unit.parentId === target.id && unit.type === 'grid') {
        grids.set(`name:${unit.name}`, unit.id);
        const n = gridNumberOf(unit.name);
        if (n !== undefined && !grids.has(`n:${n}`)) grids.set(`n:${n}`, unit.id);
      }
    }
  }
  /** A place of `ownerId` may be used by records of `orgUnitId`: it belongs to the unit or one above it. */
  const isUsableBy = (ownerId: string, orgUnitId: string) =>
    ownerId === orgUnitId || (unitPaths.get(orgUnitId) ?? '').includes(`/${ownerId}/`);

  // New records are written in multi-row statements once a chunk of rows is done (or before a
  // service call that may read them).
  const dialect = dialectOf(trx);
  const owner = (orgUnitId: string) => ({ id: orgUnitId, streetId: target.streetId });
  let pending = noNewRecords();
  const flush = async () => {
    await importRepository.insertNewRecords(trx, pending);
    pending = noNewRecords();
  };
  // Rows of this file by person, to merge repeats.
  const firstRowOf = new Map<string, number>();

  /** The org unit of a row's grid when it exists already; undefined when it is to be created. */
  const knownGrid = (grid: MappedValues['grid']): string | undefined => {
    if (isLeafTarget || !grid) return target.id;
    const known = grids.get(`name:${grid.name}`);
    if (known) return known;
    const number = grid.number ?? gridNumberOf(grid.name);
    return number !== undefined ? grids.get(`n:${number}`) : undefined;
  };

  const createGrid = async (grid: NonNullable<MappedValues['grid']>): Promise<string> => {
    const number = grid.number ?? gridNumberOf(grid.name);
    const name = number !== undefined ? `${target.name}第${number}网格` : grid.name;
    const code = `${target.code}-G${number ?? grids.size + 1}`;
    const unit = await orgUnitService.createOrgUnit(trx, actor, {
      code,
      name,
      type: 'grid',
      parentId: target.id,
    });
    unitPaths.set(unit.id, unit.path);
    grids.set(`name:${grid.name}`, unit.id);
    grids.set(`name:${name}`, unit.id);
    if (number !== undefined) grids.set(`n:${number}`, unit.id);
    report.createdPlaces.grids.push(name);
    return unit.id;
  };

  const resolvePlace = (
    orgUnitId: string,
    kind: 'estate' | 'building' | 'entrance' | 'dwelling',
    parentId: string | null,
    name: string,
    extra: { isRental?: boolean; landlordName?: string | null; landlordPhone?: string | null } = {},
  ): string => {
    const key = placeKey(parentId, kind, name);
    const known = places.get(key);
    if (known) {
      if (kind === 'dwelling' && !isUsableBy(known.orgUnitId, orgUnitId))
        throw invalidInput('place_parent_other_org');
      return known.id;
    }
    // Estates, buildings and entrances are shared by the grids of the register's unit; a dwelling
    // belongs to the grid of the people living in it.
    const { row, change } = newPlaceRecord(
      actor,
      owner(kind === 'dwelling' ? orgUnitId : target.id),
      {
        orgUnitId: kind === 'dwelling' ? orgUnitId : target.id,
        kind,
        parentId,
        name: placeName(kind, name),
        ...extra,
      },
      dialect,
    );
    pending.places.push(row);
    pending.changes.push(changeRow(actor, change));
    places.set(key, { id: row.id, orgUnitId: row.orgUnitId });
    if (kind === 'estate') report.createdPlaces.estates.push(name);
    else
      report.createdPlaces[
        kind === 'building' ? 'buildings' : kind === 'entrance' ? 'entrances' : 'dwellings'
      ] += 1;
    return row.id;
  };

  // Registers list a dwelling once per member: its place is resolved once per written address.
  const dwellingOf = new Map<string, string>();
  const resolveDwelling = (orgUnitId: string, v: MappedValues): string | null => {
    const a = v.address;
    const room = a?.room;
    if (!room) return null;
    const addressKey = [orgUnitId, a.estate, a.building, a.entrance, room].join('\u0000');
    let dwellingId = dwellingOf.get(addressKey);
    if (dwellingId === undefined) {
      dwellingId = resolveNewDwelling(orgUnitId, v, a, room);
      dwellingOf.set(addressKey, dwellingId);
    }
    return dwellingId;
  };
  const resolveNewDwelling = (
    orgUnitId: string,
    v: MappedValues,
    a: NonNullable<MappedValues['address']>,
    room: string,
  ): string => {
    const estate = a.estate ? resolvePlace(orgUnitId, 'estate', null, a.estate) : null;
    const building = a.building ? resolvePlace(orgUnitId, 'building', estate, a.building) : null;
    const entrance =
      a.entrance && building ? resolvePlace(orgUnitId, 'entrance', building, a.entrance) : null;
    const rental = v.dwelling?.status === 'rented' || (v.dwelling?.landlordName ?? v.floating?.landlordName);
    return resolvePlace(orgUnitId, 'dwelling', entrance ?? building, room, {
      isRental: Boolean(rental),
      landlordName: v.dwelling?.landlordName ?? v.floating?.landlordName ?? null,
      landlordPhone: v.dwelling?.landlordPhone ?? v.floating?.landlordPhone ?? null,
    });
  };

  // Registers often list a household's members under its head without naming the head again.
  let lastHead: { householdId: string; dwellingId: string | null; sheet: string } | undefined;
  const resolveHousehold = (
    orgUnitId: string,
    dwellingId: string | null,
    v: MappedValues,
    sheet: string,
  ): { householdId: string | null; relation: HouseholdRelation | null } => {
    const relation = v.relationToHead;
    const head = relation === 'head' ? v.name : v.householdHead;
    if (!head) {
      const follows =
        relation && lastHead?.sheet === sheet && (dwellingId === null || dwellingId === lastHead.dwellingId);
      return follows
        ? { householdId: lastHead!.householdId, relation }
        : { householdId: null, relation: null };
    }
    const address = v.address ? addressText(v.address) : '';
    const key = `${orgUnitId}|${head}|${dwellingId ?? address}`;
    let householdId = households.get(key);
    if (!householdId) {
      const { row, change } = newHouseholdRecord(actor, owner(orgUnitId), {
        orgUnitId,
        dwellingId,
        address: address || null,
      });
      pending.households.push(row);
      pending.changes.push(changeRow(actor, change));
      householdId = row.id;
      households.set(key, householdId);
      report.createdPlaces.households += 1;
    }
    if (head === v.name) lastHead = { householdId, dwellingId, sheet };
    return { householdId, relation: relation ?? (head === v.name ? 'head' : 'other') };
  };

  // ID numbers already registered outside the subtree cannot be imported here; they are looked up
  // (by blind index) a chunk of rows at a time.
  let registeredElsewhere = new Set<string>();
  for await (const chunk of chunksOf<ThreadRow>(request.rows, IMPORT_CHUNK_ROWS)) {
    const identities = chunk.map(
      (row) =>
        row.sealed ??
        sealIdentity({ idNumber: row.values.idNumber ?? null, phone: row.values.phone ?? null }),
    );
    const unknownIds = identities.flatMap(({ columns: { idNumberHash: hash } }) =>
      hash !== null && !residents.has(`id:${hash}`) ? [hash] : [],
    );
    registeredElsewhere = await importRepository.findLiveIdNumberHashes(trx, unknownIds);
    for (const [i, row] of chunk.entries()) {
      report.rows += 1;
      report.register = row.register;
      request.onProgress?.(report.rows);
      // Most rows need nothing asynchronous: they are done without a promise of their own.
      const waiting = importRow(row, identities[i]!);
      if (waiting) await waiting;
    }
    await flush();
  }

  /** A refusal of the services (a rule the reader could not know) rejects the row, not the file. */
  function refuseRow(row: MappedRow, error: unknown): void {
    if (!isAppError(error) || error.status >= 500) throw error;
    report.rejected.push({
      sheet: row.sheet,
      row: row.row,
      column: '',
      value: '',
      code: error.code,
      reason: error.message,
    });
  }

  /** Imports one row; returns a promise only when the row needs the database (a new grid, an update). */
  function importRow(row: MappedRow, sealed: SealedIdentity): Promise<void> | undefined {
    try {
      return importRowOrWait(row, sealed);
    } catch (error) {
      refuseRow(row, error);
      return undefined;
    }
  }

  /** A grid the register names for the first time is created, then the row is taken again. */
  function importAfterNewGrid(row: MappedRow, sealed: SealedIdentity): Promise<void> {
    return createGrid(row.values.grid!).then(
      () => importRow(row, sealed),
      (error: unknown) => refuseRow(row, error),
    );
  }

  /** A row that created, updated or merged into a person: later rows naming them merge into it. */
  function rowTaken(row: MappedRow, key: string, flags: MappedRow['problems']): void {
    firstRowOf.set(key, row.row);
    for (const flag of flags) {
      if (flag.code !== 'duplicate_row' && flag.code !== 'duplicate_id_number')
        report.flagged.push(problemOf(row, flag));
    }
  }

  /** `sealed`: the row's ID number and phone sealed for the resident it creates, if it creates one. */
  function importRowOrWait(row: MappedRow, sealed: SealedIdentity): Promise<void> | undefined {
    const idNumberHash = sealed.columns.idNumberHash;
    const rejects = row.problems.filter((p) => p.severity === 'reject');
    if (rejects.length > 0) {
      report.rejected.push(rejectionOf(row, rejects));
      return;
    }
    const v = row.values;
    const flags = row.problems.filter((p) => p.severity === 'flag');
    const reviewFlag = flags.find((p) => reviewCodes.has(p.code))?.code ?? null;

    if (row.register === 'dwellings' && !v.name) {
      if (!v.address?.room) {
        report.rejected.push(rejectionOf(row, [missing('dwelling_address_required')]));
        return;
      }
      const orgUnitId = knownGrid(v.grid);
      if (orgUnitId === undefined) return importAfterNewGrid(row, sealed);
      const before = places.size;
      resolveDwelling(orgUnitId, v);
      if (places.size > before) {
        report.created += 1;
        report.accepted += 1;
      } else {
        report.merged += 1;
      }
      return;
    }

    const key = personKey(v, idNumberHash);
    if (!key || !v.name) {
      report.rejected.push(rejectionOf(row, [missing('name_required')]));
      return;
    }
    const earlier = firstRowOf.get(key);
    if (earlier !== undefined) {
      report.merged += 1;
      report.mergedRows.push({ sheet: row.sheet, row: row.row, sameAs: earlier });
      return;
    }

    // A new person is checked before anything is created for them: a refused row leaves no grid,
    // household or dwelling behind.
    const existing = residents.get(key);
    if (!existing && idNumberHash && registeredElsewhere.has(idNumberHash)) {
      report.rejected.push(rejectionOf(row, [missing('id_registered_elsewhere', v.idNumber)]));
      return;
    }
    if (!existing && !v.ethnicityCode) {
      report.rejected.push(rejectionOf(row, [missing('ethnicity_required')]));
      return;
    }
    const residenceType = v.residenceType ?? (row.register === 'floating' ? 'floating' : 'permanent');
    const options = { reviewFlag, keepWrongCheckDigit: reviewFlag === 'id_check_digit' };
    const identity = existing
      ? undefined
      : identityOf(
          {
            orgUnitId: target.id,
            name: v.name,
            ethnicityCode: v.ethnicityCode!,
            idNumber: v.idNumber ?? null,
            birthDate: v.idNumber ? undefined : (v.birthDate ?? null),
            // The ID number decides the gender; a contradicting column is flagged by the reader.
            gender: v.idNumber ? undefined : v.gender,
            originRegionCode: v.originRegionCode ?? null,
            residenceType,
          },
          options,
        );

    const orgUnitId = knownGrid(v.grid);
    if (orgUnitId === undefined) return importAfterNewGrid(row, sealed);
    const dwellingId = resolveDwelling(orgUnitId, v);
    const { householdId, relation } = resolveHousehold(orgUnitId, dwellingId, v, row.sheet);

    if (!existing) {
      const input: ResidentInput = {
        orgUnitId,
        name: v.name,
        ethnicityCode: v.ethnicityCode!,
        idNumber: v.idNumber ?? null,
        birthDate: v.idNumber ? undefined : (v.birthDate ?? null),
        phone: v.phone ?? null,
        originRegionCode: v.originRegionCode ?? null,
        householdId,
        relationToHead: relation,
        dwellingId,
        residenceType,
        flags: v.flags ?? {},
        note: v.note ?? null,
        languages: v.languages ?? [],
        movedInOn: v.movedInOn ?? null,
        floating: residenceType === 'floating' ? floatingInput(v) : null,
      };
      if (!v.idNumber) input.gender = v.gender;
      // Later rows naming the same person are merged through `firstRowOf`, so the new record
      // need not be added to `residents`.
      const record = newResidentRecord(actor, owner(orgUnitId), input, identity!, dialect, {
        ...options,
        sealed,
      });
      pending.residents.push(record.row);
      if (record.floating) pending.floating.push(record.floating);
      pending.grams.push(...gramRows(record.row.id, orgUnitId, record.row.name));
      pending.changes.push(changeRow(actor, record.change));
      report.created += 1;
      report.accepted += 1;
      rowTaken(row, key, flags);
      return;
    }
    const patch = changesFor(existing, v, sealed.columns.phoneHash, {
      orgUnitId,
      householdId,
      relation,
      dwellingId,
      residenceType,
    });
    if (patch === undefined && (reviewFlag ?? null) === (existing.reviewFlag ?? null)) {
      report.merged += 1;
      rowTaken(row, key, flags);
      return;
    }
    // The service reads the household or dwelling this row may have just added.
    return flush()
      .then(() =>
        residentService.updateResident(
          trx,
          actor,
          existing.id,
          { ...(patch ?? {}), version: existing.version },
          options,
        ),
      )
      .then(
        () => {
          existing.version += 1;
          report.updated += 1;
          report.accepted += 1;
          rowTaken(row, key, flags);
        },
        (error: unknown) => refuseRow(row, error),
      );
  }
  report.blankRows = request.blankRows();
  report.layouts = request.layouts?.() ?? [];

  if (!request.dryRun) {
    const batchId = newId();
    await importRepository.insertBatch(trx, {
      id: batchId,
      orgUnitId: target.id,
      streetId: target.streetId,
      fileName: request.fileName,
      fileSha256: request.fileSha256,
      register: report.register,
      rows: report.rows,
      accepted: report.accepted,
      created: report.created,
      updated: report.updated,
      merged: report.merged,
      rejected: report.rejected.length,
      flagged: report.flagged.length,
      // Rejected rows quote their cells (ID numbers, phones): the stored report is sealed.
      report: seal('import_batch.report', batchId, JSON.stringify(report)),
      createdBy: actor.userId,
      createdAt: nowIso(),
    });
  }
  return report;
}

/** What is wrong with a rejected row: the reader's problems, or the service's own reason. */
type RowFault = Pick<MappedRow['problems'][number], 'column' | 'value' | 'reason'> & { code: string };

function rejectionOf(row: MappedRow, problems: RowFault[]): ImportProblem {
  const first = problems[0]!;
  return {
    ...problemOf(row, first),
    reason: problems.map((p) => (p.column ? `${p.column}：${p.reason}` : p.reason)).join('；'),
  };
}

function missing(code: keyof typeof importMergeMessages, value = ''): RowFault {
  return { code, column: '', value, reason: importMergeMessages[code] };
}

function floatingInput(v: MappedValues): ResidentInput['floating'] {
  const f = v.floating ?? {};
  return {
    arrivalDate: f.arrivalDate ?? null,
    originAddress: f.originAddress ?? null,
    reason: (f.reason ?? null) as NonNullable<ResidentInput['floating']>['reason'],
    expectedStayMonths: f.expectedStayMonths ?? null,
    stall: f.stall ?? null,
    landlordName: f.landlordName ?? null,
    landlordPhone: f.landlordPhone ?? null,
  };
}

const flagColumn = {
  hardship: 'isHardship',
  minimumLivingAllowance: 'isMinimumLivingAllowance',
  disabled: 'isDisabled',
  elderlyAlone: 'isElderlyAlone',
  partyMember: 'isPartyMember',
  volunteer: 'isVolunteer',
} as const;

/**
 * What a later register says differently about a person already registered: values it gives replace
 * the stored ones, values it leaves out keep them (so a minority register enriches the full one).
 */
function changesFor(
  current: ScopeResident,
  v: MappedValues,
  phoneHash: string | null,
  placed: {
    orgUnitId: string;
    householdId: string | null;
    relation: HouseholdRelation | null;
    dwellingId: string | null;
    residenceType: ResidentInput['residenceType'];
  },
): Omit<ResidentPatch, 'version'> | undefined {
  const patch: Omit<ResidentPatch, 'version'> = {};
  if (v.name && v.name !== current.name) patch.name = v.name;
  if (v.ethnicityCode && v.ethnicityCode !== current.ethnicityCode) patch.ethnicityCode = v.ethnicityCode;
  if (v.phone && phoneHash !== current.phoneHash) patch.phone = v.phone;
  if (v.originRegionCode && v.originRegionCode !== current.originRegionCode)
    patch.originRegionCode = v.originRegionCode;
  if (v.note && v.note !== current.note) patch.note = v.note;
  if (v.grid && placed.orgUnitId !== current.orgUnitId) patch.orgUnitId = placed.orgUnitId;
  if (placed.householdId && placed.householdId !== current.householdId) {
    patch.householdId = placed.householdId;
    patch.relationToHead = placed.relation;
  } else if (placed.relation && current.householdId && placed.relation !== current.relationToHead) {
    patch.relationToHead = placed.relation;
  }
  if (placed.dwellingId && placed.dwellingId !== current.dwellingId) patch.dwellingId = placed.dwellingId;
  if (v.residenceType && v.residenceType !== current.residenceType) patch.residenceType = v.residenceType;
  const flags: NonNullable<ResidentPatch['flags']> = {};
  for (const flag of residentFlags) {
    const value = v.flags?.[flag];
    if (value !== undefined && value !== Boolean(current[flagColumn[flag]])) flags[flag] = value;
  }
  if (Object.keys(flags).length > 0) patch.flags = flags;
  return Object.keys(patch).length > 0 ? patch : undefined;
}

export const importService = Object.freeze({ runImport });
