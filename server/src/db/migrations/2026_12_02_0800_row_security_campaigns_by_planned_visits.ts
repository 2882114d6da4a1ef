import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: this file must not import application code.
//
// PostgreSQL only: a festival visit campaign of a unit above the scope was readable to the whole
// subtree below it. It is now readable below its unit only where it plans a visit (a grid worker
// reads the community's campaign of the visits planned in the grid), as the application shows it.

const SCOPE = '(select shiliuzi_scope_path())';

async function run(db: Kysely<any>, text: string): Promise<void> {
  await sql.raw(text).execute(db);
}

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await run(db, `drop policy visit_campaign_read_above on visit_campaign`);
  // campaign_visit's own policy holds in the subquery too: only planned visits of the scope count.
  await run(
    db,
    `create policy visit_campaign_read_planned on visit_campaign for select using (
       exists (select from campaign_visit cv where cv.campaign_id = visit_campaign.id))`,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await run(db, `drop policy visit_campaign_read_planned on visit_campaign`);
  await run(
    db,
    `create policy visit_campaign_read_above on visit_campaign for select using (
       org_unit_id in (select u.id from org_unit u where starts_with(${SCOPE}, u.path)))`,
  );
}
