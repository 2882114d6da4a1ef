import { sql } from 'kysely';
import type { Executor } from '../../db/database.ts';
import type { AppUserRow } from '../../db/schema.ts';
import { inOrgScope, orgSubtreeIds, type OrgScope } from '../../db/scope.ts';
import { dialectOf } from '../../db/dialect-of.ts';

export type UserWithOrgRow = AppUserRow & { orgUnitName: string; orgPath: string; roles: string[] };

async function withRoles(db: Executor, rows: (AppUserRow & { orgUnitName: string; orgPath: string })[]) {
  if (rows.length === 0) return [];
  const roleRows = await db
    .selectFrom('userRole')
    .select(['userId', 'role'])
    .where(
      'userId',
      'in',
      rows.map((r) => r.id),
    )
    .execute();
  return rows.map((r) => ({
    ...r,
    roles: roleRows
      .filter((x) => x.userId === r.id)
      .map((x) => x.role)
      .sort(),
  }));
}

function selectUsers(db: Executor) {
  return db
    .selectFrom('appUser')
    .innerJoin('orgUnit', 'orgUnit.id', 'appUser.orgUnitId')
    .selectAll('appUser')
    .select(['orgUnit.name as orgUnitName', 'orgUnit.path as orgPath'])
    .where('appUser.deletedAt', 'is', null);
}

async function findUserByUsername(db: Executor, username: string): Promise<UserWithOrgRow | undefined> {
  const rows = await selectUsers(db).where('appUser.username', '=', username).execute();
  return (await withRoles(db, rows))[0];
}

/** Failed logins of a user name as typed, and until when it is locked. */
async function findLoginThrottle(db: Executor, username: string) {
  return db.selectFrom('loginThrottle').selectAll().where('username', '=', username).executeTakeFirst();
}

async function saveLoginThrottle(
  db: Executor,
  row: { username: string; failures: number; lockedUntil: string | null; updatedAt: string },
): Promise<void> {
  await db
    .insertInto('loginThrottle')
    .values(row)
    .onConflict((oc) =>
      oc.column('username').doUpdateSet({
        failures: row.failures,
        lockedUntil: row.lockedUntil,
        updatedAt: row.updatedAt,
      }),
    )
    .execute();
}

async function clearLoginThrottle(db: Executor, username: string): Promise<void> {
  await db.deleteFrom('loginThrottle').where('username', '=', username).execute();
}

async function findUserById(db: Executor, id: string): Promise<UserWithOrgRow | undefined> {
  const rows = await selectUsers(db).where('appUser.id', '=', id).execute();
  return (await withRoles(db, rows))[0];
}

async function findUsers(db: Executor, scopePath: string): Promise<UserWithOrgRow[]> {
  const rows = await selectUsers(db)
    .where('appUser.orgUnitId', 'in', orgSubtreeIds(db, scopePath))
    .orderBy('appUser.username')
    .execute();
  return withRoles(db, rows);
}

/**
 * Live, enabled users of a subtree whose display name or user name contains `q`, by display name:
 * whom a visit, a pairing or a petition may name.
 */
async function findPickableUsers(db: Executor, scope: OrgScope, q: string | undefined, limit: number) {
  const dialect = dialectOf(db);
  return db
    .selectFrom('appUser')
    .innerJoin('orgUnit', 'orgUnit.id', 'appUser.orgUnitId')
    .select(['appUser.id', 'appUser.displayName', 'orgUnit.name as orgUnitName'])
    .where(inOrgScope(db, 'appUser.orgUnitId', scope))
    .where('appUser.deletedAt', 'is', null)
    .where('appUser.isDisabled', '=', dialect.bool(false))
    .$if(Boolean(q), (qb) =>
      qb.where((eb) =>
        eb.or([
          dialect.contains(eb.ref('appUser.displayName'), q!),
          dialect.contains(eb.ref('appUser.username'), q!),
        ]),
      ),
    )
    .orderBy('appUser.displayName')
    .orderBy('appUser.id')
    .limit(limit)
    .execute();
}

