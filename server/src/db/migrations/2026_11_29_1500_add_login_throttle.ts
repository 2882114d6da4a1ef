import { PostgresAdapter, sql, type ColumnDataType, type Kysely } from 'kysely';

// Frozen in time: this file must not import application code. Failed logins are counted per user
// name as typed (known or not, so a lockout says nothing about whether an account exists); after
// too many the name is locked for a while.

export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const timestamp = (isPostgres ? 'timestamptz' : 'text') as ColumnDataType;
  await db.schema
    .createTable('login_throttle')
    .addColumn('username', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('locked_until', timestamp)
    .addColumn('updated_at', timestamp, (c) => c.notNull())
    .modifyEnd(isPostgres ? sql`` : sql`strict`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_throttle').execute();
}
