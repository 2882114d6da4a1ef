import {
  CamelCasePlugin,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import type { DB } from '../server/src/db/schema.ts';

/** One statement exactly as the repository sends it to the driver. */
export interface CapturedQuery {
  sql: string;
  parameters: readonly unknown[];
}

/**
 * A Kysely instance that runs nothing: every query the repositories issue on it is compiled (with
 * the app's CamelCasePlugin) and recorded, and answered with one empty row. The benchmark replays
 * the recorded SQL directly on the database, so "the same SQL" is the SQL the app really runs.
 */
export function createCaptureDb(dialect: 'sqlite' | 'postgres'): {
  db: Kysely<DB>;
  capture(run: (db: Kysely<DB>) => Promise<unknown>): Promise<CapturedQuery[]>;
} {
  let recorded: CapturedQuery[] = [];
  // Thousands of captures compile the same few texts: keep one copy of each.
  const texts = new Map<string, string>();
  const connection: DatabaseConnection = {
    executeQuery: async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
      let sql = texts.get(query.sql);
      if (sql === undefined) texts.set(query.sql, (sql = query.sql));
      recorded.push({ sql, parameters: query.parameters });
      return { rows: [{} as R] };
    },
    // eslint-disable-next-line require-yield
    streamQuery: async function* () {
      throw new Error('streaming is not captured');
    },
  };
  const driver: Driver = {
    init: async () => {},
    acquireConnection: async () => connection,
    beginTransaction: async () => {},
    commitTransaction: async () => {},
    rollbackTransaction: async () => {},
    releaseConnection: async () => {},
    destroy: async () => {},
  };
  const isPostgres = dialect === 'postgres';
  const db = new Kysely<DB>({
    dialect: {
      createDriver: () => driver,
      createAdapter: () => (isPostgres ? new PostgresAdapter() : new SqliteAdapter()),
      createQueryCompiler: () => (isPostgres ? new PostgresQueryCompiler() : new SqliteQueryCompiler()),
      createIntrospector: (k) => (isPostgres ? new PostgresIntrospector(k) : new SqliteIntrospector(k)),
    },
    plugins: [new CamelCasePlugin()],
  });
  return {
    db,
    capture: async (run) => {
      recorded = [];
      await run(db);
      const out = recorded;
      recorded = [];
      return out;
    },
  };
}
