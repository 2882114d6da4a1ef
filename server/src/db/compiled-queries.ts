import type { Compilable, CompiledQuery } from 'kysely';
import type { Executor } from './database.ts';
import { dialectOf } from './dialect-of.ts';

/**
 * A query whose SQL and parameters follow from its arguments alone, compiled once for each
 * distinct set of arguments. Kysely builds the query tree and compiles it on every call, which for
 * a page of residents or a community's figures costs a good part of running it; the same page or
 * figures are asked for again and again (a list refreshed, paged back, a dashboard reopened). The
 * compiled SQL holds no data, only the arguments, so a kept query is never out of date; the most
 * recently used `capacity` are kept. Arguments must be plain data (they are the key, as JSON).
 */
export function compiledOnce<Args extends readonly unknown[], Row>(
  build: (db: Executor, ...args: Args) => Compilable<Row>,
  capacity = 1000,
): (db: Executor, ...args: Args) => Promise<Row[]> {
  const kept = new Map<string, CompiledQuery<Row>>();
  return async (db, ...args) => {
    const key = `${dialectOf(db).name}\u0000${JSON.stringify(args)}`;
    let compiled = kept.get(key);
    if (compiled) {
      kept.delete(key); // to the most recent end
    } else {
      compiled = build(db, ...args).compile();
      if (kept.size >= capacity) kept.delete(kept.keys().next().value!);
    }
    kept.set(key, compiled);
    return (await db.executeQuery(compiled)).rows;
  };
}
