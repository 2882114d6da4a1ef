import { AsyncLocalStorage } from 'node:async_hooks';
import {
  CompiledQuery,
  sql,
  type Kysely,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type PostgresDialect,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type { DB } from './schema.ts';

/**
 * Whose rows the database may show to the work running now (PostgreSQL row-level security, the second
 * wall behind the scope helper): a request's org subtree, or the system itself (migrations, the
 * operator's CLI, sign-in, the audit writer, jobs). SQLite has no row security and ignores it.
 */
export type RowScope = { readonly kind: 'subtree'; readonly path: string } | { readonly kind: 'system' };

const storage = new AsyncLocalStorage<RowScope>();
const SYSTEM: RowScope = Object.freeze({ kind: 'system' });

/** An org path as the tree writes it: `/`, then one uuid and a slash per level. */
const ORG_PATH = /^\/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/)*$/i;

/** Runs `work` (and everything it starts) with the database showing the subtree at `path` only. */
export function runInSubtree<T>(path: string, work: () => T): T {
  if (!ORG_PATH.test(path)) throw new RangeError(`not an org path: ${path}`);
  return storage.run(Object.freeze({ kind: 'subtree', path }), work);
}

/**
 * Runs `work` as the system: every row visible. Only for work the server or the operator does on its
 * own account, never chosen by request input: migrations, CLI commands, signing in (the user is not
 * known yet), the audit writer and jobs, and the few lookups that must see the whole tree (is this ID
 * number registered anywhere?).
 */
export function runAsSystem<T>(work: () => T): T {
  return storage.run(SYSTEM, work);
}

/** `fn`, always run as the system (see runAsSystem). */
export function asSystem<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return (...args) => runAsSystem(() => fn(...args));
}

/** Runs `work` in a scope handed over from elsewhere (a task sent to a worker thread). */
export function runInRowScope<T>(scope: RowScope | undefined, work: () => T): T {
  if (scope === undefined) return work();
  return scope.kind === 'system' ? runAsSystem(work) : runInSubtree(scope.path, work);
}

/** The scope of the work running now, if any. */
export function currentRowScope(): RowScope | undefined {
  return storage.getStore();
}

/** Thrown when database work runs in no row scope on a connection that has no default. */
/**
 * Whether PostgreSQL refused a row because of a row-level security policy (SQLSTATE 42501 with the
 * policy named): the second wall stopped a write the application's scope filter let through.
 */
export function isRowSecurityRefusal(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === '42501' && typeof message === 'string' && message.includes('row-level security');
}

export class MissingRowScopeError extends Error {
  constructor() {
    super('database work outside any row scope (runInSubtree or runAsSystem)');
    this.name = 'MissingRowScopeError';
  }
}

const keyOf = (scope: RowScope) => (scope.kind === 'system' ? 'system' : scope.path);

/** `set_config` of both settings, local to the transaction; paths are checked, so quoting is plain. */
function settingsSql(scope: RowScope): string {
  const path = scope.kind === 'subtree' ? scope.path : '';
  if (!ORG_PATH.test(path) && path !== '') throw new RangeError(`not an org path: ${path}`);
  return (
    `select set_config('shiliuzi.scope_path', '${path}', true), ` +
    `set_config('shiliuzi.system', '${scope.kind === 'system' ? 'on' : 'off'}', true)`
  );
}

function beginSql(settings: TransactionSettings): string {
  if (!settings.isolationLevel && !settings.accessMode) return 'begin';
  let text = 'start transaction';
  if (settings.isolationLevel) text += ` isolation level ${settings.isolationLevel}`;
  if (settings.accessMode) text += ` ${settings.accessMode}`;
  return text;
}

/**
 * A connection whose every statement runs in a transaction that set the row scope first:
 * `begin; select set_config(…, true)` travel as one round trip, then the statement; a statement
 * outside a Kysely transaction gets a transaction of its own. The settings are transaction-local, so a
 * pooled connection never carries a scope into the next checkout.
 */