async function insertUser(db: Executor, row: AppUserRow, roles: readonly string[]): Promise<void> {
  await db.insertInto('appUser').values(row).execute();
  await db
    .insertInto('userRole')
    .values(roles.map((role) => ({ userId: row.id, role })))
    .execute();
}

/** The hashes of a user's last `count` passwords, newest first (the current one among them). */
async function findRecentPasswordHashes(db: Executor, userId: string, count: number): Promise<string[]> {
  const rows = await db
    .selectFrom('passwordHistory')
    .select('passwordHash')
    .where('userId', '=', userId)
    .orderBy('changedAt', 'desc')
    .limit(count)
    .execute();
  return rows.map((row) => row.passwordHash);
}

async function insertPasswordHistory(
  db: Executor,
  row: { userId: string; passwordHash: string; changedAt: string },
): Promise<void> {
  await db.insertInto('passwordHistory').values(row).execute();
}

/** Sets a user's password (and whether it must be changed at the next sign-in). */
async function setPassword(
  db: Executor,
  userId: string,
  change: { passwordHash: string; mustChangePassword: boolean; now: string; actorId: string | null },
): Promise<void> {
  await db
    .updateTable('appUser')
    .set({
      passwordHash: change.passwordHash,
      passwordChangedAt: change.now,
      mustChangePassword: dialectOf(db).bool(change.mustChangePassword),
      version: sql`version + 1`,
      updatedAt: change.now,
      updatedBy: change.actorId,
    })
    .where('id', '=', userId)
    .execute();
}

/** Marks a user's password as one to change before anything else (it has expired). */
async function requirePasswordChange(db: Executor, userId: string): Promise<void> {
  await db
    .updateTable('appUser')
    .set({ mustChangePassword: dialectOf(db).bool(true) })
    .where('id', '=', userId)
    .execute();
}

