import { PostgresAdapter, sql, type ColumnDataType, type Kysely } from 'kysely';

// Frozen in time: this file must not import application code.

/**
 * The audit trail may lose its oldest rows to the retention job, never a row younger than 180 days
 * (GB/T 22239 level 3 asks for at least six months). The head keeps where the chain now starts: the
 * first kept row's number and the hash it chains from, so `audit verify` still checks every link.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const bigint = (isPostgres ? 'bigint' : 'integer') as ColumnDataType;

  await db.schema
    .alterTable('audit_head')
    .addColumn('first_seq', bigint, (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable('audit_head')
    .addColumn('first_prev_hash', 'text', (c) => c.notNull().defaultTo('0'.repeat(64)))
    .execute();

  if (isPostgres) {
    await sql`
      create or replace function audit_log_append_only() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' and old.at < now() - interval '180 days' then
          return old;
        end if;
        raise exception 'audit_log is append-only';
      end $$`.execute(db);
  } else {
    await sql`drop trigger audit_log_no_delete`.execute(db);
    await sql`
      create trigger audit_log_no_delete before delete on audit_log
      when old.at >= strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-180 days')
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  if (isPostgres) {
    await sql`
      create or replace function audit_log_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'audit_log is append-only';
      end $$`.execute(db);
  } else {
    await sql`drop trigger audit_log_no_delete`.execute(db);
    await sql`
      create trigger audit_log_no_delete before delete on audit_log
      begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
  }
  await db.schema.alterTable('audit_head').dropColumn('first_prev_hash').execute();
  await db.schema.alterTable('audit_head').dropColumn('first_seq').execute();
}
