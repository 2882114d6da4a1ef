import type { Role } from './registry.ts';

// Who may do what, by role: the server enforces these, the web app hides what a user cannot do.

/** Roles that may create, change or delete registry records (places, households, residents). */
export const registryEditorRoles: readonly Role[] = [
  'system_admin',
  'street_officer',
  'community_worker',
  'grid_worker',
];

/** Roles that may reveal a masked ID number, phone or address (each reveal is its own call). */
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

/**
 * Whether the place tree shows these roles the entrances' and dwellings' own names and addresses:
 * those who manage places (they name room 301 under its building). Everyone else sees them masked.
 */
export function canSeeDwellingLabels(roles: readonly Role[]): boolean {
  return canEditRegistry(roles);
}

/**
 * The three administrative duties kept apart (三员): system administration, security administration
 * and audit. An account holds at most one of them.
 */
export const separateDutyRoles: readonly Role[] = ['system_admin', 'security_admin', 'auditor'];

/** Whether these roles join two of the separate duties in one account (refused). */
export function joinsSeparateDuties(roles: readonly Role[]): boolean {
  return new Set(roles.filter((role) => separateDutyRoles.includes(role))).size > 1;
}

/** Roles that may grant and take away roles, and disable, enable or unlock accounts. */
export const accountSecurityRoles: readonly Role[] = ['security_admin'];

export function canSecureAccounts(roles: readonly Role[]): boolean {
  return roles.some((role) => accountSecurityRoles.includes(role));
}

/** Roles that may open accounts (with working roles only; the duties are granted by security). */
export const accountCreatorRoles: readonly Role[] = ['system_admin'];

export function canCreateAccounts(roles: readonly Role[]): boolean {
  return roles.some((role) => accountCreatorRoles.includes(role));
}

/** Roles that see the list of accounts of their subtree. */
export function canListAccounts(roles: readonly Role[]): boolean {
  return canCreateAccounts(roles) || canSecureAccounts(roles);
}

/**
 * Whether a user holds only duties that keep away from the registers (auditor, security
 * administrator): they see the audit log or the accounts, their session, org-unit names and code lists.
 */
export function isOutsideRegisters(roles: readonly Role[]): boolean {
  return roles.length > 0 && roles.every((role) => role === 'auditor' || role === 'security_admin');
}

/** Roles that may approve or refuse assistance (帮困) and set the must-visit due days of their units. */
export const caseworkManagerRoles: readonly Role[] = ['system_admin', 'street_officer', 'community_worker'];

export function canApproveAssistance(roles: readonly Role[]): boolean {
  return roles.some((role) => caseworkManagerRoles.includes(role));
}

export function canConfigureMustVisits(roles: readonly Role[]): boolean {
  return roles.some((role) => caseworkManagerRoles.includes(role));
}

/** Roles that plan festival visit campaigns (节日走访) for their units. */
export function canPlanVisitCampaigns(roles: readonly Role[]): boolean {
  return roles.some((role) => caseworkManagerRoles.includes(role));
}

/**
 * Roles that set the retention periods of records (a data-protection policy: the security
 * administrator's duty in 三员分立), at the top of the tree.
 */
export const retentionPolicyRoles: readonly Role[] = ['security_admin'];

export function canSetRetention(roles: readonly Role[]): boolean {
  return roles.some((role) => retentionPolicyRoles.includes(role));
}

/** Roles that read the retention periods and reports and run the job (at the top of the tree). */
export const retentionOperatorRoles: readonly Role[] = ['system_admin', 'security_admin'];

export function canRunRetention(roles: readonly Role[]): boolean {
  return roles.some((role) => retentionOperatorRoles.includes(role));
}

/**
 * Whether a signed-in user is shown the retention periods: they hold for the whole tree at once, so
 * only its administrators at the root unit read, run or set them.
 */
export function opensRetention(user: { roles: readonly Role[]; wholeTree: boolean }): boolean {
  return user.wholeTree && canRunRetention(user.roles);
}
