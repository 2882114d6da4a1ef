import type { Compilable, CompiledQuery } from 'kysely';
import type { Executor } from './database.ts';
import { dialectOf } from './dialect-of.ts';

/** What stands for the `index`th bound value while a query is compiled (see `compiledOnce`). */
const BOUND_MARK = '\u0000bound\u0000';
export const boundValue = (index: number): string => `${BOUND_MARK}${index}`;

/** Arguments with the values that differ at every call taken out (`boundValue`), and those values. */
export interface BoundArguments<Args> {
  shape: Args;
  values: readonly unknown[];
}

/**
 * A query whose SQL and parameters follow from its arguments alone, compiled once for each
 * distinct set of arguments. Kysely builds the query tree and compiles it on every call, which for
 * a page of residents or a community's figures costs a good part of running it; the same page or
 * figures are asked for again and again (a list refreshed, paged back, a dashboard reopened). The
 * compiled SQL holds no data, only the arguments, so a kept query is never out of date; the most
 * recently used `capacity` are kept. Arguments must be plain data (they are the key, as JSON).
 *
 * `bind` takes out of the arguments the values that are new at nearly every call (an ID number
 * searched): the query is compiled once for the rest, with `boundValue(i)` in their place, and each
 * call puts its own values into the parameters. Without it, each such call would compile anew and
 * push a query worth keeping out of the kept ones.
 */
export function compiledOnce<Args extends readonly unknown[], Row>(
  build: (db: Executor, ...args: Args) => Compilable<Row>,
  {
    capacity = 1000,
    bind,
  }: { capacity?: number; bind?: (...args: NoInfer<Args>) => BoundArguments<NoInfer<Args>> } = {},
): (db: Executor, ...args: Args) => Promise<Row[]> {
  // `slots[i]`: which bound value parameter i takes, if any.
  const kept = new Map<string, { compiled: CompiledQuery<Row>; slots: (number | undefined)[] }>();
  return async (db, ...args) => {
    const { shape, values } = bind ? bind(...args) : { shape: args, values: [] };
    const key = `${dialectOf(db).name}\u0000${JSON.stringify(shape)}`;
    let entry = kept.get(key);
    if (entry) {
      kept.delete(key); // to the most recent end
    } else {
      const compiled = build(db, ...shape).compile();
      entry = { compiled, slots: slotsOf(compiled, values.length) };
      if (kept.size >= capacity) kept.delete(kept.keys().next().value!);
    }
    kept.set(key, entry);
    const { compiled, slots } = entry;
    const query =
      values.length === 0
        ? compiled
        : {
            ...compiled,
            parameters: compiled.parameters.map((p, i) => (slots[i] === undefined ? p : values[slots[i]])),
          };
    return (await db.executeQuery(query)).rows;
  };
}

/** Where the bound values go among a compiled query's parameters; each must be one of them. */
function slotsOf(compiled: CompiledQuery, count: number): (number | undefined)[] {
  const slots = compiled.parameters.map((p) =>
    typeof p === 'string' && p.startsWith(BOUND_MARK) ? Number(p.slice(BOUND_MARK.length)) : undefined,
  );
  for (let i = 0; i < count; i++) {
    if (!slots.includes(i)) throw new Error(`bound value ${i} is not a parameter of: ${compiled.sql}`);
  }
  return slots;
}
