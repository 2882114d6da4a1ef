/**
 * Row types of the migrated database as Kysely sees them through the CamelCasePlugin.
 * Mirrors the migrations (server/src/db/migrations); `schema.db.test.ts` checks that every table
 * and column here exists in a freshly migrated database, so the two cannot drift apart.
 * Booleans are `number` on SQLite and `boolean` on PostgreSQL: read them with `Boolean()` and
 * write them through `dialect.bool()`.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type DbBool = ColumnType<boolean | number, boolean | number | undefined, boolean | number>;
/** ISO 8601 text on SQLite, timestamptz on PostgreSQL (read back as a string). */
type Timestamp = string;
/** YYYY-MM-DD text on SQLite, date on PostgreSQL (read back as a string). */
type DateText = string;

interface RecordColumns {
  version: Generated<number>;
  createdAt: Timestamp;
  updatedAt: Timestamp;
  createdBy: string | null;
  updatedBy: string | null;
  deletedAt: Timestamp | null;
}

export interface EthnicGroupTable {
  code: string;
  name: string;
  roman: string;
  abbrev: string;
  isExtension: DbBool;
}

export interface OrgUnitTable extends RecordColumns {
  id: string;
  code: string;
  name: string;
  type: string;
  memberUnitKind: string | null;
  parentId: string | null;
  path: string;
  depth: number;
  streetId: string | null;
  areaKm2: number | null;
}

export interface PlaceTable extends RecordColumns {
  id: string;
  orgUnitId: string;
  streetId: string | null;
  kind: string;
  parentId: string | null;
  name: string;
  address: string | null;
  isRental: DbBool;
  landlordName: string | null;
  landlordPhone: string | null;
  note: string | null;
}

export interface HouseholdTable extends RecordColumns {
  id: string;
  orgUnitId: string;
  streetId: string | null;
  dwellingId: string | null;
  householdNumber: string | null;
  address: string | null;
  note: string | null;
  anonymisedAt: Timestamp | null;
}

export interface ResidentTable extends RecordColumns {
  id: string;
  orgUnitId: string;
  streetId: string | null;
  householdId: string | null;
  relationToHead: string | null;
  dwellingId: string | null;
  name: string;
  gender: string;
  ethnicityCode: string;
  /** Sealed (lib/field-crypto.ts), like every column listed in `sealedColumns`. */
  idNumber: string | null;
  /** Keyed blind index of the ID number: exact lookups, and one live resident per ID number. */
  idNumberHash: string | null;
  birthDate: DateText | null;
  originRegionCode: string | null;
  phone: string | null;
  /** Keyed blind index of the normalised phone. */
  phoneHash: string | null;
  /** The phone masked as every list shows it (138****5678): lists and tail searches need no key. */
  phoneMasked: string | null;
  residenceType: string;
  isHardship: DbBool;
  isMinimumLivingAllowance: DbBool;
  isDisabled: DbBool;
  isElderlyAlone: DbBool;
  isPartyMember: DbBool;
  isVolunteer: DbBool;
  languages: string;
  movedInOn: DateText | null;
  movedOutOn: DateText | null;
  note: string | null;
  /** Why an imported resident is held for review (待核实), e.g. 'id_check_digit'; null when not. */
  reviewFlag: string | null;
  /** When the retention job anonymised it (null: never); a later `updatedAt` means changed since. */
  anonymisedAt: Timestamp | null;
}

export interface FloatingResidentTable {
  residentId: string;
  arrivalDate: DateText | null;
  originAddress: string | null;
  reason: string | null;
  expectedStayMonths: number | null;
  stall: string | null;
  landlordName: string | null;
  landlordPhone: string | null;
}

export interface ResidentNameGramTable {
  gram: string;
  orgUnitId: string;
  name: string;
  residentId: string;
}

export interface AppUserTable extends RecordColumns {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  orgUnitId: string;
  isDisabled: DbBool;
  passwordChangedAt: Timestamp | null;
  mustChangePassword: DbBool;
  totpSecret: string | null;
  totpPendingSecret: string | null;
  totpEnabledAt: Timestamp | null;
  totpLastStep: number | null;
}

export interface RecoveryCodeTable {
  userId: string;
  codeHash: string;
  usedAt: Timestamp | null;
}

export interface PasswordHistoryTable {
  userId: string;
  passwordHash: string;
  changedAt: Timestamp;
}

export interface UserRoleTable {
  userId: string;
  role: string;
}

export interface UserSessionTable {
  id: string;
  userId: string;
  createdAt: Timestamp;
  lastSeenAt: Timestamp;
  expiresAt: Timestamp;
  ip: string | null;
  /** The second step still owed before the session may do anything: 'verify' a code, or 'enrol'. */
  secondFactor: string | null;
}

export interface ChangeLogTable {
  id: string;
  entityType: string;
  entityId: string;
  orgUnitId: string | null;
  streetId: string | null;
  action: string;
  version: number;
  actorId: string | null;
  actorName: string;
  at: Timestamp;
  before: string | null;
  after: string | null;
}

