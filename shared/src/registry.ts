/**
 * Closed sets of the registry (org units, places, residents, users) shared by server and web.
 * Chinese labels for them live in the locale files, keyed by these values.
 */

export const orgUnitTypes = [
  'district',
  'street',
  'township',
  'community',
  'village',
  'grid',
  'unit',
] as const;
export type OrgUnitType = (typeof orgUnitTypes)[number];

/** Kinds of member unit (驻区单位): only meaningful when the org unit type is `unit`. */
export const memberUnitKinds = [
  'school',
  'hospital',
  'bureau',
  'enterprise',
  'corps_company',
  'other',
] as const;
export type MemberUnitKind = (typeof memberUnitKinds)[number];

/** Which parent types each org unit type may hang under (district > street > community > grid). */
export const allowedOrgParents: Record<OrgUnitType, readonly (OrgUnitType | null)[]> = {
  district: [null],
  street: ['district'],
  township: ['district'],
  community: ['street', 'township'],
  village: ['street', 'township'],
  grid: ['community', 'village'],
  unit: ['street', 'township', 'community', 'village'],
};

export const placeKinds = [
  'estate',
  'courtyard',
  'building',
  'entrance',
  'dwelling',
  'religious_venue',
  'venue',
] as const;
export type PlaceKind = (typeof placeKinds)[number];

/** Which parent kinds each place kind may hang under (estate/courtyard > building > entrance > dwelling). */
export const allowedPlaceParents: Record<PlaceKind, readonly (PlaceKind | null)[]> = {
  estate: [null],
  courtyard: [null, 'estate'],
  building: [null, 'estate', 'courtyard'],
  entrance: ['building'],
  dwelling: [null, 'building', 'entrance', 'courtyard'],
  religious_venue: [null],
  venue: [null, 'estate', 'courtyard'],
};

export const genders = ['male', 'female'] as const;
export type Gender = (typeof genders)[number];

/** 常住 permanent, 户籍 registered here but possibly living elsewhere, 流动 floating. */
export const residenceTypes = ['permanent', 'registered', 'floating'] as const;
export type ResidenceType = (typeof residenceTypes)[number];

/** Relation to the head of household (与户主关系). */
export const householdRelations = [
  'head',
  'spouse',
  'child',
  'child_in_law',
  'grandchild',
  'parent',
  'parent_in_law',
  'grandparent',
  'sibling',
  'other',
] as const;
export type HouseholdRelation = (typeof householdRelations)[number];

export const floatingReasons = ['work', 'trade', 'study', 'family', 'other'] as const;
export type FloatingReason = (typeof floatingReasons)[number];

/** Boolean flags a resident can carry; each is a column `is_<flag>` in the database. */
export const residentFlags = [
  'hardship',
  'minimumLivingAllowance',
  'disabled',
  'elderlyAlone',
  'partyMember',
  'volunteer',
] as const;
export type ResidentFlag = (typeof residentFlags)[number];

export const roles = [
  'system_admin',
  // Grants and takes away roles, disables, enables and unlocks accounts; reads no register (三员).
  'security_admin',
  'street_officer',
  'community_worker',
  'grid_worker',
  'viewer',
  // Reads and exports the audit log of the subtree, and nothing else of it is theirs to change (三员).
  'auditor',
] as const;
export type Role = (typeof roles)[number];
