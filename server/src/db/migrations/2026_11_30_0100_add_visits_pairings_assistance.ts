import { PostgresAdapter, sql, type ColumnDataType, type CreateTableBuilder, type Kysely } from 'kysely';

// Frozen in time: this file must not import application code. Casework of the community: visits
// and condolences (走访慰问) with their visitors and the people or households visited, the four
// must-visit tasks (四个必访) and how many days each kind may wait per org unit, pairings of a cadre
// with a minority household (结对子) and assistance (帮困). Amounts are integer fen.

export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const id = (isPostgres ? 'uuid' : 'text') as ColumnDataType;
  const timestamp = (isPostgres ? 'timestamptz' : 'text') as ColumnDataType;
  const date = (isPostgres ? 'date' : 'text') as ColumnDataType;
  const strict = <T extends CreateTableBuilder<any, any>>(t: T): T =>
    (isPostgres ? t : t.modifyEnd(sql`strict`)) as T;
  const record = <T extends CreateTableBuilder<any, any>>(t: T): T =>
    t
      .addColumn('id', id, (c) => c.primaryKey())
      .addColumn('org_unit_id', id, (c) => c.notNull().references('org_unit.id'))
      .addColumn('street_id', id, (c) => c.references('org_unit.id')) as T;
  const stamps = <T extends CreateTableBuilder<any, any>>(t: T): T =>
    t
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', timestamp, (c) => c.notNull())
      .addColumn('updated_at', timestamp, (c) => c.notNull())
      .addColumn('created_by', id)
      .addColumn('updated_by', id)
      .addColumn('deleted_at', timestamp) as T;

  await strict(
    stamps(
      record(db.schema.createTable('visit'))
        .addColumn('visited_on', date, (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('location', 'text')
        .addColumn('gifts', 'text')
        .addColumn('amount_fen', 'integer', (c) => c.check(sql`amount_fen >= 0`))
        .addColumn('fund_source', 'text')
        .addColumn('notes', 'text'),
    ),
  ).execute();
  await db.schema
    .createIndex('visit_org_date_idx')
    .on('visit')
    .columns(['org_unit_id', 'visited_on'])
    .execute();

  await strict(
    db.schema
      .createTable('visit_visitor')
      .addColumn('visit_id', id, (c) => c.notNull().references('visit.id'))
      .addColumn('user_id', id, (c) => c.notNull().references('app_user.id'))
      .addPrimaryKeyConstraint('visit_visitor_pk', ['visit_id', 'user_id']),
  ).execute();
  await db.schema.createIndex('visit_visitor_user_idx').on('visit_visitor').column('user_id').execute();

  // One row per resident or household visited (exactly one of the two is set).
  await strict(
    db.schema
      .createTable('visit_subject')
      .addColumn('visit_id', id, (c) => c.notNull().references('visit.id'))
      .addColumn('resident_id', id, (c) => c.references('resident.id'))
      .addColumn('household_id', id, (c) => c.references('household.id'))
      .addCheckConstraint('visit_subject_one', sql`(resident_id is null) <> (household_id is null)`),
  ).execute();
  await db.schema.createIndex('visit_subject_visit_idx').on('visit_subject').column('visit_id').execute();
  await db.schema
    .createIndex('visit_subject_resident_idx')
    .on('visit_subject')
    .column('resident_id')
    .execute();
  await db.schema
    .createIndex('visit_subject_household_idx')
    .on('visit_subject')
    .column('household_id')
    .execute();

  await strict(
    stamps(
      record(db.schema.createTable('must_visit_task'))
        .addColumn('resident_id', id, (c) => c.notNull().references('resident.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('event_on', date, (c) => c.notNull())
        .addColumn('due_on', date, (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('assignee_id', id, (c) => c.references('app_user.id'))
        .addColumn('assigned_by_pairing', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('visit_id', id, (c) => c.references('visit.id'))
        .addColumn('done_on', date),
    ),
  ).execute();
  await db.schema
    .createIndex('must_visit_task_org_idx')
    .on('must_visit_task')
    .columns(['org_unit_id', 'due_on'])
    .execute();
  await db.schema
    .createIndex('must_visit_task_resident_idx')
    .on('must_visit_task')
    .columns(['resident_id', 'kind'])
    .execute();
  await db.schema
    .createIndex('must_visit_task_assignee_idx')
    .on('must_visit_task')
    .column('assignee_id')
    .execute();

  // Days a must-visit of each kind may wait, set for an org unit and inherited below it.
  await strict(
    db.schema
      .createTable('must_visit_rule')
      .addColumn('org_unit_id', id, (c) => c.notNull().references('org_unit.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('due_days', 'integer', (c) => c.notNull())
      .addColumn('updated_by', id)
      .addColumn('updated_at', timestamp, (c) => c.notNull())
      .addPrimaryKeyConstraint('must_visit_rule_pk', ['org_unit_id', 'kind']),
  ).execute();

  await strict(
    stamps(
      record(db.schema.createTable('pairing'))
        .addColumn('household_id', id, (c) => c.notNull().references('household.id'))
        .addColumn('cadre_id', id, (c) => c.notNull().references('app_user.id'))
        .addColumn('started_on', date, (c) => c.notNull())
        .addColumn('ended_on', date)
        .addColumn('frequency_days', 'integer', (c) => c.notNull())
        .addColumn('note', 'text'),
    ),
  ).execute();
  await db.schema.createIndex('pairing_org_idx').on('pairing').column('org_unit_id').execute();
  await db.schema
    .createIndex('pairing_household_idx')
    .on('pairing')
    .columns(['household_id', 'started_on'])
    .execute();
  await db.schema.createIndex('pairing_cadre_idx').on('pairing').column('cadre_id').execute();

  await strict(
    stamps(
      record(db.schema.createTable('assistance'))
        .addColumn('resident_id', id, (c) => c.notNull().references('resident.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('amount_fen', 'integer', (c) => c.notNull().check(sql`amount_fen >= 0`))
        .addColumn('fund_source', 'text', (c) => c.notNull())
        .addColumn('applied_on', date, (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('decided_by', id, (c) => c.references('app_user.id'))
        .addColumn('decided_on', date),
    ),
  ).execute();
  await db.schema
    .createIndex('assistance_org_idx')
    .on('assistance')
    .columns(['org_unit_id', 'applied_on'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'assistance',
    'pairing',
    'must_visit_rule',
    'must_visit_task',
    'visit_subject',
    'visit_visitor',
    'visit',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
