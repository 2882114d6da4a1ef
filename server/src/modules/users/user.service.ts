import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { Role } from '@shiliuzi/shared/registry';
import type { CurrentUser, PasswordChangeInput, PickableUser, User, UserInput } from '@shiliuzi/shared/users';
import { inTransaction, type Executor } from '../../db/database.ts';
import { dialectOf } from '../../db/dialect-of.ts';
import { asSystem } from '../../db/row-security.ts';
import { defaultLoginPolicy, type LoginPolicy } from '../../config.ts';
import { AppError, conflict, forbidden, invalidInput, notFound, unauthenticated } from '../../errors.ts';
import { accountLockedMessage } from '../../locales/zh-CN.ts';
import { isInScope, type Actor, type SecondFactor } from '../../lib/actor.ts';
import { newId, nowIso } from '../../lib/ids.ts';
import {
  canCreateAccounts,
  canEditRegistry,
  canListAccounts,
  canSecureAccounts,
  reachesWholeTree,
} from '../../lib/permissions.ts';
import { joinsSeparateDuties, separateDutyRoles } from '@shiliuzi/shared/permissions';
import { newRecordStamps, recordCreated } from '../../lib/record-lifecycle.ts';
import { historyService } from '../history/history.service.ts';
import { orgUnitService } from '../org-units/org-unit.service.ts';
import { userRepository, type UserWithOrgRow } from './user.repository.ts';

// OWASP's argon2id baseline (19 MiB, 2 passes): about 20 ms a hash on this hardware.
const argonOptions = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Verified against when the username is unknown, so both failures take the same time. */
let dummyHash: Promise<string> | undefined;

function toUser(row: UserWithOrgRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    orgUnitId: row.orgUnitId,
    orgUnitName: row.orgUnitName,
    roles: row.roles as Role[],
    isDisabled: Boolean(row.isDisabled),
    mustChangePassword: Boolean(row.mustChangePassword),
  };
}

/** The actor a signed-in user acts as: his roles over his org unit's subtree. */
export function toActor(user: {
  userId: string;
  displayName: string;
  orgUnitId: string;
  orgPath: string;
  roles: string[];
  mustChangePassword?: number | boolean;
  secondFactor?: string | null;
}): Actor {
  return {
    userId: user.userId,
    name: user.displayName,
    orgUnitId: user.orgUnitId,
    scopePath: user.orgPath,
    roles: user.roles as Role[],
    ...(user.mustChangePassword ? { mustChangePassword: true } : {}),
    ...(user.secondFactor ? { secondFactor: user.secondFactor as SecondFactor } : {}),
  };
}

/**
 * Creates a user of the actor's subtree. A password an administrator sets is temporary by default:
 * the user must change it at the first sign-in (`mustChangePassword: false` for demo and test accounts).
 */
async function createUser(
  db: Executor,
  actor: Actor,
  input: UserInput,
  options: { mustChangePassword?: boolean } = {},
): Promise<User> {
  if (!canCreateAccounts(actor)) throw forbidden();
  checkDuties(input.roles);
  // An account opened through the app starts with working roles; the duties are granted by security.
  if (actor.userId !== null && input.roles.some((role) => separateDutyRoles.includes(role)))
    throw forbidden('duty_role_not_grantable');
  const passwordHash = await hash(input.password, argonOptions);
  return inTransaction(db, async (trx) => {
    const org = await orgUnitService.requireOrgUnit(trx, actor, input.orgUnitId);
    const now = nowIso();
    const id = newId();
    try {
      await userRepository.insertUser(
        trx,
        {
          id,
          username: input.username,
          displayName: input.displayName ?? input.username,
          passwordHash,
          orgUnitId: org.id,
          isDisabled: dialectOf(trx).bool(false),
          passwordChangedAt: now,
          mustChangePassword: dialectOf(trx).bool(options.mustChangePassword ?? true),
          totpSecret: null,
          totpPendingSecret: null,
          totpEnabledAt: null,
          totpLastStep: null,
          ...newRecordStamps(actor, now),
        },
        [...new Set(input.roles)],
      );
      await userRepository.insertPasswordHistory(trx, { userId: id, passwordHash, changedAt: now });
    } catch (error) {
      if (dialectOf(trx).isUniqueViolation(error)) throw conflict('username_taken');
      throw error;
    }
    const user = toUser((await userRepository.findUserByUsername(trx, input.username))!);
    await recordCreated(trx, actor, 'user', id, { orgUnitId: org.id, streetId: org.streetId }, user);
    return user;
  });
}

