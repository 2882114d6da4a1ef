import { PostgresAdapter, sql, type ColumnDataType, type Kysely } from 'kysely';

// Frozen in time: this file must not import application code. Photos of a visit (走访照片): the
// file lives under the data dir (attachments/<yyyy>/<id>), the row says whose it is, what it is
// and whether it was removed (removal is soft; the file stays).

export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const id = (isPostgres ? 'uuid' : 'text') as ColumnDataType;
  const timestamp = (isPostgres ? 'timestamptz' : 'text') as ColumnDataType;
  const table = db.schema
    .createTable('visit_photo')
    .addColumn('id', id, (c) => c.primaryKey())
    .addColumn('visit_id', id, (c) => c.notNull().references('visit.id'))
    .addColumn('org_unit_id', id, (c) => c.notNull().references('org_unit.id'))
    .addColumn('street_id', id, (c) => c.references('org_unit.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'integer', (c) => c.notNull().check(sql`size_bytes > 0`))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', timestamp, (c) => c.notNull())
    .addColumn('created_by', id)
    .addColumn('deleted_at', timestamp)
    .addColumn('deleted_by', id);
  await (isPostgres ? table : table.modifyEnd(sql`strict`)).execute();
  await db.schema.createIndex('visit_photo_visit_idx').on('visit_photo').column('visit_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('visit_photo').execute();
}
