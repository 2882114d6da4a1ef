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
 * The statement sizes a batch is cut into: full statements, then the rest by powers of two (a rest of 300
 * rows is 256 + 32 + 8 + 4). A table is then written with a handful of statement shapes that SQLite
 * prepares once and keeps (its cache is keyed by the text); a shape per rest would prepare a long
 * statement anew for nearly every batch and fill the cache with programs of up to several MiB each.
 */
export function statementSizes(rows: number, rowsPerStatement: number): number[] {
  const sizes: number[] = [];
  let left = rows;
  while (left >= rowsPerStatement) {
    sizes.push(rowsPerStatement);
    left -= rowsPerStatement;
  }
  for (let size = 1 << Math.floor(Math.log2(Math.max(1, left))); left > 0; size >>= 1) {
    if (left >= size) {
      sizes.push(size);
      left -= size;
    }
  }
  return sizes;
}

/** Statement texts by table, columns and row count: long texts are not rebuilt for every batch. */
const statementTexts = new Map<string, string>();

function statementText(
  dialect: ReturnType<typeof dialectOf>,
  table: string,
  columns: readonly string[],
  rows: number,
): string {
  const key = `${dialect.name}\u0000${table}\u0000${columns.join(',')}\u0000${rows}`;
  let text = statementTexts.get(key);
  if (text === undefined) {
    const tuples: string[] = [];
    for (let row = 0; row < rows; row++) {
      const slots = columns.map((_, c) => dialect.parameter(row * columns.length + c));
      tuples.push(`(${slots.join(', ')})`);
    }
    text = `insert into ${quote(table)} (${columns.map(quote).join(', ')}) values ${tuples.join(', ')}`;
    statementTexts.set(key, text);
  }
  return text;
}

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
  const rowsPerStatement = Math.max(
    1,
    Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(dialect.maxParameters / columns.length)),
  );
  let start = 0;
  for (const size of statementSizes(rows.length, rowsPerStatement)) {
    const parameters: unknown[] = new Array(size * columns.length);
    let at = 0;
    for (let r = start; r < start + size; r++) {
      const row = rows[r]!;
      for (const column of columns) {
        if (!(column in row)) throw new Error(`insertMany(${table}): a row lacks ${column}`);
        parameters[at++] = row[column];
      }
    }
    start += size;
    await db.executeQuery(CompiledQuery.raw(statementText(dialect, table, columns, size), parameters));
  }
}
