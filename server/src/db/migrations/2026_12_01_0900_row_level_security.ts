import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: this file must not import application code.
//
// PostgreSQL only (SQLite has no row security): a second wall behind the application's scope helper.
// The server connects as a member of `shiliuzi_app`, which neither owns the tables nor bypasses row
// security; every table holding org-scoped records has row security enabled and forced (the owner is
// held by it too), and its policies admit a row only when its org unit lies in the subtree named by
// `shiliuzi.scope_path`, which the server sets in each transaction, or when `shiliuzi.system` is
// `on` (migrations, the operator's CLI, signing in, the audit writer, jobs). A connection that sets
// neither sees no record and can write none. Tables created later must be granted to shiliuzi_app
// and given policies in their own migration; `row-security.pg.db.test.ts` fails on one that is not.

const APP_ROLE = 'shiliuzi_app';

/** The system setting and the scope path, read once per statement (an InitPlan, not once per row). */
const SYSTEM = '(select shiliuzi_is_system())';
const SCOPE = '(select shiliuzi_scope_path())';
const inSubtree = (column: string) =>
  `${column} in (select u.id from org_unit u where starts_with(u.path, ${SCOPE}))`;

/** Tables whose rows carry the org unit they belong to: seen and written inside the subtree only. */
const recordTables = [
  'place',
  'household',
  'resident',
  'resident_name_gram',
  'change_log',
  'import_batch',
  'dispute',
  'petition',
  'visit',
  'must_visit_task',
  'pairing',
  'assistance',
];

/** Settings kept per org unit and inherited downwards: the units above the scope are read too. */
const inheritedSettingTables = ['import_template', 'must_visit_rule', 'petition_sla'];

/** Rows that belong to a parent record: visible and writable exactly when the parent is. */
const childTables: [table: string, column: string, parent: string][] = [
  ['floating_resident', 'resident_id', 'resident'],
  ['dispute_party', 'dispute_id', 'dispute'],
  ['dispute_step', 'dispute_id', 'dispute'],
  ['petition_event', 'petition_id', 'petition'],
  ['visit_visitor', 'visit_id', 'visit'],
  ['visit_subject', 'visit_id', 'visit'],
];

/** A user's credentials and roles: only for users of the subtree (the user's own included). */
const userTables = ['user_role', 'user_session', 'recovery_code', 'password_history'];

const managedTables = [
  'org_unit',
  'app_user',
  'audit_log',
  ...recordTables,
  ...inheritedSettingTables,
  ...childTables.map(([table]) => table),
  ...userTables,
];

