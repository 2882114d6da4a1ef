import { PostgresAdapter, sql, type ColumnDataType, type Kysely } from 'kysely';

// Frozen in time: this file must not import application code. Register imports: a resident may be
// held for review (待核实) with the reason's code, and every committed import file is recorded
// (its hash makes a second import of the same file recognisable) with its report; column mappings
// corrected by a user are kept as templates per org unit.

export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const id = (isPostgres ? 'uuid' : 'text') as ColumnDataType;
  const timestamp = (isPostgres ? 'timestamptz' : 'text') as ColumnDataType;
  const strict = isPostgres ? sql`` : sql`strict`;

  // e.g. 'id_check_digit', 'gender_mismatch'; null when nothing is in doubt.
  await db.schema.alterTable('resident').addColumn('review_flag', 'text').execute();

  await db.schema
    .createTable('import_batch')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('org_unit_id', id, (c) => c.notNull().references('org_unit.id'))
    .addColumn('street_id', id, (c) => c.references('org_unit.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('register', 'text', (c) => c.notNull())
    .addColumn('rows', 'integer', (c) => c.notNull())
    .addColumn('accepted', 'integer', (c) => c.notNull())
    .addColumn('created', 'integer', (c) => c.notNull())
    .addColumn('updated', 'integer', (c) => c.notNull())
    .addColumn('merged', 'integer', (c) => c.notNull())
    .addColumn('rejected', 'integer', (c) => c.notNull())
    .addColumn('flagged', 'integer', (c) => c.notNull())
    // The whole report (rejected and flagged rows, places created) as JSON.
    .addColumn('report', 'text', (c) => c.notNull())
    .addColumn('created_by', id)
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema
    .createIndex('import_batch_org_file_idx')
    .on('import_batch')
    .columns(['org_unit_id', 'file_sha256'])
    .execute();

  await db.schema
    .createTable('import_template')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('org_unit_id', id, (c) => c.notNull().references('org_unit.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    // Header text → field, as JSON.
    .addColumn('mapping', 'text', (c) => c.notNull())
    .addColumn('created_by', id)
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addUniqueConstraint('import_template_org_name_key', ['org_unit_id', 'name'])
    .modifyEnd(strict)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('import_template').execute();
  await db.schema.dropTable('import_batch').execute();
  await db.schema.alterTable('resident').dropColumn('review_flag').execute();
}
