import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: this file must not import application code.
//
// PostgreSQL only: visit photos and festival visit campaigns behind the row-security wall of
// 2026_12_01_0900_row_level_security, like every other table whose rows carry their org unit. A
// campaign is also read below its unit (a grid worker sees the community's campaign of the planned
// visits assigned to them, and a festival visit they record closes them), and written only in it.

const APP_ROLE = 'shiliuzi_app';
const tables = ['visit_photo', 'visit_campaign', 'campaign_visit'];

const SYSTEM = '(select shiliuzi_is_system())';
const SCOPE = '(select shiliuzi_scope_path())';

async function run(db: Kysely<any>, text: string): Promise<void> {
  await sql.raw(text).execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await run(db, `grant select, insert, update, delete on ${tables.join(', ')} to ${APP_ROLE}`);
  const admitted = `${SYSTEM} or org_unit_id in (select u.id from org_unit u where starts_with(u.path, ${SCOPE}))`;
  const above = `org_unit_id in (select u.id from org_unit u where starts_with(${SCOPE}, u.path))`;
  for (const table of tables) {
    await run(db, `alter table ${table} enable row level security`);
    await run(db, `alter table ${table} force row level security`);
    await run(
      db,
      `create policy ${table}_scope on ${table} for all using (${admitted}) with check (${admitted})`,
    );
  }
  // Policies of one command combine with OR: reading a campaign is the scope's rule or this one.
  await run(db, `create policy visit_campaign_read_above on visit_campaign for select using (${above})`);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await run(db, `drop policy visit_campaign_read_above on visit_campaign`);
  for (const table of tables) {
    await run(db, `drop policy ${table}_scope on ${table}`);
    await run(db, `alter table ${table} no force row level security`);
    await run(db, `alter table ${table} disable row level security`);
  }
  await run(db, `revoke all on ${tables.join(', ')} from ${APP_ROLE}`);
}