class RowScopedConnection implements DatabaseConnection {
  /** The scope set in the open transaction; undefined outside one. */
  applied: string | undefined;

  constructor(
    readonly inner: DatabaseConnection,
    private readonly driver: RowScopedPostgresDriver,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const scope = this.driver.scopeNow();
    if (this.applied !== undefined) {
      if (this.applied !== keyOf(scope)) {
        await this.inner.executeQuery(CompiledQuery.raw(settingsSql(scope)));
        this.applied = keyOf(scope);
      }
      return this.inner.executeQuery<R>(query);
    }
    await this.inner.executeQuery(CompiledQuery.raw(`begin; ${settingsSql(scope)}`));
    let result: QueryResult<R>;
    try {
      result = await this.inner.executeQuery<R>(query);
    } catch (error) {
      await this.driver.inner.rollbackTransaction(this.inner).catch(() => undefined);
      throw error;
    }
    await this.driver.inner.commitTransaction(this.inner);
    return result;
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not set up for PostgreSQL');
  }
}

/**
 * Kysely's PostgreSQL driver, with the row scope of the work running now (AsyncLocalStorage) set in
 * every transaction. Work in no scope falls back to `fallback` (the operator's CLI and test fixtures
 * open their database with the system as default), else is refused: on the server every request sets
 * its subtree and everything else says `runAsSystem`, so nothing runs unwalled by accident.
 */
export class RowScopedPostgresDriver implements Driver {
  constructor(
    readonly inner: Driver,
    private readonly fallback: RowScope | undefined,
  ) {}

  scopeNow(): RowScope {
    const scope = storage.getStore() ?? this.fallback;
    if (!scope) throw new MissingRowScopeError();
    return scope;
  }

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new RowScopedConnection(await this.inner.acquireConnection(), this);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const c = connection as RowScopedConnection;
    const scope = this.scopeNow();
    await c.inner.executeQuery(CompiledQuery.raw(`${beginSql(settings)}; ${settingsSql(scope)}`));
    c.applied = keyOf(scope);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as RowScopedConnection;
    c.applied = undefined;
    await this.inner.commitTransaction(c.inner);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as RowScopedConnection;
    c.applied = undefined;
    await this.inner.rollbackTransaction(c.inner);
  }

  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    return this.inner.savepoint!((connection as RowScopedConnection).inner, name, compile);
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler['compileQuery'],
  ): Promise<void> {
    const c = connection as RowScopedConnection;
    await this.inner.rollbackToSavepoint!(c.inner, name, compile);
    // A scope set after the savepoint is undone with it: set it again before the next statement.
    c.applied = '';
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']) {
    return this.inner.releaseSavepoint!((connection as RowScopedConnection).inner, name, compile);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    const c = connection as RowScopedConnection;
    c.applied = undefined;
    return this.inner.releaseConnection(c.inner);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** PostgreSQL's dialect with the row-scoped driver in place of its own. */
export function rowScopedPostgresDialect(dialect: PostgresDialect, fallback: RowScope | undefined): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new RowScopedPostgresDriver(dialect.createDriver(), fallback),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}

/** How the connected PostgreSQL role stands towards row-level security. */
export interface RowSecurityRole {
  name: string;
  /** A superuser or BYPASSRLS: no policy applies to it. */
  bypassesRowSecurity: boolean;
  /** Owns the registers (or is a member of their owner): it could turn row security off. */
  ownsTables: boolean;
}

export async function describeRowSecurityRole(db: Kysely<DB>): Promise<RowSecurityRole> {
  const { rows } = await sql<RowSecurityRole>`
    select current_user as name,
      (select rolsuper or rolbypassrls from pg_roles where rolname = current_user) as "bypassesRowSecurity",
      coalesce((select pg_has_role(current_user, c.relowner, 'MEMBER') from pg_class c
                 where c.oid = to_regclass('resident')), false) as "ownsTables"`.execute(db);
  return rows[0]!;
}
