import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/test-database.ts';

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});

afterAll(async () => {
  await t?.cleanup();
});

/** Table → field names, read from the interfaces in schema.ts (RecordColumns expanded). */
function columnsDeclaredInSchemaTs(): Map<string, string[]> {
  const source = fs.readFileSync(path.join(import.meta.dirname, 'schema.ts'), 'utf8');
  const fieldsOf = (body: string) => [...body.matchAll(/^\s+(\w+):/gm)].map((m) => m[1]!);
  const record = fieldsOf(/interface RecordColumns \{([^}]*)\}/.exec(source)![1]!);
  const tables = new Map<string, string[]>();
  for (const m of source.matchAll(/export interface (\w+)Table( extends RecordColumns)? \{([^}]*)\}/g)) {
    const table = m[1]!.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
    const fields = [...fieldsOf(m[3]!), ...(m[2] ? record : [])];
    tables.set(
      table,
      fields.map((f) => f.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()),
    );
  }
  return tables;
}

/** Table → column names of the migrated database; on SQLite with the audit trail's own file. */
async function migratedColumns(): Promise<Map<string, string[]>> {
  const tables = await t.database.db.introspection.getTables();
  const columns = new Map(tables.map((table) => [table.name, table.columns.map((c) => c.name).sort()]));
  if (t.database.dialect.name === 'sqlite') {
    const { rows } = await sql<{ tableName: string; columnName: string }>`
      select s.name as table_name, c.name as column_name
      from audit.sqlite_schema s, pragma_table_info(s.name, 'audit') c
      where s.type = 'table' and s.name not like 'sqlite%'`.execute(t.database.db);
    for (const row of rows)
      columns.set(row.tableName, [...(columns.get(row.tableName) ?? []), row.columnName]);
    for (const [table, names] of columns) columns.set(table, names.sort());
  }
  return columns;
}

describe('the migrated schema', () => {
  it('has exactly the tables and columns that schema.ts declares', async () => {
    const declared = columnsDeclaredInSchemaTs();
    const actualMap = await migratedColumns();
    expect(declared.size).toBeGreaterThan(5);
    for (const [table, columns] of declared) {
      expect(actualMap.get(table), `table ${table}`).toEqual([...columns].sort());
    }
    expect([...actualMap.keys()].sort()).toEqual([...declared.keys()].sort());
  });

  it('seeds the 56 ethnic groups and the two local extensions', async () => {
    const rows = await t.database.db
      .selectFrom('ethnicGroup')
      .select(['code', 'name', 'isExtension'])
      .execute();
    expect(rows).toHaveLength(58);
    expect(rows.find((r) => r.code === '25')?.name).toBe('水族');
    expect(rows.filter((r) => Boolean(r.isExtension)).map((r) => r.code)).toEqual(['97', '98']);
  });

  it('refuses a resident whose ethnicity is not in the code list, even past the service', async () => {
    const insert = sql`insert into resident (id, org_unit_id, name, gender, ethnicity_code, residence_type, created_at, updated_at)
      values ('00000000-0000-7000-8000-000000000001', '00000000-0000-7000-8000-000000000002', 'x', 'male', '99', 'permanent', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')`;
    await expect(insert.execute(t.database.db)).rejects.toThrow();
  });
});
