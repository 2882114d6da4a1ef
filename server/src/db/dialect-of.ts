import { PostgresAdapter } from 'kysely';
import type { Executor } from './database.ts';
import { postgresDialect, sqliteDialect, type DialectAdapter } from './dialect.ts';

/** The dialect adapter for a database or transaction. */
export function dialectOf(db: Executor): DialectAdapter {
  return db.getExecutor().adapter instanceof PostgresAdapter ? postgresDialect : sqliteDialect;
}
