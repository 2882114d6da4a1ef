import { CompiledQuery, type Insertable } from 'kysely';
import { toSnakeCase } from './camel-case.ts';
import type { Executor } from './database.ts';
import { dialectOf } from './dialect-of.ts';
import type { DB } from './schema.ts';

/**
 * Longer statements save nothing measurable and cost memory: SQLite copies every bound value and compiles
 * a program as long as the statement (8,000-row statements raised an import's peak RSS by ~80 MiB).
 */
const MAX_ROWS_PER_STATEMENT = 500;

const quote = (name: string) => `"${toSnakeCase(name)}"`;

/**
 * Inserts many rows of one table with as few statements as the dialect's parameter limit allows,
 * written once per shape instead of through the query builder (which costs more per value than
 * the insert itself). Every row must have the keys of the first, in any order; `rows` are the
 * schema's camelCase rows, exactly as `insertInto(table).values(row)` takes them.
 */
export async function insertMany<T extends keyof DB & string>(
  db: Executor,
  table: T,
  rows: readonly Insertable<DB[T]>[],
): Promise<void> {
  if (rows.length === 0) return;
  const dialect = dialectOf(db);
  const columns = Object.keys(rows[0]!) as (keyof Insertable<DB[T]> & string)[];
  const head = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values `;
  const rowsPerStatement = Math.max(
    1,
    Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(dialect.maxParameters / columns.length)),
  );
  for (let start = 0; start < rows.length; start += rowsPerStatement) {
    const chunk = rows.slice(start, start + rowsPerStatement);
    const parameters: unknown[] = [];
    const tuples: string[] = [];
    for (const row of chunk) {
      const slots: string[] = [];
      for (const column of columns) {
        if (!(column in row)) throw new Error(`insertMany(${table}): a row lacks ${column}`);
        slots.push(dialect.parameter(parameters.length));
        parameters.push(row[column]);
      }
      tuples.push(`(${slots.join(', ')})`);
    }
    await db.executeQuery(CompiledQuery.raw(head + tuples.join(', '), parameters));
  }
}
