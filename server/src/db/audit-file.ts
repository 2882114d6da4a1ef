import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.ts';

/** The schema the embedded database's audit file is attached as, on every connection the app opens. */
export const AUDIT_SCHEMA = 'audit';

/** The tables of the audit trail (their indexes and triggers go with them). */
const AUDIT_TABLES = ['audit_log', 'audit_head'];

interface SchemaObject {
  type: 'table' | 'index' | 'trigger';
  name: string;
  sql: string;
}

/** A CREATE statement as SQLite stores it (unqualified), aimed at the audit schema. */
function inAuditSchema(statement: string): string {
  const create = /^create\s+(?:table|unique\s+index|index|trigger)\s+/i.exec(statement);
  if (!create) throw new Error(`not a CREATE statement: ${statement.slice(0, 40)}`);
  return `${create[0]}${AUDIT_SCHEMA}.${statement.slice(create[0].length)}`;
}

/**
 * Moves the audit trail of the embedded database out of its main file into the audit file attached
 * beside it (db/database.ts, `attachAuditFile`), schema unchanged: the tables, their indexes and
 * triggers are created there from their own CREATE statements, the rows copied, and then the main
 * file's tables dropped. Runs after the migrations, which create the tables in the main file of a
 * new database (as a restored backup brings them); once they are moved it finds nothing to do.
 * Each file commits on its own in WAL mode, so the copy commits before the drop: a run cut short
 * between the two is finished by the next one, and rows already copied stay as they are.
 */
export async function moveAuditTrailToItsFile(db: Kysely<DB>): Promise<void> {
  const tables = sql.join(AUDIT_TABLES);
  const { rows: objects } = await sql<SchemaObject>`
    select type, name, sql from main.sqlite_schema
    where tbl_name in (${tables}) and sql is not null`.execute(db);
  if (!objects.some((o) => o.type === 'table')) return;
  const present = new Set(
    (
      await sql<{ name: string }>`select name from ${sql.id(AUDIT_SCHEMA)}.sqlite_schema`.execute(db)
    ).rows.map((o) => o.name),
  );
  const create = async (type: SchemaObject['type'], trx: Kysely<DB>) => {
    for (const o of objects.filter((o) => o.type === type && !present.has(o.name))) {
      await sql.raw(inAuditSchema(o.sql)).execute(trx);
    }
  };
  await db.transaction().execute(async (trx) => {
    await create('table', trx);
    // Rows by sequence number: a row copied by an earlier run is kept as it is.
    await sql`insert or ignore into audit.audit_log select * from main.audit_log`.execute(trx);
    await sql`
      insert or replace into audit.audit_head select * from main.audit_head m
      where not exists (select 1 from audit.audit_head a where a.id = m.id and a.last_seq >= m.last_seq)`.execute(
      trx,
    );
    await create('index', trx);
    await create('trigger', trx);
  });
  await db.transaction().execute(async (trx) => {
    for (const table of AUDIT_TABLES) await sql`drop table main.${sql.id(table)}`.execute(trx);
  });
}
