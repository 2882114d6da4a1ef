import type SqliteDatabase from 'better-sqlite3-multiple-ciphers';
import { openSqliteFile } from '../server/src/db/database.ts';

/** An embedded bench database: its file and the key (hex) the file is encrypted with. */
export interface SqliteLocation {
  dialect: 'sqlite';
  file: string;
  key: string;
}

/**
 * A connection of a bench's own to an embedded bench database (seeding, direct SQL), keyed as the
 * app's connection is: without the key the file does not open.
 */
export function openBenchSqlite(
  location: SqliteLocation,
  options?: SqliteDatabase.Options,
): SqliteDatabase.Database {
  const sqlite = openSqliteFile(location.file, location.key, options);
  sqlite.pragma('temp_store = MEMORY');
  return sqlite;
}
