import { PostgresAdapter, sql, type ColumnDataType, type Kysely } from 'kysely';

// Frozen in time: this file must not import application code. The audit log: who did or tried
// what, when, from where, with what result. Append-only on both databases (a trigger refuses
// every UPDATE and DELETE), and hash-chained: each row's hash covers the previous row's hash and
// its own content, so a changed, removed or inserted row breaks the chain. `audit_head` holds the
// last sequence number and hash; writers update it first, which serialises them across processes.

export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const timestamp = (isPostgres ? 'timestamptz' : 'text') as ColumnDataType;
  const bigint = (isPostgres ? 'bigint' : 'integer') as ColumnDataType;
  const id = (isPostgres ? 'uuid' : 'text') as ColumnDataType;
  const strict = isPostgres ? sql`` : sql`strict`;

  await db.schema
    .createTable('audit_log')
    .addColumn('seq', bigint, (c) => c.primaryKey())
    .addColumn('at', timestamp, (c) => c.notNull())
    .addColumn('user_id', id)
    .addColumn('username', 'text')
    .addColumn('roles', 'text')
    .addColumn('org_unit_id', id)
    .addColumn('ip', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text')
    .addColumn('object_id', 'text')
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('detail', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();
  await db.schema.createIndex('audit_log_user_idx').on('audit_log').columns(['user_id', 'at']).execute();

  await db.schema
    .createTable('audit_head')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('last_seq', bigint, (c) => c.notNull())
    .addColumn('last_hash', 'text', (c) => c.notNull())
    .modifyEnd(strict)
    .execute();
  await db
    .insertInto('audit_head')
    .values({ id: 1, last_seq: 0, last_hash: '0'.repeat(64) })
    .execute();

  if (isPostgres) {
    await sql`
      create function audit_log_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_log is append-only';
      end $$`.execute(db);
    await sql`
      create trigger audit_log_append_only before update or delete on audit_log
      for each row execute function audit_log_append_only()`.execute(db);
    await sql`
      create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function audit_log_append_only()`.execute(db);
  } else {
    await sql`
      create trigger audit_log_no_update before update on audit_log
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
    await sql`
      create trigger audit_log_no_delete before delete on audit_log
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.dropTable('audit_head').execute();
  await db.schema.dropTable('audit_log').execute();
  if (isPostgres) await sql`drop function audit_log_append_only()`.execute(db);
}