/** 三员: no account joins two of system administration, security administration and audit. */
function checkDuties(roles: readonly Role[]): void {
  if (joinsSeparateDuties(roles)) throw invalidInput('duty_roles_joined');
}

async function listUsers(db: Executor, actor: Actor): Promise<User[]> {
  if (!canListAccounts(actor)) throw forbidden();
  return (await userRepository.findUsers(db, actor.scopePath)).map(toUser);
}

/**
 * Users of the actor's subtree (or of one unit's subtree inside it) that a record may name as its
 * visitor, paired cadre or assignee, searched by name; for those who record casework only.
 */
async function listPickableUsers(
  db: Executor,
  actor: Actor,
  query: { orgUnitId?: string | undefined; q?: string | undefined },
): Promise<PickableUser[]> {
  if (!canEditRegistry(actor)) throw forbidden();
  const scope = await orgUnitService.resolveScope(db, actor, query.orgUnitId);
  const rows = await userRepository.findPickableUsers(db, scope, query.q, 50);
  return rows.map((row) => ({ id: row.id, name: row.displayName, orgUnitName: row.orgUnitName }));
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Checks the password and opens a session. Unknown user, wrong password and disabled account
 * all answer the same, after the same work. Failures are counted per user name as typed (known or
 * not); the `maxFailures`-th within `lockMinutes` locks the name for `lockMinutes`, and a locked name
 * is refused even with the right password.
 */
async function login(
  db: Executor,
  username: string,
  password: string,
  ip: string | null,
  ttlMinutes: number,
  policy: Pick<
    LoginPolicy,
    'maxFailures' | 'lockMinutes' | 'passwordMaxAgeDays' | 'totpRequiredRoles'
  > = defaultLoginPolicy,
): Promise<{ token: string; user: User; expiresAt: string; secondFactor: SecondFactor | null }> {
  const now = new Date();
  const throttle = await userRepository.findLoginThrottle(db, username);
  const lockedUntil = throttle?.lockedUntil ? Date.parse(throttle.lockedUntil) : 0;
  const row = await userRepository.findUserByUsername(db, username);
  dummyHash ??= hash('not a password', argonOptions);
  const ok = await verify(row?.passwordHash ?? (await dummyHash), password);
  if (lockedUntil > now.getTime()) throw locked(lockedUntil - now.getTime());
  if (!row || !ok || Boolean(row.isDisabled)) {
    await recordFailedSignIn(db, username, policy, now, throttle);
    throw unauthenticated('invalid_credentials');
  }
  if (throttle) await userRepository.clearLoginThrottle(db, username);
  const changedAt = Date.parse(row.passwordChangedAt ?? row.createdAt);
  if (!row.mustChangePassword && now.getTime() - changedAt > policy.passwordMaxAgeDays * 86_400_000) {
    await userRepository.requirePasswordChange(db, row.id);
    row.mustChangePassword = dialectOf(db).bool(true);
  }
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + ttlMinutes * 60_000).toISOString();
  // An enrolled user proves the second factor; one whose role requires it enrols first.
  const secondFactor: SecondFactor | null = row.totpSecret
    ? 'verify'
    : (row.roles as Role[]).some((role) => policy.totpRequiredRoles.includes(role))
      ? 'enrol'
      : null;
  await userRepository.insertSession(db, {
    id: hashToken(token),
    userId: row.id,
    createdAt: now.toISOString(),
    expiresAt,
    ip,
    secondFactor,
  });
  return { token, user: toUser(row), expiresAt, secondFactor };
}

/**
 * Counts a failed sign-in step of a user name (a wrong password or a wrong second-factor code) and
 * throws the lockout when it is the `maxFailures`-th within `lockMinutes`.
 */
export async function recordFailedSignIn(
  db: Executor,
  username: string,
  policy: Pick<LoginPolicy, 'maxFailures' | 'lockMinutes'>,
  now = new Date(),
  throttle?: Awaited<ReturnType<typeof userRepository.findLoginThrottle>>,
): Promise<void> {
  const current = throttle ?? (await userRepository.findLoginThrottle(db, username));
  const lockMs = policy.lockMinutes * 60_000;
  // Failures older than the lock period are forgotten.
  const recent = current && now.getTime() - Date.parse(current.updatedAt) < lockMs ? current.failures : 0;
  const failures = recent + 1;
  const lockNow = failures >= policy.maxFailures;
  await userRepository.saveLoginThrottle(db, {
    username,
    failures: lockNow ? 0 : failures,
    lockedUntil: lockNow ? new Date(now.getTime() + lockMs).toISOString() : null,
    updatedAt: now.toISOString(),
  });
  if (lockNow) throw locked(lockMs);
}

