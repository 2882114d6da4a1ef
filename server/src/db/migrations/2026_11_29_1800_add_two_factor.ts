import { PostgresAdapter, sql, type ColumnDataType, type Kysely } from 'kysely';

// Frozen in time: this file must not import application code. Two-factor sign-in (TOTP, RFC 6238):
// a user's secret once enrolled (and one being enrolled), one-time recovery codes (hashed), and per
// session which second step is still owed ('verify' a code, or 'enrol' first).

export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const id = (isPostgres ? 'uuid' : 'text') as ColumnDataType;
  const timestamp = (isPostgres ? 'timestamptz' : 'text') as ColumnDataType;
  await db.schema.alterTable('app_user').addColumn('totp_secret', 'text').execute();
  await db.schema.alterTable('app_user').addColumn('totp_pending_secret', 'text').execute();
  await db.schema.alterTable('app_user').addColumn('totp_enabled_at', timestamp).execute();
  await db.schema.alterTable('user_session').addColumn('second_factor', 'text').execute();
  await db.schema
    .createTable('recovery_code')
    .addColumn('user_id', id, (c) => c.notNull().references('app_user.id'))
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('used_at', timestamp)
    .addPrimaryKeyConstraint('recovery_code_pk', ['user_id', 'code_hash'])
    .modifyEnd(isPostgres ? sql`` : sql`strict`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('recovery_code').execute();
  await db.schema.alterTable('user_session').dropColumn('second_factor').execute();
  await db.schema.alterTable('app_user').dropColumn('totp_enabled_at').execute();
  await db.schema.alterTable('app_user').dropColumn('totp_pending_secret').execute();
  await db.schema.alterTable('app_user').dropColumn('totp_secret').execute();
}