export interface ImportBatchTable {
  id: string;
  orgUnitId: string;
  streetId: string | null;
  fileName: string;
  fileSha256: string;
  register: string;
  rows: number;
  accepted: number;
  created: number;
  updated: number;
  merged: number;
  rejected: number;
  flagged: number;
  report: string;
  createdBy: string | null;
  createdAt: Timestamp;
  anonymisedAt: Timestamp | null;
}

export interface ImportTemplateTable {
  id: string;
  orgUnitId: string;
  name: string;
  mapping: string;
  createdBy: string | null;
  createdAt: Timestamp;
}

export interface LoginThrottleTable {
  username: string;
  failures: number;
  lockedUntil: Timestamp | null;
  updatedAt: Timestamp;
}

export interface AuditLogTable {
  seq: number;
  at: Timestamp;
  userId: string | null;
  username: string | null;
  roles: string | null;
  orgUnitId: string | null;
  ip: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  result: string;
  reason: string | null;
  detail: string | null;
  prevHash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  lastSeq: number;
  lastHash: string;
  /** Where the chain starts once the retention job has removed older rows: the first kept row's number and the hash it chains from. */
  firstSeq: Generated<number>;
  firstPrevHash: Generated<string>;
}

// disputes, petitions and hotline (migration 2026_11_30_0200).
export interface DisputeTable extends RecordColumns {
  id: string;
  orgUnitId: string;
  streetId: string | null;
  intakeDate: DateText;
  source: string;
  category: string;
  isEthnicFactor: DbBool;
  riskLevel: string;
  handlingLevel: string;
  outcome: string;
  closedOn: DateText | null;
  summary: string;
  followUp: string | null;
  anonymisedAt: Timestamp | null;
}

export interface DisputePartyTable {
  id: string;
  disputeId: string;
  position: number;
  residentId: string | null;
  name: string;
  ethnicityCode: string | null;
}

export interface DisputeStepTable {
  id: string;
  disputeId: string;
  stepDate: DateText;
  notes: string;
  handledBy: string | null;
  createdAt: Timestamp;
  createdBy: string | null;
}

export interface PetitionTable extends RecordColumns {
  id: string;
  orgUnitId: string;
  streetId: string | null;
  channel: string;
  receivedDate: DateText;
  requesterResidentId: string | null;
  requesterName: string | null;
  subject: string;
  assigneeId: string | null;
  status: string;
  responseDate: DateText | null;
  handlingDays: number | null;
  dueDate: DateText;
  anonymisedAt: Timestamp | null;
}

export interface PetitionEventTable {
  id: string;
  petitionId: string;
  fromStatus: string | null;
  toStatus: string;
  eventDate: DateText;
  notes: string | null;
  actorId: string | null;
  actorName: string;
  at: Timestamp;
}

export interface PetitionSlaTable {
  orgUnitId: string;
  channel: string;
  days: number;
  updatedAt: Timestamp;
  updatedBy: string | null;
}

export interface VisitTable extends RecordColumns {
  id: string;
  orgUnitId: string;
  streetId: string | null;
  visitedOn: DateText;
  purpose: string;
  location: string | null;
  gifts: string | null;
  amountFen: number | null;
  fundSource: string | null;
  notes: string | null;
  anonymisedAt: Timestamp | null;
}

export interface VisitVisitorTable {
  visitId: string;
  userId: string;
}

/** A resident or a household visited (exactly one of the two). */
export interface VisitSubjectTable {
  visitId: string;
  residentId: string | null;
  householdId: string | null;
}

/** A photo of a visit; the file is `attachments/<storageKey>` under the data dir. */
export interface VisitPhotoTable {
  id: string;
  visitId: string;
  orgUnitId: string;
  streetId: string | null;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  storageKey: string;
  createdAt: Timestamp;
  createdBy: string | null;
  deletedAt: Timestamp | null;
  deletedBy: string | null;
}

/** A festival visit campaign (节日走访); `targetFilter` is the target group as JSON. */
export interface VisitCampaignTable extends RecordColumns {
  id: string;
  orgUnitId: string;
  streetId: string | null;
  festival: string;
  name: string;
  startsOn: DateText;
  plannedOn: DateText;
  targetFilter: string;
  note: string | null;
}

/** A planned visit of a campaign: a household, or a resident without one (exactly one of the two). */
export interface CampaignVisitTable {
  id: string;
  campaignId: string;
  orgUnitId: string;
  streetId: string | null;
  householdId: string | null;
  residentId: string | null;
  assigneeId: string | null;
  /** 1 when the assignee is the household's paired cadre, 0 when the grid's worker (or nobody). */
  assignedByPairing: number;
  visitId: string | null;
  doneOn: DateText | null;
  createdAt: Timestamp;
}

