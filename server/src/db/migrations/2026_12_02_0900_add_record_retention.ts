import { PostgresAdapter, sql, type ColumnDataType, type CreateTableBuilder, type Kysely } from 'kysely';

// Frozen in time: this file must not import application code.
//
// Retention of records by type: `retention_policy` holds the period and action set for a record
// type (a type without a row keeps its default), `retention_run` the report of every run of the
// job. Records the job anonymises keep their row for the figures and say when
// (`anonymised_at`); a record changed after that (its `updated_at` is later) is anonymised again.
// PostgreSQL: both tables are behind the row-security wall of 2026_12_01_0900_row_level_security.
// They hold no org unit's rows: they are read and the periods set only at the top of the tree (the
// scope is the whole tree), and runs are written by the system (the job) only.

const APP_ROLE = 'shiliuzi_app';

/** Tables whose rows the job anonymises in place. */
const anonymisedTables = [
  'resident',
  'household',
  'visit',
  'assistance',
  'dispute',
  'petition',
  'pairing',
  'must_visit_task',
  'import_batch',
];

const SYSTEM = '(select shiliuzi_is_system())';
/** The scope is the whole tree: the root or one top-level unit's subtree. */
const WHOLE_TREE = `coalesce((select shiliuzi_scope_path()) ~ '^/([^/]+/)?$', false)`;

async function run(db: Kysely<any>, text: string): Promise<void> {
  await sql.raw(text).execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const id = (isPostgres ? 'uuid' : 'text') as ColumnDataType;
  const bool = (isPostgres ? 'boolean' : 'integer') as ColumnDataType;
  const timestamp = (isPostgres ? 'timestamptz' : 'text') as ColumnDataType;
  const strict = <T extends CreateTableBuilder<any, any>>(t: T): T =>
    (isPostgres ? t : t.modifyEnd(sql`strict`)) as T;

  await strict(
    db.schema
      .createTable('retention_policy')
      .addColumn('record_type', 'text', (c) => c.primaryKey())
      .addColumn('days', 'integer', (c) => c.notNull().check(sql`days >= 0`))
      .addColumn('action', 'text', (c) => c.notNull().check(sql`action in ('anonymise', 'delete')`))
      .addColumn('updated_at', timestamp, (c) => c.notNull())
      .addColumn('updated_by', id),
  ).execute();

  await strict(
    db.schema
      .createTable('retention_run')
      .addColumn('id', id, (c) => c.primaryKey())
      .addColumn('started_at', timestamp, (c) => c.notNull())
      .addColumn('finished_at', timestamp)
      .addColumn('trigger', 'text', (c) => c.notNull())
      .addColumn('dry_run', bool, (c) => c.notNull())
      .addColumn('actor_id', id)
      .addColumn('actor_name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      // The report as JSON: counts per record type and action, with the cutoff dates; no personal data.
      .addColumn('report', 'text', (c) => c.notNull())
      .addColumn('error', 'text'),
  ).execute();
  await db.schema.createIndex('retention_run_started_idx').on('retention_run').column('started_at').execute();

  for (const table of anonymisedTables) {
    await db.schema.alterTable(table).addColumn('anonymised_at', timestamp).execute();
  }

  if (isPostgres) {
    await run(db, `grant select, insert, update, delete on retention_policy, retention_run to ${APP_ROLE}`);
    for (const table of ['retention_policy', 'retention_run']) {
      await run(db, `alter table ${table} enable row level security`);
      await run(db, `alter table ${table} force row level security`);
    }
    const admitted = `${SYSTEM} or ${WHOLE_TREE}`;
    await run(
      db,
      `create policy retention_policy_scope on retention_policy for all using (${admitted}) with check (${admitted})`,
    );
    await run(db, `create policy retention_run_read on retention_run for select using (${admitted})`);
    await run(
      db,
      `create policy retention_run_write on retention_run for all using (${SYSTEM}) with check (${SYSTEM})`,
    );
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of anonymisedTables) {
    await db.schema.alterTable(table).dropColumn('anonymised_at').execute();
  }
  // Their grants and policies go with them.
  await db.schema.dropTable('retention_run').execute();
  await db.schema.dropTable('retention_policy').execute();
}
