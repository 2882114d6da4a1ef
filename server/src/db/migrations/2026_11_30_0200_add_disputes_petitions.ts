import { PostgresAdapter, sql, type ColumnDataType, type CreateTableBuilder, type Kysely } from 'kysely';

// Frozen in time: this file must not import application code. Casework: disputes (矛盾纠纷) with
// their parties and mediation steps; petitions and hotline calls (信访、热线) with their status
// changes, and the answer deadline (SLA, days) an org unit sets per channel.
// Free text that is sensitive (and to be encrypted at rest later) is kept in its own clearly named
// columns: dispute.summary, dispute.follow_up, dispute_step.notes, petition.subject,
// petition.requester_name, petition_event.notes.

export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const id = (isPostgres ? 'uuid' : 'text') as ColumnDataType;
  const bool = (isPostgres ? 'boolean' : 'integer') as ColumnDataType;
  const timestamp = (isPostgres ? 'timestamptz' : 'text') as ColumnDataType;
  const date = (isPostgres ? 'date' : 'text') as ColumnDataType;
  const strict = <T extends CreateTableBuilder<any, any>>(t: T): T =>
    (isPostgres ? t : t.modifyEnd(sql`strict`)) as T;
  const withRecordColumns = <T extends CreateTableBuilder<any, any>>(b: T): T =>
    b
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', timestamp, (c) => c.notNull())
      .addColumn('updated_at', timestamp, (c) => c.notNull())
      .addColumn('created_by', id)
      .addColumn('updated_by', id)
      .addColumn('deleted_at', timestamp) as T;
  const live = <T extends { where: (...args: any[]) => T }>(b: T): T =>
    b.where(sql.ref('deleted_at'), 'is', null);

  await strict(
    withRecordColumns(
      db.schema
        .createTable('dispute')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('org_unit_id', id, (c) => c.notNull().references('org_unit.id'))
        .addColumn('street_id', id, (c) => c.references('org_unit.id'))
        .addColumn('intake_date', date, (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('is_ethnic_factor', bool, (c) => c.notNull())
        .addColumn('risk_level', 'text', (c) => c.notNull())
        .addColumn('handling_level', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('closed_on', date)
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('follow_up', 'text'),
    ),
  ).execute();
  // Lists by unit and date, and every column the figures read, for live rows.
  await live(
    db.schema
      .createIndex('dispute_org_intake_idx')
      .on('dispute')
      .columns(['org_unit_id', 'intake_date', 'outcome', 'handling_level', 'category', 'deleted_at']),
  ).execute();

  await strict(
    db.schema
      .createTable('dispute_party')
      .addColumn('id', id, (c) => c.primaryKey())
      .addColumn('dispute_id', id, (c) => c.notNull().references('dispute.id'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('resident_id', id, (c) => c.references('resident.id'))
      // The name and ethnicity as recorded (copied from the register for a resident).
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('ethnicity_code', 'text', (c) => c.references('ethnic_group.code')),
  ).execute();
  await db.schema.createIndex('dispute_party_dispute_idx').on('dispute_party').column('dispute_id').execute();
  await db.schema
    .createIndex('dispute_party_resident_idx')
    .on('dispute_party')
    .column('resident_id')
    .execute();

  await strict(
    db.schema
      .createTable('dispute_step')
      .addColumn('id', id, (c) => c.primaryKey())
      .addColumn('dispute_id', id, (c) => c.notNull().references('dispute.id'))
      .addColumn('step_date', date, (c) => c.notNull())
      .addColumn('notes', 'text', (c) => c.notNull())
      .addColumn('handled_by', 'text')
      .addColumn('created_at', timestamp, (c) => c.notNull())
      .addColumn('created_by', id),
  ).execute();
  await db.schema
    .createIndex('dispute_step_dispute_idx')
    .on('dispute_step')
    .columns(['dispute_id', 'step_date'])
    .execute();

  await strict(
    withRecordColumns(
      db.schema
        .createTable('petition')
        .addColumn('id', id, (c) => c.primaryKey())
        .addColumn('org_unit_id', id, (c) => c.notNull().references('org_unit.id'))
        .addColumn('street_id', id, (c) => c.references('org_unit.id'))
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('received_date', date, (c) => c.notNull())
        .addColumn('requester_resident_id', id, (c) => c.references('resident.id'))
        .addColumn('requester_name', 'text')
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('assignee_id', id, (c) => c.references('app_user.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('response_date', date)
        // Days from receipt to response, set when closed (the figures average it).
        .addColumn('handling_days', 'integer')
        .addColumn('due_date', date, (c) => c.notNull()),
    ),
  ).execute();
  await live(
    db.schema
      .createIndex('petition_org_received_idx')
      .on('petition')
      .columns(['org_unit_id', 'received_date', 'channel', 'status', 'handling_days', 'deleted_at']),
  ).execute();
  await db.schema.createIndex('petition_assignee_idx').on('petition').column('assignee_id').execute();

  await strict(
    db.schema
      .createTable('petition_event')
      .addColumn('id', id, (c) => c.primaryKey())
      .addColumn('petition_id', id, (c) => c.notNull().references('petition.id'))
      .addColumn('from_status', 'text')
      .addColumn('to_status', 'text', (c) => c.notNull())
      .addColumn('event_date', date, (c) => c.notNull())
      .addColumn('notes', 'text')
      .addColumn('actor_id', id)
      .addColumn('actor_name', 'text', (c) => c.notNull())
      .addColumn('at', timestamp, (c) => c.notNull()),
  ).execute();
  await db.schema
    .createIndex('petition_event_petition_idx')
    .on('petition_event')
    .columns(['petition_id', 'at'])
    .execute();

  await strict(
    db.schema
      .createTable('petition_sla')
      .addColumn('org_unit_id', id, (c) => c.notNull().references('org_unit.id'))
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('days', 'integer', (c) => c.notNull())
      .addColumn('updated_at', timestamp, (c) => c.notNull())
      .addColumn('updated_by', id)
      .addPrimaryKeyConstraint('petition_sla_pkey', ['org_unit_id', 'channel']),
  ).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'petition_sla',
    'petition_event',
    'petition',
    'dispute_step',
    'dispute_party',
    'dispute',
  ])
    await db.schema.dropTable(table).execute();
}
