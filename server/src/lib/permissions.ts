import * as policy from '@shiliuzi/shared/permissions';
import type { OrgUnitType } from '@shiliuzi/shared/registry';
import { hasRole, type Actor } from './actor.ts';

/** Whether the actor may create, change or delete registry records (places, households, residents). */
export function canEditRegistry(actor: Actor): boolean {
  return policy.canEditRegistry(actor.roles);
}

/** Whether the actor may create or change org units of this type (always inside their subtree). */
export function canManageOrgUnit(actor: Actor, type: OrgUnitType): boolean {
  if (hasRole(actor, 'system_admin')) return true;
  if (hasRole(actor, 'street_officer')) return !['district', 'street', 'township'].includes(type);
  if (hasRole(actor, 'community_worker')) return type === 'grid' || type === 'unit';
  return false;
}

/** Whether the actor may reveal a masked ID number, phone or address (each reveal is its own call). */
export function canRevealSensitive(actor: Actor): boolean {
  return policy.canRevealSensitive(actor.roles);
}

/** Whether the place tree shows the actor entrance and dwelling names and addresses unmasked. */
export function canSeeDwellingLabels(actor: Actor): boolean {
  return policy.canSeeDwellingLabels(actor.roles);
}

/** Whether the actor may read and export the audit log of their subtree. */
export function canReadAudit(actor: Actor): boolean {
  return policy.canReadAudit(actor.roles);
}

// The admin CLI (no user) stands for whoever installs the system: it may do all three.

/** Whether the actor may open accounts (system administration). */
export function canCreateAccounts(actor: Actor): boolean {
  return actor.userId === null || policy.canCreateAccounts(actor.roles);
}

/** Whether the actor may grant roles and disable, enable or unlock accounts (security administration). */
export function canSecureAccounts(actor: Actor): boolean {
  return actor.userId === null || policy.canSecureAccounts(actor.roles);
}

/** Whether the actor sees the accounts of their subtree. */
export function canListAccounts(actor: Actor): boolean {
  return actor.userId === null || policy.canListAccounts(actor.roles);
}

/** Whether the actor may set the retention periods of records (the CLI may: it installs the system). */
export function canSetRetention(actor: Actor): boolean {
  return actor.userId === null || policy.canSetRetention(actor.roles);
}

/** Whether the actor's unit is the root of the org tree (the CLI and the system act for the whole tree). */
export function reachesWholeTree(actor: Actor): boolean {
  return actor.scopePath.split('/').filter(Boolean).length <= 1;
}

/** Whether the actor may read the retention periods and reports and run the job. */
export function canRunRetention(actor: Actor): boolean {
  return actor.userId === null || policy.canRunRetention(actor.roles);
}
