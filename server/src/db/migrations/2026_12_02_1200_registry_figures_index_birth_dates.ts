import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must not import application code. The index that serves a grid's
// residents by ethnicity and name also holds every column the registry figures read
// (statistics/statistics.repository.ts), so that a community's figures never read the table. The
// age pyramid added later reads the birth date and the gender as well: without them in the index
// it read the row of every resident of the scope (10,000 random table pages for a community of a
// million-resident district). They are added at the end, where they change no order the index
// serves.

const NAME = 'resident_org_ethnicity_name_idx';
const before = [
  'org_unit_id',
  'ethnicity_code',
  'name',
  'id',
  'residence_type',
  'relation_to_head',
  'household_id',
  'moved_in_on',
  'moved_out_on',
  'deleted_at',
];
const after = [...before, 'birth_date', 'gender'];

async function recreate(db: Kysely<any>, columns: string[]): Promise<void> {
  await db.schema.dropIndex(NAME).execute();
  await db.schema
    .createIndex(NAME)
    .on('resident')
    .columns(columns)
    .where(sql.ref('deleted_at'), 'is', null)
    .execute();
}

export async function up(db: Kysely<any>): Promise<void> {
  await recreate(db, after);
}

export async function down(db: Kysely<any>): Promise<void> {
  await recreate(db, before);
}
