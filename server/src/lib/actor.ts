import type { Role } from '@shiliuzi/shared/registry';

/**
 * Who is acting, and over which part of the org tree. Every service takes one; every query that
 * reads records narrows to `scopePath` through the one org-scope helper (db/scope.ts).
 */
export interface Actor {
  readonly userId: string | null;
  readonly name: string;
  readonly orgUnitId: string | null;
  /** Materialised path of the actor's org unit; the actor sees every unit whose path starts with it. */
  readonly scopePath: string;
  readonly roles: readonly Role[];
  /** Signed in with a password that must be changed first: only that, `me` and logout are allowed. */
  readonly mustChangePassword?: boolean;
  /** The second sign-in step still owed: a code to verify, or TOTP to enrol first. */
  readonly secondFactor?: SecondFactor;
}

export type SecondFactor = 'verify' | 'enrol';

/** The admin CLI: the whole tree, acting as system administrator. */
export const cliActor: Actor = Object.freeze({
  userId: null,
  name: 'cli',
  orgUnitId: null,
  scopePath: '/',
  roles: ['system_admin'] as const,
});

export function hasRole(actor: Actor, ...roles: Role[]): boolean {
  return actor.roles.some((r) => roles.includes(r));
}

/** Whether an org unit (by its path) lies inside the actor's subtree. */
export function isInScope(actor: Actor, orgPath: string): boolean {
  return orgPath.startsWith(actor.scopePath);
}
