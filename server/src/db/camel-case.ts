import {
  CamelCasePlugin,
  PostgresQueryCompiler,
  SqliteQueryCompiler,
  type Dialect,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';

type RowMapper = (row: UnknownRow) => UnknownRow;
const unchanged: RowMapper = (row) => row;

/**
 * Kysely's CamelCasePlugin with a faster result mapper: for each distinct set of columns it
 * generates one object-literal constructor (rows come back as fast objects, keys converted once),
 * and leaves rows alone whose keys are camelCase already (the SQLite driver builds them so).
 * No column here holds a nested object, so only top-level keys are mapped. Queries are left as they
 * are: the compiler writes their identifiers in snake_case (`withSnakeCaseIdentifiers`), which is
 * what the plugin's copy of every query tree did, at a third of a small query's cost.
 */
export class FastCamelCasePlugin extends CamelCasePlugin {
  readonly #mappers = new Map<string, RowMapper>();

  override transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }

  override async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const rows = args.result.rows;
    if (!Array.isArray(rows) || rows.length === 0) return args.result;
    const keys = Object.keys(rows[0]!);
    const signature = keys.join('\u0000');
    let mapper = this.#mappers.get(signature);
    if (!mapper) {
      const names = keys.map((key) => this.camelCase(key));
      mapper = names.every((name, i) => name === keys[i]) ? unchanged : compileMapper(keys, names);
      if (this.#mappers.size > 1000) this.#mappers.clear();
      this.#mappers.set(signature, mapper);
    }
    return mapper === unchanged ? args.result : { ...args.result, rows: rows.map(mapper) };
  }
}

function compileMapper(keys: string[], names: string[]): RowMapper {
  const body = keys.map((key, i) => `${JSON.stringify(names[i])}: r[${JSON.stringify(key)}]`).join(', ');
  return new Function('r', `return { ${body} };`) as RowMapper;
}

const converter = new (class extends CamelCasePlugin {
  convert(name: string): string {
    return this.camelCase(name);
  }
})();

/** snake_case → camelCase exactly as the plugin maps result keys. */
export function toCamelCase(name: string): string {
  return converter.convert(name);
}

const snakeConverter = new (class extends CamelCasePlugin {
  convert(name: string): string {
    return this.snakeCase(name);
  }
})();

/** camelCase → snake_case exactly as the plugin maps table and column names in queries. */
export function toSnakeCase(name: string): string {
  return snakeConverter.convert(name);
}

/** snake_case names of the identifiers seen so far (a few hundred: tables, columns, aliases). */
const snakeNames = new Map<string, string>();

function snakeCaseOf(identifier: string): string {
  let name = snakeNames.get(identifier);
  if (name === undefined) {
    name = toSnakeCase(identifier);
    if (snakeNames.size < 10_000) snakeNames.set(identifier, name);
  }
  return name;
}

class SnakeCaseSqliteQueryCompiler extends SqliteQueryCompiler {
  protected override sanitizeIdentifier(identifier: string): string {
    return super.sanitizeIdentifier(snakeCaseOf(identifier));
  }
}

class SnakeCasePostgresQueryCompiler extends PostgresQueryCompiler {
  protected override sanitizeIdentifier(identifier: string): string {
    return super.sanitizeIdentifier(snakeCaseOf(identifier));
  }
}

/**
 * The dialect with a compiler that writes every identifier (table, column, alias) in snake_case,
 * as CamelCasePlugin's query transform would: used with `FastCamelCasePlugin`, which maps results.
 */
export function withSnakeCaseIdentifiers(dialect: Dialect, engine: 'sqlite' | 'postgres'): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => dialect.createDriver(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () =>
      engine === 'sqlite' ? new SnakeCaseSqliteQueryCompiler() : new SnakeCasePostgresQueryCompiler(),
  };
}
