import { sql, type Insertable, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { closedPetitionStatuses } from '@shiliuzi/shared/casework-petitions';
import type { Executor } from '../../db/database.ts';
import type { RetentionRunTable } from '../../db/schema.ts';

// The retention job's SQL. It reaches across the casework and registry tables, as the figures do
// (statistics.repository.ts): expiry is a property of each record type, and anonymising or deleting
// a record takes its child rows with it. The service decides what goes in place of the personal
// content (sealed where the column is sealed); here the rows are found, changed and removed.

/** The tables whose rows are anonymised in place (they carry `anonymised_at`). */
export type AnonymisedTable =
  'visit' | 'assistance' | 'dispute' | 'petition' | 'pairing' | 'mustVisitTask' | 'resident' | 'household';

/** The tables whose soft-deleted rows the job removes for good. */
export type PurgedTable = AnonymisedTable | 'visitPhoto';

/** The record types kept as rows and anonymised, each with its table and its expiry test. */
export type KeptRecordType =
  | 'visit'
  | 'assistance'
  | 'dispute'
  | 'petition'
  | 'hotline'
  | 'pairing'
  | 'must_visit'
  | 'moved_out_resident';

/** A record of a kept type: its table, and whether it had expired on `cutoff` (YYYY-MM-DD). */
interface Expiry {
  table: AnonymisedTable;
  expired: (cutoff: string) => RawBuilder<SqlBool>;
}

const onOrBefore = (column: string, cutoff: string) => sql<SqlBool>`${sql.ref(column)} <= ${cutoff}`;
const closed = sql.join(closedPetitionStatuses.map((status) => sql`${status}`));

export const expiries: Readonly<Record<KeptRecordType, Expiry>> = {
  visit: { table: 'visit', expired: (cutoff) => onOrBefore('visit.visitedOn', cutoff) },
  assistance: {
    table: 'assistance',
    expired: (cutoff) =>
      sql<SqlBool>`${sql.ref('assistance.status')} <> 'pending' and ${onOrBefore('assistance.decidedOn', cutoff)}`,
  },
  dispute: { table: 'dispute', expired: (cutoff) => onOrBefore('dispute.closedOn', cutoff) },
  petition: {
    table: 'petition',
    expired: (cutoff) =>
      sql<SqlBool>`${sql.ref('petition.channel')} <> 'hotline' and ${sql.ref('petition.status')} in (${closed}) and ${onOrBefore('petition.responseDate', cutoff)}`,
  },
  hotline: {
    table: 'petition',
    expired: (cutoff) =>
      sql<SqlBool>`${sql.ref('petition.channel')} = 'hotline' and ${sql.ref('petition.status')} in (${closed}) and ${onOrBefore('petition.responseDate', cutoff)}`,
  },
  pairing: { table: 'pairing', expired: (cutoff) => onOrBefore('pairing.endedOn', cutoff) },
  must_visit: { table: 'mustVisitTask', expired: (cutoff) => onOrBefore('mustVisitTask.doneOn', cutoff) },
  moved_out_resident: {
    table: 'resident',
    expired: (cutoff) => onOrBefore('resident.movedOutOn', cutoff),
  },
};

/** Not anonymised yet, or changed since (an edit put content back): the job has work to do on it. */
const pendingIn = (table: AnonymisedTable) =>
  sql<SqlBool>`(${sql.ref(`${table}.anonymisedAt`)} is null or ${sql.ref(`${table}.updatedAt`)} > ${sql.ref(`${table}.anonymisedAt`)})`;

/** The columns every table handled generically has (record columns and the anonymisation mark). */
interface GenericRecord {
  id: string;
  orgUnitId: string;
  streetId: string | null;
  version: number;
  updatedAt: string;
  updatedBy: string | null;
  deletedAt: string | null;
  anonymisedAt: string | null;
}

// Kysely cannot type a table chosen at run time; the columns used through this view exist on every
// table it is given (db/records.ts does the same for versioned tables).
type GenericDb = Kysely<{ record: GenericRecord }>;
const generic = (db: Executor) => db as unknown as GenericDb;
const tableName = (table: PurgedTable) => table as 'record';

export type ExpiryMode = 'anonymise' | 'delete';

/**
 * Ids of expired records of a kept type, oldest id first: all of them for deletion, those with
 * personal content left for anonymisation.
 */
async function findExpiredIds(
  db: Executor,
  type: KeptRecordType,
  cutoff: string,
  mode: ExpiryMode,
  limit: number,
): Promise<string[]> {
  const { table, expired } = expiries[type];
  const rows = await generic(db)
    .selectFrom(tableName(table))
    .select('id')
    .where(expired(cutoff))
    .$if(mode === 'anonymise', (qb) => qb.where(pendingIn(table)))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/**
 * Writes `patch` over the records of `ids` that still have personal content, marks them
 * anonymised now (a new version, changed by nobody: the system) and answers the rows it changed.
 */
async function markAnonymised(
  db: Executor,
  table: AnonymisedTable,
  ids: readonly string[],
  patch: Record<string, unknown>,
  now: string,
): Promise<{ id: string; orgUnitId: string; streetId: string | null; version: number }[]> {
  if (ids.length === 0) return [];
  return generic(db)
    .updateTable(tableName(table))
    .set({ ...patch, anonymisedAt: now, updatedAt: now, updatedBy: null, version: sql`version + 1` })
    .where('id', 'in', ids)
    .where(pendingIn(table))
    .returning(['id', 'orgUnitId', 'streetId', 'version'])
    .execute();
}

/** Writes one row's own values (sealed text is bound to its row). */
async function updateRow(
  db: Executor,
  table: AnonymisedTable | 'disputeStep' | 'importBatch',
  id: string,
  patch: Record<string, unknown>,
): Promise<void> {
  await generic(db)
    .updateTable(table as 'record')
    .set(patch)
    .where('id', '=', id)
    .execute();
}

/** Removes rows for good (their children and history first: see the callers). */
async function deleteRows(db: Executor, table: PurgedTable, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await generic(db).deleteFrom(tableName(table)).where('id', 'in', ids).executeTakeFirst();
  return Number(result.numDeletedRows);
}

// Soft-deleted rows.

/**
 * Ids of rows soft-deleted before `before` (an instant). For residents and households, a row still
 * named by another record cannot go: it is a candidate only while it still has personal content.
 */
async function findDeletedIds(
  db: Executor,
  table: PurgedTable,
  before: string,
  limit: number,
): Promise<string[]> {
  const rows = await generic(db)
    .selectFrom(tableName(table))
    .select('id')
    .where('deletedAt', '<', before)
    .$if(table === 'resident', (qb) =>
      qb.where(sql<SqlBool>`(not ${residentReferenced} or ${pendingIn('resident')})`),
    )
    .$if(table === 'household', (qb) =>
      qb.where(sql<SqlBool>`(not ${householdReferenced} or ${pendingIn('household')})`),
    )
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/** A resident is named by casework, a campaign or a dispute party. */
const residentReferenced = sql<SqlBool>`(
  exists (select 1 from assistance r where r.resident_id = resident.id)
  or exists (select 1 from must_visit_task r where r.resident_id = resident.id)
  or exists (select 1 from visit_subject r where r.resident_id = resident.id)
  or exists (select 1 from dispute_party r where r.resident_id = resident.id)
  or exists (select 1 from petition r where r.requester_resident_id = resident.id)
  or exists (select 1 from campaign_visit r where r.resident_id = resident.id))`;

/** A household is named by its members (deleted ones too), a pairing, a visit or a campaign. */
const householdReferenced = sql<SqlBool>`(
  exists (select 1 from resident r where r.household_id = household.id)
  or exists (select 1 from pairing r where r.household_id = household.id)
  or exists (select 1 from visit_subject r where r.household_id = household.id)
  or exists (select 1 from campaign_visit r where r.household_id = household.id))`;

/** Of these residents or households, those no other record names: they can be deleted. */
async function findUnreferenced(
  db: Executor,
  table: 'resident' | 'household',
  ids: readonly string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await generic(db)
    .selectFrom(tableName(table))
    .select('id')
    .where('id', 'in', ids)
    .where(sql<SqlBool>`not ${table === 'resident' ? residentReferenced : householdReferenced}`)
    .execute();
  return rows.map((row) => row.id);
}

// Children of the records.

/** Photos of these visits (kept and removed ones), with the file each is stored in. */
async function findVisitPhotos(db: Executor, visitIds: readonly string[]) {
  if (visitIds.length === 0) return [];
  return db
    .selectFrom('visitPhoto')
    .select(['visitPhoto.id', 'visitPhoto.storageKey'])
    .where('visitPhoto.visitId', 'in', visitIds)
    .execute();
}

/** Photos of visits made on or before `cutoff`, oldest id first. */
async function findExpiredPhotos(db: Executor, cutoff: string, limit: number) {
  return db
    .selectFrom('visitPhoto')
    .innerJoin('visit', 'visit.id', 'visitPhoto.visitId')
    .select(['visitPhoto.id', 'visitPhoto.storageKey'])
    .where('visit.visitedOn', '<=', cutoff)
    .orderBy('visitPhoto.id')
    .limit(limit)
    .execute();
}

/** Storage keys of these photos (soft-removed ones the job deletes). */
async function findPhotoFiles(db: Executor, photoIds: readonly string[]): Promise<string[]> {
  if (photoIds.length === 0) return [];
  const rows = await db
    .selectFrom('visitPhoto')
    .select('visitPhoto.storageKey')
    .where('visitPhoto.id', 'in', photoIds)
    .execute();
  return rows.map((row) => row.storageKey);
}

async function deletePhotos(db: Executor, photoIds: readonly string[]): Promise<number> {
  return deleteRows(db, 'visitPhoto', photoIds);
}

/** A visit's visitors and subjects go with it; tasks and planned visits it closed stay closed. */
async function deleteVisitChildren(db: Executor, visitIds: readonly string[]): Promise<void> {
  if (visitIds.length === 0) return;
  await db.deleteFrom('visitVisitor').where('visitId', 'in', visitIds).execute();
  await db.deleteFrom('visitSubject').where('visitId', 'in', visitIds).execute();
  await db.updateTable('mustVisitTask').set({ visitId: null }).where('visitId', 'in', visitIds).execute();
  await db.updateTable('campaignVisit').set({ visitId: null }).where('visitId', 'in', visitIds).execute();
}

/** A dispute's parties: the name replaced, the link to the register dropped, the ethnicity kept. */
async function anonymiseDisputeParties(db: Executor, disputeIds: readonly string[], name: string) {
  if (disputeIds.length === 0) return;
  await db
    .updateTable('disputeParty')
    .set({ name, residentId: null })
    .where('disputeId', 'in', disputeIds)
    .execute();
}

async function findDisputeStepIds(db: Executor, disputeIds: readonly string[]): Promise<string[]> {
  if (disputeIds.length === 0) return [];
  const rows = await db
    .selectFrom('disputeStep')
    .select('disputeStep.id')
    .where('disputeStep.disputeId', 'in', disputeIds)
    .execute();
  return rows.map((row) => row.id);
}

async function deleteDisputeChildren(db: Executor, disputeIds: readonly string[]): Promise<void> {
  if (disputeIds.length === 0) return;
  await db.deleteFrom('disputeParty').where('disputeId', 'in', disputeIds).execute();
  await db.deleteFrom('disputeStep').where('disputeId', 'in', disputeIds).execute();
}

async function clearPetitionEventNotes(db: Executor, petitionIds: readonly string[]): Promise<void> {
  if (petitionIds.length === 0) return;
  await db.updateTable('petitionEvent').set({ notes: null }).where('petitionId', 'in', petitionIds).execute();
}

async function deletePetitionEvents(db: Executor, petitionIds: readonly string[]): Promise<void> {
  if (petitionIds.length === 0) return;
  await db.deleteFrom('petitionEvent').where('petitionId', 'in', petitionIds).execute();
}

/** A floating resident keeps arrival date, reason and expected stay; addresses and the landlord go. */
async function clearFloatingDetails(db: Executor, residentIds: readonly string[]): Promise<void> {
  if (residentIds.length === 0) return;
  await db
    .updateTable('floatingResident')
    .set({ originAddress: null, stall: null, landlordName: null, landlordPhone: null })
    .where('residentId', 'in', residentIds)
    .execute();
}

/** The name search index of these residents (it holds their names). */
async function deleteNameGrams(db: Executor, residentIds: readonly string[]): Promise<void> {
  if (residentIds.length === 0) return;
  await db.deleteFrom('residentNameGram').where('residentId', 'in', residentIds).execute();
}

async function deleteResidentChildren(db: Executor, residentIds: readonly string[]): Promise<void> {
  if (residentIds.length === 0) return;
  await deleteNameGrams(db, residentIds);
  await db.deleteFrom('floatingResident').where('residentId', 'in', residentIds).execute();
}

// Import reports.

/** Import batches recorded before `before` (an instant): all of them, or those whose report is whole. */
async function findExpiredImports(
  db: Executor,
  before: string,
  mode: ExpiryMode,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('importBatch')
    .select('importBatch.id')
    .where('importBatch.createdAt', '<', before)
    .$if(mode === 'anonymise', (qb) => qb.where('importBatch.anonymisedAt', 'is', null))
    .orderBy('importBatch.id')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

async function deleteImports(db: Executor, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db.deleteFrom('importBatch').where('id', 'in', ids).executeTakeFirst();
  return Number(result.numDeletedRows);
}

// Sessions and sign-in failures.

/** Sessions that ended (expired) before `before`, at most `limit` of them; answers how many went. */
async function deleteEndedSessions(db: Executor, before: string, limit: number): Promise<number> {
  const ids = db.selectFrom('userSession').select('id').where('expiresAt', '<', before).limit(limit);
  const result = await db.deleteFrom('userSession').where('id', 'in', ids).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Sign-in failure counts last touched before `before` that lock nothing any more. */
async function deleteStaleLoginFailures(db: Executor, before: string, now: string, limit: number) {
  const names = db
    .selectFrom('loginThrottle')
    .select('username')
    .where('updatedAt', '<', before)
    .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<', now)]))
    .limit(limit);
  const result = await db.deleteFrom('loginThrottle').where('username', 'in', names).executeTakeFirst();
  return Number(result.numDeletedRows);
}

// Settings and reports.

async function findPolicies(db: Executor) {
  return db
    .selectFrom('retentionPolicy')
    .leftJoin('appUser', 'appUser.id', 'retentionPolicy.updatedBy')
    .select([
      'retentionPolicy.recordType',
      'retentionPolicy.days',
      'retentionPolicy.action',
      'retentionPolicy.updatedAt',
      'appUser.displayName as updatedByName',
    ])
    .execute();
}

async function upsertPolicy(
  db: Executor,
  row: { recordType: string; days: number; action: string; updatedAt: string; updatedBy: string | null },
): Promise<void> {
  await db
    .insertInto('retentionPolicy')
    .values(row)
    .onConflict((oc) =>
      oc.column('recordType').doUpdateSet({
        days: row.days,
        action: row.action,
        updatedAt: row.updatedAt,
        updatedBy: row.updatedBy,
      }),
    )
    .execute();
}

async function insertRun(db: Executor, row: Insertable<RetentionRunTable>): Promise<void> {
  await db.insertInto('retentionRun').values(row).execute();
}

async function findRuns(db: Executor, offset: number, limit: number) {
  const [rows, total] = await Promise.all([
    db
      .selectFrom('retentionRun')
      .selectAll()
      .orderBy('startedAt', 'desc')
      .orderBy('id', 'desc')
      .offset(offset)
      .limit(limit)
      .execute(),
    db
      .selectFrom('retentionRun')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

async function findRun(db: Executor, id: string) {
  return db.selectFrom('retentionRun').selectAll().where('id', '=', id).executeTakeFirst();
}

export type RetentionRunRow = NonNullable<Awaited<ReturnType<typeof findRun>>>;

export const retentionRepository = Object.freeze({
  findExpiredIds,
  markAnonymised,
  updateRow,
  deleteRows,
  findDeletedIds,
  findUnreferenced,
  findVisitPhotos,
  findExpiredPhotos,
  findPhotoFiles,
  deletePhotos,
  deleteVisitChildren,
  anonymiseDisputeParties,
  findDisputeStepIds,
  deleteDisputeChildren,
  clearPetitionEventNotes,
  deletePetitionEvents,
  clearFloatingDetails,
  deleteNameGrams,
  deleteResidentChildren,
  findExpiredImports,
  deleteImports,
  deleteEndedSessions,
  deleteStaleLoginFailures,
  findPolicies,
  upsertPolicy,
  insertRun,
  findRuns,
  findRun,
});
