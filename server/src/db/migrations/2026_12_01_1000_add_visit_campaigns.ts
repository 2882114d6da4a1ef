import { PostgresAdapter, sql, type ColumnDataType, type Kysely } from 'kysely';

// Frozen in time: this file must not import application code. Festival visit campaigns (节日走访):
// a campaign for an org unit and a target group, and one planned visit per household (or per
// resident without one), which a festival visit closes. A household or a resident is planned at
// most once per campaign, so generating a campaign again adds only who is new.

export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const id = (isPostgres ? 'uuid' : 'text') as ColumnDataType;
  const timestamp = (isPostgres ? 'timestamptz' : 'text') as ColumnDataType;
  const date = (isPostgres ? 'date' : 'text') as ColumnDataType;
  const strict = <T extends { modifyEnd(s: unknown): T }>(t: T): T =>
    isPostgres ? t : t.modifyEnd(sql`strict`);

  await strict(
    db.schema
      .createTable('visit_campaign')
      .addColumn('id', id, (c) => c.primaryKey())
      .addColumn('org_unit_id', id, (c) => c.notNull().references('org_unit.id'))
      .addColumn('street_id', id, (c) => c.references('org_unit.id'))
      .addColumn('festival', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('starts_on', date, (c) => c.notNull())
      .addColumn('planned_on', date, (c) => c.notNull())
      .addColumn('target_filter', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', timestamp, (c) => c.notNull())
      .addColumn('updated_at', timestamp, (c) => c.notNull())
      .addColumn('created_by', id)
      .addColumn('updated_by', id)
      .addColumn('deleted_at', timestamp),
  ).execute();
  // One campaign per unit, festival and planned date: creating it twice is refused.
  await db.schema
    .createIndex('visit_campaign_unique')
    .on('visit_campaign')
    .columns(['org_unit_id', 'festival', 'planned_on'])
    .unique()
    .where(sql.ref('deleted_at'), 'is', null)
    .execute();

  await strict(
    db.schema
      .createTable('campaign_visit')
      .addColumn('id', id, (c) => c.primaryKey())
      .addColumn('campaign_id', id, (c) => c.notNull().references('visit_campaign.id'))
      .addColumn('org_unit_id', id, (c) => c.notNull().references('org_unit.id'))
      .addColumn('street_id', id, (c) => c.references('org_unit.id'))
      .addColumn('household_id', id, (c) => c.references('household.id'))
      .addColumn('resident_id', id, (c) => c.references('resident.id'))
      .addColumn('assignee_id', id, (c) => c.references('app_user.id'))
      .addColumn('assigned_by_pairing', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('visit_id', id, (c) => c.references('visit.id'))
      .addColumn('done_on', date)
      .addColumn('created_at', timestamp, (c) => c.notNull())
      .addCheckConstraint('campaign_visit_one', sql`(household_id is null) <> (resident_id is null)`),
  ).execute();
  await db.schema
    .createIndex('campaign_visit_household_unique')
    .on('campaign_visit')
    .columns(['campaign_id', 'household_id'])
    .unique()
    .where(sql.ref('household_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('campaign_visit_resident_unique')
    .on('campaign_visit')
    .columns(['campaign_id', 'resident_id'])
    .unique()
    .where(sql.ref('resident_id'), 'is not', null)
    .execute();
  // A recorded visit finds the open planned visits of its household or resident.
  await db.schema
    .createIndex('campaign_visit_household_idx')
    .on('campaign_visit')
    .column('household_id')
    .execute();
  await db.schema
    .createIndex('campaign_visit_resident_idx')
    .on('campaign_visit')
    .column('resident_id')
    .execute();
  await db.schema.createIndex('campaign_visit_visit_idx').on('campaign_visit').column('visit_id').execute();
  await db.schema
    .createIndex('campaign_visit_org_idx')
    .on('campaign_visit')
    .columns(['org_unit_id', 'campaign_id'])
    .execute();
  await db.schema
    .createIndex('campaign_visit_assignee_idx')
    .on('campaign_visit')
    .column('assignee_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('campaign_visit').execute();
  await db.schema.dropTable('visit_campaign').execute();
}
