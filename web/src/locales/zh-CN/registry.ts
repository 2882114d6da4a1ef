import { registryLabels } from '@shiliuzi/shared/registry-labels.zh-CN';

/** Chinese labels of the closed sets (org unit types, roles, relations, flags, place kinds…), shared with the server. */
export const registry = {
  orgUnitTypes: registryLabels.orgUnitTypes as Record<string, string>,
  roles: registryLabels.roles as Record<string, string>,
  genders: registryLabels.genders as Record<string, string>,
  residenceTypes: registryLabels.residenceTypes as Record<string, string>,
  householdRelations: registryLabels.householdRelations as Record<string, string>,
  floatingReasons: registryLabels.floatingReasons as Record<string, string>,
  flags: registryLabels.flags as Record<string, string>,
  placeKinds: registryLabels.placeKinds as Record<string, string>,
};
