import type { Role } from './registry.ts';

// Who may do what, by role: the server enforces these, the web app hides what a user cannot do.

/** Roles that may create, change or delete registry records (places, households, residents). */
export const registryEditorRoles: readonly Role[] = [
  'system_admin',
  'street_officer',
  'community_worker',
  'grid_worker',
];

/** Roles that may reveal a masked ID number or phone (each reveal is its own call). */
export const sensitiveRevealRoles: readonly Role[] = registryEditorRoles;

export function canEditRegistry(roles: readonly Role[]): boolean {
  return roles.some((role) => registryEditorRoles.includes(role));
}

/** Roles that may read and export the audit log (and only they: not even the system administrator). */
export const auditReaderRoles: readonly Role[] = ['auditor'];

export function canReadAudit(roles: readonly Role[]): boolean {
  return roles.some((role) => auditReaderRoles.includes(role));
}

export function canRevealSensitive(roles: readonly Role[]): boolean {
  return roles.some((role) => sensitiveRevealRoles.includes(role));
}

/** Roles that may approve or refuse assistance (帮困) and set the must-visit due days of their units. */
export const caseworkManagerRoles: readonly Role[] = ['system_admin', 'street_officer', 'community_worker'];

export function canApproveAssistance(roles: readonly Role[]): boolean {
  return roles.some((role) => caseworkManagerRoles.includes(role));
}

export function canConfigureMustVisits(roles: readonly Role[]): boolean {
  return roles.some((role) => caseworkManagerRoles.includes(role));
}
