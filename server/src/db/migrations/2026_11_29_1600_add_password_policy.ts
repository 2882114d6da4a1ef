import { PostgresAdapter, sql, type ColumnDataType, type Kysely } from 'kysely';

// Frozen in time: this file must not import application code. Passwords expire and may not be
// reused: when each was set, whether it must be changed before anything else (set by an
// administrator, or expired), and the hashes of the earlier ones.

export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const id = (isPostgres ? 'uuid' : 'text') as ColumnDataType;
  const timestamp = (isPostgres ? 'timestamptz' : 'text') as ColumnDataType;
  const bool = (isPostgres ? 'boolean' : 'integer') as ColumnDataType;
  // Existing accounts count from their creation.
  await db.schema.alterTable('app_user').addColumn('password_changed_at', timestamp).execute();
  await db
    .updateTable('app_user')
    .set({ password_changed_at: sql`created_at` })
    .execute();
  await db.schema
    .alterTable('app_user')
    .addColumn('must_change_password', bool, (c) => c.notNull().defaultTo(isPostgres ? sql`false` : sql`0`))
    .execute();
  await db.schema
    .createTable('password_history')
    .addColumn('user_id', id, (c) => c.notNull().references('app_user.id'))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('changed_at', timestamp, (c) => c.notNull())
    .modifyEnd(isPostgres ? sql`` : sql`strict`)
    .execute();
  await db.schema
    .createIndex('password_history_user_idx')
    .on('password_history')
    .columns(['user_id', 'changed_at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('password_history').execute();
  await db.schema.alterTable('app_user').dropColumn('must_change_password').execute();
  await db.schema.alterTable('app_user').dropColumn('password_changed_at').execute();
}
