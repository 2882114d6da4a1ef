import type { Insertable } from 'kysely';
import { insertMany } from '../../db/bulk-insert.ts';
import type { Executor } from '../../db/database.ts';
import { asSystem } from '../../db/row-security.ts';
import { inOrgScope, type OrgScope } from '../../db/scope.ts';
import type {
  ChangeLogRow,
  FloatingResidentRow,
  HouseholdRow,
  ImportBatchTable,
  ImportTemplateTable,
  PlaceRow,
  ResidentNameGramRow,
  ResidentRow,
} from '../../db/schema.ts';

/** Records an import has built and not yet written, in the order foreign keys need them. */
export interface NewRecords {
  places: PlaceRow[];
  households: HouseholdRow[];
  residents: ResidentRow[];
  floating: FloatingResidentRow[];
  grams: ResidentNameGramRow[];
  changes: ChangeLogRow[];
}

export function noNewRecords(): NewRecords {
  return { places: [], households: [], residents: [], floating: [], grams: [], changes: [] };
}

const byGramKey = (a: ResidentNameGramRow, b: ResidentNameGramRow) =>
  compareText(a.gram, b.gram) ||
  compareText(a.orgUnitId, b.orgUnitId) ||
  compareText(a.name, b.name) ||
  compareText(a.residentId, b.residentId);

/** Code-unit order: the key order of the gram table, or close to it (locality is all that counts here). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Writes the records in a few multi-row statements; parents before children. The name grams go in
 * the order of their primary key: a gram's rows land on the same pages instead of all over the index.
 */
async function insertNewRecords(db: Executor, records: NewRecords): Promise<void> {
  await insertMany(db, 'place', records.places);
  await insertMany(db, 'household', records.households);
  await insertMany(db, 'resident', records.residents);
  await insertMany(db, 'floatingResident', records.floating);
  await insertMany(db, 'residentNameGram', [...records.grams].sort(byGramKey));
  await insertMany(db, 'changeLog', records.changes);
}

/** The live residents of the target subtree, with the raw fields an import compares against. */
async function findScopeResidents(db: Executor, scope: OrgScope) {
  return db
    .selectFrom('resident')
    .leftJoin('floatingResident as f', 'f.residentId', 'resident.id')
    .select([
      'resident.id',
      'resident.orgUnitId',
      'resident.name',
      'resident.idNumberHash',
      'resident.birthDate',
      'resident.gender',
      'resident.ethnicityCode',
      'resident.phoneHash',
      'resident.originRegionCode',
      'resident.residenceType',
      'resident.householdId',
      'resident.relationToHead',
      'resident.dwellingId',
      'resident.note',
      'resident.reviewFlag',
      'resident.version',
      'resident.isHardship',
      'resident.isMinimumLivingAllowance',
      'resident.isDisabled',
      'resident.isElderlyAlone',
      'resident.isPartyMember',
      'resident.isVolunteer',
      'f.residentId as floatingResidentId',
    ])
    .where(inOrgScope(db, 'resident.orgUnitId', scope))
    .where('resident.deletedAt', 'is', null)
    .execute();
}
export type ScopeResident = Awaited<ReturnType<typeof findScopeResidents>>[number];

/** Which of these ID numbers (by blind index) belong to live residents anywhere, inside or outside the scope. */
async function findLiveIdNumberHashes(db: Executor, idNumberHashes: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < idNumberHashes.length; i += 500) {
    const rows = await db
      .selectFrom('resident')
      .select('resident.idNumberHash')
      .where('resident.idNumberHash', 'in', idNumberHashes.slice(i, i + 500))
      .where('resident.deletedAt', 'is', null)
      .execute();
    for (const row of rows) if (row.idNumberHash) found.add(row.idNumberHash);
  }
  return found;
}

/** Live households of the subtree with the name of their head, to attach imported members. */
async function findScopeHouseholds(db: Executor, scope: OrgScope) {
  return db
    .selectFrom('household')
    .leftJoin('resident as head', (join) =>
      join
        .onRef('head.householdId', '=', 'household.id')
        .on('head.relationToHead', '=', 'head')
        .on('head.deletedAt', 'is', null),
    )
    .select([
      'household.id',
      'household.orgUnitId',
      'household.dwellingId',
      'household.address',
      'head.name as headName',
    ])
    .where(inOrgScope(db, 'household.orgUnitId', scope))
    .where('household.deletedAt', 'is', null)
    .execute();
}

/** Live places of the subtree, to find an estate, building, entrance or dwelling by name. */
async function findScopePlaces(db: Executor, scope: OrgScope) {
  return db
    .selectFrom('place')
    .select(['place.id', 'place.orgUnitId', 'place.kind', 'place.parentId', 'place.name', 'place.version'])
    .where(inOrgScope(db, 'place.orgUnitId', scope))
    .where('place.deletedAt', 'is', null)
    .execute();
}

async function findBatchByHash(db: Executor, orgUnitId: string, fileSha256: string) {
  return db
    .selectFrom('importBatch')
    .select(['importBatch.id', 'importBatch.createdAt'])
    .where('importBatch.orgUnitId', '=', orgUnitId)
    .where('importBatch.fileSha256', '=', fileSha256)
    .executeTakeFirst();
}

/** Saved column mappings of these org units, by name. */
async function findTemplates(db: Executor, orgUnitIds: readonly string[]) {
  if (orgUnitIds.length === 0) return [];
  return db
    .selectFrom('importTemplate')
    .selectAll()
    .where('orgUnitId', 'in', orgUnitIds)
    .orderBy('name')
    .execute();
}

async function findTemplateById(db: Executor, id: string) {
  return db.selectFrom('importTemplate').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Saves a mapping under its name for the org unit, replacing one of the same name. */
async function saveTemplate(db: Executor, row: Insertable<ImportTemplateTable>): Promise<void> {
  await db
    .insertInto('importTemplate')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['orgUnitId', 'name']).doUpdateSet({
        mapping: row.mapping,
        createdBy: row.createdBy ?? null,
        createdAt: row.createdAt,
      }),
    )
    .execute();
}

async function deleteTemplate(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('importTemplate').where('id', '=', id).execute();
}

async function insertBatch(db: Executor, row: Insertable<ImportBatchTable>): Promise<void> {
  await db.insertInto('importBatch').values(row).execute();
}

export const importRepository = Object.freeze({
  findScopeResidents,
  // Tree-wide by design (a number registered elsewhere is refused): past the row-security wall,
  // answering only which numbers are taken.
  findLiveIdNumberHashes: asSystem(findLiveIdNumberHashes),
  findScopeHouseholds,
  findScopePlaces,
  findBatchByHash,
  insertNewRecords,
  insertBatch,
  findTemplates,
  findTemplateById,
  saveTemplate,
  deleteTemplate,
});