async function run(db: Kysely<any>, text: string): Promise<void> {
  await sql.raw(text).execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;

  // The role the server's login role is a member of. Creating it needs CREATEROLE; a DBA may create
  // it beforehand instead (docs/SECURITY.md).
  await run(
    db,
    `do $$ begin
       if not exists (select from pg_roles where rolname = '${APP_ROLE}') then
         create role ${APP_ROLE} nologin nosuperuser nobypassrls;
       end if;
     end $$`,
  );

  await run(
    db,
    `create function shiliuzi_is_system() returns boolean language sql stable parallel safe as
       $$ select coalesce(current_setting('shiliuzi.system', true), '') = 'on' $$`,
  );
  await run(
    db,
    `create function shiliuzi_scope_path() returns text language sql stable parallel safe as
       $$ select nullif(current_setting('shiliuzi.scope_path', true), '') $$`,
  );

  // What the server may do. Code lists are read only; the audit trail is appended to and loses only
  // rows past retention (its trigger refuses any other change), never updated.
  const dml = 'select, insert, update, delete';
  await run(db, `grant usage on schema public to ${APP_ROLE}`);
  const writable = [...managedTables.filter((t) => t !== 'audit_log'), 'login_throttle'];
  await run(db, `grant ${dml} on ${writable.join(', ')} to ${APP_ROLE}`);
  await run(db, `grant select on ethnic_group to ${APP_ROLE}`);
  await run(db, `grant select, insert, delete on audit_log to ${APP_ROLE}`);
  await run(db, `grant select, update on audit_head to ${APP_ROLE}`);
  // The backup reads every table, the migration bookkeeping included.
  await run(db, `grant select on kysely_migration, kysely_migration_lock to ${APP_ROLE}`);

  for (const table of managedTables) {
    await run(db, `alter table ${table} enable row level security`);
    await run(db, `alter table ${table} force row level security`);
  }

  // Org units: the subtree, and the chain above it (breadcrumbs, the street a record rolls up to).
  const unitInSubtree = `starts_with(path, ${SCOPE})`;
  await run(
    db,
    `create policy org_unit_read on org_unit for select
       using (${SYSTEM} or ${unitInSubtree} or starts_with(${SCOPE}, path))`,
  );
  await run(
    db,
    `create policy org_unit_write on org_unit for all
       using (${SYSTEM} or ${unitInSubtree}) with check (${SYSTEM} or ${unitInSubtree})`,
  );

  for (const table of recordTables) {
    const admitted = `${SYSTEM} or ${inSubtree('org_unit_id')}`;
    await run(
      db,
      `create policy ${table}_scope on ${table} for all using (${admitted}) with check (${admitted})`,
    );
  }

  for (const table of inheritedSettingTables) {
    const above = `org_unit_id in (select u.id from org_unit u where starts_with(${SCOPE}, u.path))`;
    const writable = `${SYSTEM} or ${inSubtree('org_unit_id')}`;
    await run(db, `create policy ${table}_read on ${table} for select using (${writable} or ${above})`);
    await run(
      db,
      `create policy ${table}_write on ${table} for all using (${writable}) with check (${writable})`,
    );
  }

  for (const [table, column, parent] of childTables) {
    const admitted = `${SYSTEM} or exists (select from ${parent} p where p.id = ${table}.${column})`;
    await run(
      db,
      `create policy ${table}_scope on ${table} for all using (${admitted}) with check (${admitted})`,
    );
  }

  // Accounts: names show on records across the tree (who visited, who decided, the paired cadre), so
  // any scoped work reads them; only those of the subtree can be created or changed.
  const userInSubtree = `${SYSTEM} or ${inSubtree('org_unit_id')}`;
  await run(
    db,
    `create policy app_user_read on app_user for select using (${SYSTEM} or ${SCOPE} is not null)`,
  );
  await run(
    db,
    `create policy app_user_write on app_user for all using (${userInSubtree}) with check (${userInSubtree})`,
  );
  for (const table of userTables) {
    const admitted = `${SYSTEM} or exists (select from app_user a where a.id = ${table}.user_id and ${inSubtree('a.org_unit_id')})`;
    await run(
      db,
      `create policy ${table}_scope on ${table} for all using (${admitted}) with check (${admitted})`,
    );
  }

  // The audit trail: read by auditors over their subtree (a top-level unit's auditor also reads the
  // attempts of nobody known, such as failed sign-ins); written and pruned by the system only.
  await run(
    db,
    `create policy audit_log_read on audit_log for select using (
       ${SYSTEM} or ${inSubtree('org_unit_id')}
       or (org_unit_id is null and ${SCOPE} ~ '^/([^/]+/)?$'))`,
  );
  await run(db, `create policy audit_log_append on audit_log for insert with check (${SYSTEM})`);
  await run(db, `create policy audit_log_prune on audit_log for delete using (${SYSTEM})`);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  const { rows } = await sql<{ table: string; policy: string }>`
    select tablename as "table", policyname as policy from pg_policies where schemaname = 'public'`.execute(
    db,
  );
  for (const { table, policy } of rows) await run(db, `drop policy ${policy} on ${table}`);
  for (const table of managedTables) {
    await run(db, `alter table ${table} no force row level security`);
    await run(db, `alter table ${table} disable row level security`);
  }
  await run(db, `drop function shiliuzi_scope_path()`);
  await run(db, `drop function shiliuzi_is_system()`);
  await run(
    db,
    `revoke all on ${[...managedTables, 'login_throttle', 'ethnic_group', 'audit_head', 'kysely_migration', 'kysely_migration_lock'].join(', ')} from ${APP_ROLE}`,
  );
  await run(db, `revoke usage on schema public from ${APP_ROLE}`);
}