function locked(remainingMs: number): AppError {
  return new AppError(423, 'account_locked', accountLockedMessage(Math.ceil(remainingMs / 60_000)));
}

const TOUCH_INTERVAL_MS = 60_000;
const DEFAULT_IDLE_MINUTES = 15;

/**
 * Recently checked sessions, so a burst of requests reads the session once. Only on the embedded
 * database, where this process is the only one that can end a session (the data-dir lock keeps a
 * second server away and no CLI command touches sessions): logout, disabling, a change of roles or
 * password and the second sign-in step drop the entries here, so they take effect at once. On
 * PostgreSQL several servers may share the sessions, and one server cannot know that another ended
 * one: every request reads its session there.
 */
const SESSION_CACHE_TTL_MS = 10_000;
const SESSION_CACHE_MAX = 10_000;
const sessionCache = new Map<string, { actor: Actor; until: number }>();
/**
 * Counts the sessions ended or changed in this process: a check that read its session before one
 * was ended is not kept (its answer may predate the change), only used for its own request.
 */
let sessionChanges = 0;

function forgetCachedSession(sessionId: string): void {
  sessionChanges += 1;
  sessionCache.delete(sessionId);
}

/**
 * The actor behind a session token, or undefined when the session is unknown, past its absolute end,
 * or unused for `idleMinutes` (activity is recorded once a minute, so the idle end is to the minute).
 */
async function authenticate(
  db: Executor,
  token: string,
  idleMinutes: number = DEFAULT_IDLE_MINUTES,
): Promise<Actor | undefined> {
  const sessionId = hashToken(token);
  const cacheable = dialectOf(db).name === 'sqlite';
  const cached = cacheable ? sessionCache.get(sessionId) : undefined;
  if (cached && cached.until > Date.now()) return cached.actor;
  if (cached) sessionCache.delete(sessionId);
  const changesBefore = sessionChanges;
  const now = nowIso();
  const idleSince = new Date(Date.parse(now) - idleMinutes * 60_000).toISOString();
  const session = await userRepository.findSessionUser(db, sessionId, now, idleSince);
  if (!session) return undefined;
  // Record activity at most once a minute: a write per request would cost an fsync each.
  if (Date.parse(now) - Date.parse(session.lastSeenAt) > TOUCH_INTERVAL_MS) {
    await userRepository.touchSession(db, session.sessionId, now);
  }
  const actor = toActor(session);
  if (!cacheable || sessionChanges !== changesBefore) return actor;
  if (sessionCache.size >= SESSION_CACHE_MAX) sessionCache.clear();
  sessionCache.set(sessionId, {
    actor,
    until: Math.min(Date.now() + SESSION_CACHE_TTL_MS, Date.parse(session.expiresAt)),
  });
  return actor;
}

async function logout(db: Executor, token: string): Promise<void> {
  const sessionId = hashToken(token);
  forgetCachedSession(sessionId);
  await userRepository.deleteSession(db, sessionId);
}

/** How many earlier passwords a new one may not repeat. */
const PASSWORD_HISTORY = 5;

/**
 * Changes the signed-in user's own password: the current one must be given, the new one must follow
 * the rules and differ from the last five. Every other session of the user ends.
 */
async function changePassword(
  db: Executor,
  actor: Actor,
  token: string,
  input: PasswordChangeInput,
): Promise<User> {
  if (actor.userId === null) throw unauthenticated();
  const userId = actor.userId;
  const row = await userRepository.findUserById(db, userId);
  if (!row) throw unauthenticated();
  if (!(await verify(row.passwordHash, input.currentPassword))) throw invalidInput('password_wrong_current');
  for (const earlier of await userRepository.findRecentPasswordHashes(db, userId, PASSWORD_HISTORY)) {
    if (await verify(earlier, input.newPassword)) throw invalidInput('password_reused');
  }
  const passwordHash = await hash(input.newPassword, argonOptions);
  const now = nowIso();
  await inTransaction(db, async (trx) => {
    await userRepository.setPassword(trx, userId, {
      passwordHash,
      mustChangePassword: false,
      now,
      actorId: userId,
    });
    await userRepository.insertPasswordHistory(trx, { userId, passwordHash, changedAt: now });
    await userRepository.deleteOtherSessions(trx, userId, hashToken(token));
  });
  forgetSessionsOf(userId);
  return toUser((await userRepository.findUserById(db, userId))!);
}