/** Ends every session of a user but one. */
async function deleteOtherSessions(db: Executor, userId: string, keepSessionId: string): Promise<string[]> {
  const rows = await db
    .deleteFrom('userSession')
    .where('userId', '=', userId)
    .where('id', '!=', keepSessionId)
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

/** Marks the second step of a session done. */
async function clearSecondFactor(db: Executor, sessionId: string): Promise<void> {
  await db.updateTable('userSession').set({ secondFactor: null }).where('id', '=', sessionId).execute();
}

async function setTotpPendingSecret(db: Executor, userId: string, secret: string): Promise<void> {
  await db.updateTable('appUser').set({ totpPendingSecret: secret }).where('id', '=', userId).execute();
}

/** Makes the pending secret the user's own and replaces the recovery codes. */
async function enableTotp(
  db: Executor,
  userId: string,
  secret: string,
  codeHashes: readonly string[],
  now: string,
): Promise<void> {
  await db
    .updateTable('appUser')
    .set({ totpSecret: secret, totpPendingSecret: null, totpEnabledAt: now })
    .where('id', '=', userId)
    .execute();
  await db.deleteFrom('recoveryCode').where('userId', '=', userId).execute();
  await db
    .insertInto('recoveryCode')
    .values(codeHashes.map((codeHash) => ({ userId, codeHash, usedAt: null })))
    .execute();
}

/**
 * Records the time step of a code just used, if it is later than the last one: answers false when the
 * code (or an earlier one) was already used, so a code works once.
 */
async function useTotpStep(db: Executor, userId: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('appUser')
    .set({ totpLastStep: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totpLastStep', 'is', null), eb('totpLastStep', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Spends an unused recovery code; answers whether there was one. */
async function useRecoveryCode(
  db: Executor,
  userId: string,
  codeHash: string,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('recoveryCode')
    .set({ usedAt: now })
    .where('userId', '=', userId)
    .where('codeHash', '=', codeHash)
    .where('usedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

async function insertSession(
  db: Executor,
  session: {
    id: string;
    userId: string;
    createdAt: string;
    expiresAt: string;
    ip: string | null;
    secondFactor: 'verify' | 'enrol' | null;
  },
): Promise<void> {
  await db
    .insertInto('userSession')
    .values({ ...session, lastSeenAt: session.createdAt })
    .execute();
}

/** The session (unexpired) and its live, enabled user with org path and roles, in one query. */
/** The user of a live session: not past its absolute end (`now`) and used since `idleSince`. */
async function findSessionUser(db: Executor, sessionId: string, now: string, idleSince: string) {
  const dialect = dialectOf(db);
  const row = await db
    .selectFrom('userSession')
    .innerJoin('appUser', 'appUser.id', 'userSession.userId')
    .innerJoin('orgUnit', 'orgUnit.id', 'appUser.orgUnitId')
    .select((eb) => [
      'userSession.id as sessionId',
      'userSession.lastSeenAt',
      'userSession.expiresAt',
      'appUser.id as userId',
      'appUser.displayName',
      'appUser.orgUnitId',
      'appUser.mustChangePassword',
      'userSession.secondFactor',
      'orgUnit.path as orgPath',
      eb
        .selectFrom('userRole')
        .select(dialect.joinStrings(sql.ref('userRole.role')).as('roles'))
        .whereRef('userRole.userId', '=', 'appUser.id')
        .as('roles'),
    ])
    .where('userSession.id', '=', sessionId)
    .where('userSession.expiresAt', '>', now)
    .where('userSession.lastSeenAt', '>', idleSince)
    .where('appUser.deletedAt', 'is', null)
    .where('appUser.isDisabled', '=', dialect.bool(false))
    .executeTakeFirst();
  if (!row) return undefined;
  return { ...row, roles: row.roles ? row.roles.split(',') : [] };
}

async function touchSession(db: Executor, sessionId: string, now: string): Promise<void> {
  await db.updateTable('userSession').set({ lastSeenAt: now }).where('id', '=', sessionId).execute();
}

async function deleteSession(db: Executor, sessionId: string): Promise<void> {
  await db.deleteFrom('userSession').where('id', '=', sessionId).execute();
}

/** Ends every session of a user; answers the ids of the sessions ended. */
/** Replaces the roles of a user and counts the change on the account's version. */
async function replaceRoles(
  db: Executor,
  userId: string,
  roles: readonly string[],
  by: string | null,
  at: string,
) {
  await db.deleteFrom('userRole').where('userId', '=', userId).execute();
  if (roles.length > 0)
    await db
      .insertInto('userRole')
      .values(roles.map((role) => ({ userId, role })))
      .execute();
  await db
    .updateTable('appUser')
    .set((eb) => ({ version: eb('version', '+', 1), updatedAt: at, updatedBy: by }))
    .where('id', '=', userId)
    .execute();
}

async function deleteUserSessions(db: Executor, userId: string): Promise<string[]> {
  const rows = await db.deleteFrom('userSession').where('userId', '=', userId).returning('id').execute();
  return rows.map((row) => row.id);
}

async function setUserDisabled(
  db: Executor,
  userId: string,
  disabled: boolean,
  actorId: string | null,
  now: string,
): Promise<void> {
  await db
    .updateTable('appUser')
    .set({
      isDisabled: dialectOf(db).bool(disabled),
      version: sql`version + 1`,
      updatedAt: now,
      updatedBy: actorId,
    })
    .where('id', '=', userId)
    .execute();
}

export const userRepository = Object.freeze({
  findPickableUsers,
  findUserByUsername,
  findLoginThrottle,
  saveLoginThrottle,
  clearLoginThrottle,
  replaceRoles,
  findUserById,
  findUsers,
  insertUser,
  findRecentPasswordHashes,
  insertPasswordHistory,
  setPassword,
  requirePasswordChange,
  deleteOtherSessions,
  insertSession,
  clearSecondFactor,
  setTotpPendingSecret,
  enableTotp,
  useRecoveryCode,
  useTotpStep,
  findSessionUser,
  touchSession,
  deleteSession,
  deleteUserSessions,
  setUserDisabled,
});
