import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: this file must not import application code.
//
// PostgreSQL only: visit photos and festival visit campaigns behind the row-security wall of
// 2026_12_01_0900_row_level_security, like every other table whose rows carry their org unit.

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
  for (const table of tables) {
    const admitted = `${SYSTEM} or org_unit_id in (select u.id from org_unit u where starts_with(u.path, ${SCOPE}))`;
    await run(db, `alter table ${table} enable row level security`);
    await run(db, `alter table ${table} force row level security`);
    await run(
      db,
      `create policy ${table}_scope on ${table} for all using (${admitted}) with check (${admitted})`,
    );
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const table of tables) {
    await run(db, `drop policy ${table}_scope on ${table}`);
    await run(db, `alter table ${table} no force row level security`);
    await run(db, `alter table ${table} disable row level security`);
  }
  await run(db, `revoke all on ${tables.join(', ')} from ${APP_ROLE}`);
}