/** Forgets the checked state of one session (its second step was just done). */
export function forgetSession(token: string): void {
  forgetCachedSession(hashToken(token));
}

/** The stored id of a session token. */
export { hashToken };

/** Drops a user's checked sessions, so the next request reads them (and what changed) again. */
function forgetSessionsOf(userId: string): void {
  sessionChanges += 1;
  for (const [sessionId, entry] of sessionCache) {
    if (entry.actor.userId === userId) forgetCachedSession(sessionId);
  }
}

/** Disables or enables a user of the actor's subtree; disabling ends all the user's sessions at once. */
async function setUserDisabled(db: Executor, actor: Actor, id: string, disabled: boolean): Promise<User> {
  if (!canSecureAccounts(actor)) throw forbidden();
  return inTransaction(db, async (trx) => {
    const row = await userRepository.findUserById(trx, id);
    if (!row || !isInScope(actor, row.orgPath)) throw notFound('user_not_found');
    if (actor.userId === id && disabled) throw conflict('user_disable_self');
    const before = toUser(row);
    if (before.isDisabled !== disabled) {
      await userRepository.setUserDisabled(trx, id, disabled, actor.userId, nowIso());
      if (disabled) await endSessions(trx, id);
      await historyService.recordChange(trx, actor, {
        entityType: 'user',
        entityId: id,
        orgUnitId: row.orgUnitId,
        streetId: null,
        action: 'update',
        version: row.version + 1,
        before: { isDisabled: before.isDisabled },
        after: { isDisabled: disabled },
      });
    }
    return toUser((await userRepository.findUserById(trx, id))!);
  });
}

/** Ends every session of a user at once (their rights changed, or the account was disabled). */
async function endSessions(db: Executor, userId: string): Promise<void> {
  for (const sessionId of await userRepository.deleteUserSessions(db, userId)) forgetCachedSession(sessionId);
}

/**
 * Grants and takes away roles (security administration): never one's own, never two of the three
 * duties in one account. The user signs in again with the new roles.
 */
async function setUserRoles(db: Executor, actor: Actor, id: string, roles: Role[]): Promise<User> {
  if (!canSecureAccounts(actor)) throw forbidden();
  const wanted = [...new Set(roles)];
  checkDuties(wanted);
  return inTransaction(db, async (trx) => {
    const row = await userRepository.findUserById(trx, id);
    if (!row || !isInScope(actor, row.orgPath)) throw notFound('user_not_found');
    if (actor.userId === id) throw conflict('user_roles_self');
    const before = [...row.roles].sort();
    const after = [...wanted].sort();
    if (before.join() !== after.join()) {
      await userRepository.replaceRoles(trx, id, after, actor.userId, nowIso());
      await endSessions(trx, id);
      await historyService.recordChange(trx, actor, {
        entityType: 'user',
        entityId: id,
        orgUnitId: row.orgUnitId,
        streetId: null,
        action: 'update',
        version: row.version + 1,
        before: { roles: before },
        after: { roles: after },
      });
    }
    return toUser((await userRepository.findUserById(trx, id))!);
  });
}

/** Lifts the sign-in lock of a user's name before its time (security administration). */
async function unlockUser(db: Executor, actor: Actor, id: string): Promise<User> {
  if (!canSecureAccounts(actor)) throw forbidden();
  const row = await userRepository.findUserById(db, id);
  if (!row || !isInScope(actor, row.orgPath)) throw notFound('user_not_found');
  await userRepository.clearLoginThrottle(db, row.username);
  return toUser(row);
}

async function getCurrentUser(db: Executor, actor: Actor): Promise<CurrentUser> {
  const row = actor.userId === null ? undefined : await userRepository.findUserById(db, actor.userId);
  if (!row) throw unauthenticated();
  return {
    ...toUser(row),
    secondFactor: actor.secondFactor ?? null,
    totpEnabled: row.totpSecret !== null,
    wholeTree: reachesWholeTree(actor),
  };
}

export const userService = Object.freeze({
  createUser,
  listUsers,
  listPickableUsers,
  // Signing in, checking a session and signing out come before anyone is known: the system looks
  // the name or the session up (db/row-security.ts).
  login: asSystem(login),
  authenticate: asSystem(authenticate),
  logout: asSystem(logout),
  setUserDisabled,
  setUserRoles,
  unlockUser,
  changePassword,
  getCurrentUser,
});
