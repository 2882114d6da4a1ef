import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

/**
 * Everything that differs between SQLite and PostgreSQL, in one place. Repositories ask this
 * object instead of testing the dialect themselves.
 */
export interface DialectAdapter {
  readonly name: DialectName;
  /** A boolean as the database stores it: 0/1 on SQLite, true/false on PostgreSQL. */
  bool(value: boolean): boolean | number;
  /** `text` starts with `prefix`, written so the database can use a B-tree index. */
  startsWith(text: Expression<string>, prefix: string): RawBuilder<SqlBool>;
  /** `text` contains `needle`, ignoring ASCII case, with wildcards in `needle` taken literally. */
  contains(text: Expression<string | null>, needle: string): RawBuilder<SqlBool>;
  /** `text` ends with `suffix`, wildcards in `suffix` taken literally. */
  endsWith(text: Expression<string | null>, suffix: string): RawBuilder<SqlBool>;
  /** Aggregate: the values of a text column joined with commas (group_concat / string_agg). */
  joinStrings(text: Expression<string>): RawBuilder<string | null>;
  /** A date (YYYY-MM-DD text or date column) minus a number of days, as a date comparable with date columns. */
  dateMinusDays(date: Expression<string> | string, days: Expression<number>): RawBuilder<string>;
  /** The placeholder of the `index`-th (0-based) parameter of a statement written by hand. */
  parameter(index: number): string;
  /** How many parameters one statement may bind. */
  readonly maxParameters: number;
  /** Whether a driver error is a unique-constraint violation. */
  isUniqueViolation(error: unknown): boolean;
  /** Whether a driver error is a foreign-key violation. */
  isForeignKeyViolation(error: unknown): boolean;
  /** Whether a driver error means another writer held the database too long: worth trying again. */
  isBusy(error: unknown): boolean;
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

/** Escapes the wildcard characters of LIKE (PostgreSQL) or GLOB (SQLite) in a literal prefix. */
function escapePattern(prefix: string, chars: RegExp): string {
  return prefix.replace(chars, (c) => `\\${c}`);
}

/** The smallest string greater than every string that starts with `prefix` (binary order). */
function nextPrefix(prefix: string): string {
  if (prefix === '') return '\u{10FFFF}';
  const last = prefix.charCodeAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCharCode(last + 1);
}

function likePattern(needle: string): string {
  return `%${escapePattern(needle, /[\\%_]/g)}%`;
}

function suffixPattern(suffix: string): string {
  return `%${escapePattern(suffix, /[\\%_]/g)}`;
}

export const sqliteDialect: DialectAdapter = {
  name: 'sqlite',
  bool: (value) => (value ? 1 : 0),
  // A plain range on the B-tree. GLOB/LIKE with a bound pattern would also use the index, but SQLite
  // then re-prepares the statement at every new binding, which costs more than the lookup itself.
  startsWith: (text, prefix) => sql<SqlBool>`(${text} >= ${prefix} and ${text} < ${nextPrefix(prefix)})`,
  contains: (text, needle) => sql<SqlBool>`${text} like ${likePattern(needle)} escape '\\'`,
  endsWith: (text, suffix) => sql<SqlBool>`${text} like ${suffixPattern(suffix)} escape '\\'`,
  joinStrings: (text) => sql<string | null>`group_concat(${text}, ',')`,
  dateMinusDays: (date, days) => sql<string>`date(${date}, '-' || ${days} || ' days')`,
  parameter: () => '?',
  // SQLITE_MAX_VARIABLE_NUMBER of the SQLite that better-sqlite3 bundles.
  maxParameters: 32_766,
  isUniqueViolation: (error) =>
    errorCode(error) === 'SQLITE_CONSTRAINT_UNIQUE' || errorCode(error) === 'SQLITE_CONSTRAINT_PRIMARYKEY',
  isForeignKeyViolation: (error) => errorCode(error) === 'SQLITE_CONSTRAINT_FOREIGNKEY',
  isBusy: (error) => String(errorCode(error)).startsWith('SQLITE_BUSY'),
};

export const postgresDialect: DialectAdapter = {
  name: 'postgres',
  bool: (value) => value,
  // Served by the text_pattern_ops index on the column.
  startsWith: (text, prefix) => sql<SqlBool>`${text} like ${escapePattern(prefix, /[\\%_]/g) + '%'}`,
  contains: (text, needle) => sql<SqlBool>`${text} ilike ${likePattern(needle)} escape '\\'`,
  endsWith: (text, suffix) => sql<SqlBool>`${text} like ${suffixPattern(suffix)} escape '\\'`,
  joinStrings: (text) => sql<string | null>`string_agg(${text}, ',')`,
  dateMinusDays: (date, days) => sql<string>`(cast(${date} as date) - cast(${days} as integer))`,
  parameter: (index) => `$${index + 1}`,
  // The wire protocol counts parameters in 16 bits.
  maxParameters: 65_535,
  isUniqueViolation: (error) => errorCode(error) === '23505',
  isForeignKeyViolation: (error) => errorCode(error) === '23503',
  // lock_not_available, serialization_failure, deadlock_detected
  isBusy: (error) => ['55P03', '40001', '40P01'].includes(String(errorCode(error))),
};