export interface MustVisitTaskTable extends RecordColumns {
  id: string;
  orgUnitId: string;
  streetId: string | null;
  residentId: string;
  kind: string;
  eventOn: DateText;
  dueOn: DateText;
  note: string | null;
  assigneeId: string | null;
  /** 1 when the assignee is the resident's paired cadre, 0 when the grid's worker (or nobody). */
  assignedByPairing: number;
  visitId: string | null;
  doneOn: DateText | null;
  anonymisedAt: Timestamp | null;
}

export interface MustVisitRuleTable {
  orgUnitId: string;
  kind: string;
  dueDays: number;
  updatedBy: string | null;
  updatedAt: Timestamp;
}

export interface PairingTable extends RecordColumns {
  id: string;
  orgUnitId: string;
  streetId: string | null;
  householdId: string;
  cadreId: string;
  startedOn: DateText;
  endedOn: DateText | null;
  frequencyDays: number;
  note: string | null;
  anonymisedAt: Timestamp | null;
}

export interface AssistanceTable extends RecordColumns {
  id: string;
  orgUnitId: string;
  streetId: string | null;
  residentId: string;
  kind: string;
  amountFen: number;
  fundSource: string;
  appliedOn: DateText;
  description: string | null;
  status: string;
  decidedBy: string | null;
  decidedOn: DateText | null;
  anonymisedAt: Timestamp | null;
}

/** Which master key each table's sealed values are under (null: not sealed yet). */
export interface FieldEncryptionTable {
  tableName: string;
  keyId: string | null;
}

/** The period and action set for a record type (a type without a row keeps its default). */
export interface RetentionPolicyTable {
  recordType: string;
  days: number;
  action: string;
  updatedAt: Timestamp;
  updatedBy: string | null;
}

/** One run of the retention job; `report` is its items as JSON (counts and cutoffs, nothing personal). */
export interface RetentionRunTable {
  id: string;
  startedAt: Timestamp;
  finishedAt: Timestamp | null;
  trigger: string;
  dryRun: DbBool;
  actorId: string | null;
  actorName: string;
  status: string;
  report: string;
  error: string | null;
}

export interface DB {
  ethnicGroup: EthnicGroupTable;
  orgUnit: OrgUnitTable;
  place: PlaceTable;
  household: HouseholdTable;
  resident: ResidentTable;
  floatingResident: FloatingResidentTable;
  residentNameGram: ResidentNameGramTable;
  appUser: AppUserTable;
  userRole: UserRoleTable;
  userSession: UserSessionTable;
  changeLog: ChangeLogTable;
  importBatch: ImportBatchTable;
  importTemplate: ImportTemplateTable;
  loginThrottle: LoginThrottleTable;
  passwordHistory: PasswordHistoryTable;
  auditLog: AuditLogTable;
  auditHead: AuditHeadTable;
  recoveryCode: RecoveryCodeTable;
  dispute: DisputeTable;
  disputeParty: DisputePartyTable;
  disputeStep: DisputeStepTable;
  petition: PetitionTable;
  petitionEvent: PetitionEventTable;
  petitionSla: PetitionSlaTable;
  visit: VisitTable;
  visitVisitor: VisitVisitorTable;
  visitSubject: VisitSubjectTable;
  visitPhoto: VisitPhotoTable;
  visitCampaign: VisitCampaignTable;
  campaignVisit: CampaignVisitTable;
  mustVisitTask: MustVisitTaskTable;
  mustVisitRule: MustVisitRuleTable;
  pairing: PairingTable;
  assistance: AssistanceTable;
  fieldEncryption: FieldEncryptionTable;
  retentionPolicy: RetentionPolicyTable;
  retentionRun: RetentionRunTable;
}

export type OrgUnitRow = Selectable<OrgUnitTable>;
export type PlaceRow = Selectable<PlaceTable>;
export type HouseholdRow = Selectable<HouseholdTable>;
export type ResidentRow = Selectable<ResidentTable>;
export type FloatingResidentRow = Selectable<FloatingResidentTable>;
export type AppUserRow = Selectable<AppUserTable>;
export type ChangeLogRow = Selectable<ChangeLogTable>;
export type ResidentNameGramRow = Selectable<ResidentNameGramTable>;
export type NewResidentRow = Insertable<ResidentTable>;
export type ResidentRowPatch = Updateable<ResidentTable>;
export type DisputeRow = Selectable<DisputeTable>;
export type PetitionRow = Selectable<PetitionTable>;
export type VisitRow = Selectable<VisitTable>;
export type VisitPhotoRow = Selectable<VisitPhotoTable>;
export type VisitCampaignRow = Selectable<VisitCampaignTable>;
export type CampaignVisitRow = Selectable<CampaignVisitTable>;
export type MustVisitTaskRow = Selectable<MustVisitTaskTable>;
export type PairingRow = Selectable<PairingTable>;
export type AssistanceRow = Selectable<AssistanceTable>;
