import crypto from 'node:crypto';
import { normalizeIdNumber } from '@shiliuzi/shared/id-number';
import { normalizePhone } from '@shiliuzi/shared/phone';
import { AppError } from '../errors.ts';
import { errorMessages, sealedFieldMessages } from '../locales/zh-CN.ts';
import { keyringFromFile, loadKeyring, type KeySource, type Keyring } from './keys.ts';

// Field-level encryption at rest. A sealed value is self-describing text,
//
//   v1:a256gcm:<key id>:<base64 of iv (12 bytes) | ciphertext | tag (16 bytes)>
//
// AES-256-GCM under the `field` subkey (the `totp` subkey for TOTP secrets) of the master key named
// by <key id>. The associated data binds the value to its table, column and row, so a value copied
// into another row or column does not decrypt. Lookups by ID number or phone go through a blind
// index: a keyed HMAC of the normalised value (`blind-index` subkey), never the value itself.
// SM4-GCM is not offered by Node 20's OpenSSL 3.0 nor, with authentication, by sm-crypto (ECB/CBC
// only); the algorithm tag leaves room for it (docs/SECURITY.md).

/** Every column that holds sealed values, as `table.column` in the database's own names. */
export const sealedColumns = [
  'resident.id_number',
  'resident.phone',
  'floating_resident.landlord_phone',
  'place.landlord_phone',
  'dispute.summary',
  'dispute.follow_up',
  'dispute_step.notes',
  'petition.subject',
  'petition.requester_name',
  'petition_event.notes',
  'change_log.before',
  'change_log.after',
  'import_batch.report',
  'app_user.totp_secret',
  'app_user.totp_pending_secret',
] as const;
export type SealedColumn = (typeof sealedColumns)[number];

/** What a blind index is of: each kind is hashed apart, so equal text of two kinds never matches. */
export type BlindIndexKind = 'id_number' | 'phone';

const FORMAT = 'v1';
const ALGORITHM = 'a256gcm';
const SEALED = /^v1:a256gcm:([0-9a-f]{16}):([A-Za-z0-9+/]{38,}={0,2})$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** A blind index is the first 16 bytes of the HMAC: collisions stay out of reach (2^64 values for even odds). */
const BLIND_INDEX_BYTES = 16;

/** The subkeys of one master key that field encryption uses. */
export interface FieldKeySet {
  readonly keyId: string;
  readonly field: Buffer;
  readonly totp: Buffer;
  readonly blindIndex: Buffer;
  /** Encrypts attached files (lib/file-crypto.ts). */
  readonly attachment: Buffer;
}

/** The current master key's subkeys (what is written) and every known key's (what can be read). */
export interface FieldKeys {
  readonly current: FieldKeySet;
  readonly byId: ReadonlyMap<string, FieldKeySet>;
}

function keySetOf(keyring: Keyring): FieldKeySet {
  return Object.freeze({
    keyId: keyring.keyId,
    field: keyring.deriveKey('field'),
    totp: keyring.deriveKey('totp'),
    blindIndex: keyring.deriveKey('blind-index'),
    attachment: keyring.deriveKey('attachment'),
  });
}

/** The field keys of the current master key, plus earlier master keys whose values can still be read. */
export function fieldKeysOf(current: Keyring, previous: readonly Keyring[] = []): FieldKeys {
  const sets = [current, ...previous].map(keySetOf);
  return Object.freeze({ current: sets[0]!, byId: new Map(sets.map((set) => [set.keyId, set])) });
}

/** The keys as a worker thread receives them (subkeys only, never a master key). */
export interface FieldKeysMessage {
  currentKeyId: string;
  sets: {
    keyId: string;
    field: Uint8Array;
    totp: Uint8Array;
    blindIndex: Uint8Array;
    attachment: Uint8Array;
  }[];
}

export function toFieldKeysMessage(keys: FieldKeys): FieldKeysMessage {
  return {
    currentKeyId: keys.current.keyId,
    sets: [...keys.byId.values()].map((set) => ({
      keyId: set.keyId,
      field: new Uint8Array(set.field),
      totp: new Uint8Array(set.totp),
      blindIndex: new Uint8Array(set.blindIndex),
      attachment: new Uint8Array(set.attachment),
    })),
  };
}

export function fromFieldKeysMessage(message: FieldKeysMessage): FieldKeys {
  const sets = message.sets.map((set) =>
    Object.freeze({
      keyId: set.keyId,
      field: Buffer.from(set.field),
      totp: Buffer.from(set.totp),
      blindIndex: Buffer.from(set.blindIndex),
      attachment: Buffer.from(set.attachment),
    }),
  );
  const byId = new Map(sets.map((set) => [set.keyId, set]));
  const current = byId.get(message.currentKeyId);
  if (!current) throw new RangeError('the current field key is missing from the message');
  return Object.freeze({ current, byId });
}

/**
 * The field keys of the configured master key (created in demo mode on first use, as backups do) and
 * of the earlier master keys in SHILIUZI_OLD_KEY_FILES. Throws KeyError when there is no usable key.
 */
export function loadFieldKeys(source: KeySource & { oldKeyFiles: readonly string[] }): FieldKeys {
  return fieldKeysOf(
    loadKeyring(source, { create: true }),
    source.oldKeyFiles.map((file) => keyringFromFile(file)),
  );
}

let installed: FieldKeys | undefined;

/** Makes these keys the process's (the CLI at start, a worker thread, the test setup). */
export function installFieldKeys(keys: FieldKeys): void {
  installed = keys;
}

/** The installed keys; throws when none are (a programming error, not a user's). */
export function installedFieldKeys(): FieldKeys {
  if (!installed) throw new Error('field keys are not installed: call installFieldKeys() at start');
  return installed;
}

/** Where field errors are logged (precise English); the server points it at its own log. */
export type FieldErrorLog = (context: Record<string, unknown>, message: string) => void;
let log: FieldErrorLog = (context, message) => console.error(message, context);

export function setFieldErrorLog(next: FieldErrorLog): void {
  log = next;
}

/** Why a value could not be opened. */
export type UnsealProblem = 'not_sealed' | 'unknown_key' | 'not_authentic';

export class UnsealError extends Error {
  constructor(
    readonly problem: UnsealProblem,
    readonly column: SealedColumn,
    readonly rowId: string,
    readonly keyId: string | undefined,
  ) {
    super(
      problem === 'not_sealed'
        ? `${column} of row ${rowId} is not a sealed value`
        : problem === 'unknown_key'
          ? `${column} of row ${rowId} is sealed under master key ${keyId}, which is not loaded (set SHILIUZI_OLD_KEY_FILES)`
          : `${column} of row ${rowId} fails authentication under key ${keyId}: it was altered, or moved from another row or column`,
    );
    this.name = 'UnsealError';
  }
}

const subkeyOf = (set: FieldKeySet, column: SealedColumn) =>
  column.startsWith('app_user.totp') ? set.totp : set.field;

const associatedData = (keyId: string, column: SealedColumn, rowId: string) =>
  Buffer.from(`${FORMAT}:${ALGORITHM}:${keyId}\0${column}\0${rowId}`, 'utf8');

/** Whether a stored value is sealed (by its form; only opening it proves it authentic). */
export function isSealed(value: string): boolean {
  return SEALED.test(value);
}

/** The id of the master key a sealed value was written under; undefined when it is not sealed. */
export function sealedKeyId(value: string): string | undefined {
  return SEALED.exec(value)?.[1];
}

// Random IVs are drawn a few hundred at a time: one call to the system's generator per value costs
// more than the encryption of a short value.
const IV_POOL_VALUES = 512;
let ivPool = Buffer.alloc(0);
let ivAt = 0;

function nextIv(): Buffer {
  if (ivAt + IV_BYTES > ivPool.length) {
    ivPool = crypto.randomBytes(IV_BYTES * IV_POOL_VALUES);
    ivAt = 0;
  }
  const iv = ivPool.subarray(ivAt, ivAt + IV_BYTES);
  ivAt += IV_BYTES;
  return iv;
}

/** Encrypts `plaintext` for one column of one row, under the current key. */
export function seal(column: SealedColumn, rowId: string, plaintext: string, keys = installedFieldKeys()) {
  const set = keys.current;
  const iv = nextIv();
  const cipher = crypto.createCipheriv('aes-256-gcm', subkeyOf(set, column), iv);
  cipher.setAAD(associatedData(set.keyId, column, rowId));
  const body = Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${FORMAT}:${ALGORITHM}:${set.keyId}:${body.toString('base64')}`;
}

/** `seal` that keeps null as null. */
export function sealNullable(
  column: SealedColumn,
  rowId: string,
  plaintext: string | null | undefined,
): string | null {
  return plaintext === null || plaintext === undefined ? null : seal(column, rowId, plaintext);
}

/** Decrypts a sealed value of one column of one row; throws UnsealError when it cannot. */
export function unseal(column: SealedColumn, rowId: string, sealed: string, keys = installedFieldKeys()) {
  const match = SEALED.exec(sealed);
  if (!match) throw new UnsealError('not_sealed', column, rowId, undefined);
  const keyId = match[1]!;
  const set = keys.byId.get(keyId);
  if (!set) throw new UnsealError('unknown_key', column, rowId, keyId);
  const body = Buffer.from(match[2]!, 'base64');
  if (body.length < IV_BYTES + TAG_BYTES) throw new UnsealError('not_authentic', column, rowId, keyId);
  try {
    const decipher = crypto.createDecipheriv(
      'aes-256-gcm',
      subkeyOf(set, column),
      body.subarray(0, IV_BYTES),
    );
    decipher.setAAD(associatedData(keyId, column, rowId));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return (
      decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)).toString('utf8') +
      decipher.final('utf8')
    );
  } catch (error) {
    throw Object.assign(new UnsealError('not_authentic', column, rowId, keyId), { cause: error });
  }
}

function logUnsealError(error: UnsealError): void {
  log(
    { column: error.column, rowId: error.rowId, keyId: error.keyId, problem: error.problem },
    `field decryption failed: ${error.message}`,
  );
}

/**
 * A sealed value in clear, for a rule or a reveal that needs it. When it cannot be opened the
 * failure is logged and the caller gets 500 `field_unreadable` (never the stored text).
 */
export function openField(column: SealedColumn, rowId: string, sealed: string): string;
export function openField(column: SealedColumn, rowId: string, sealed: string | null): string | null;
export function openField(column: SealedColumn, rowId: string, sealed: string | null): string | null {
  if (sealed === null) return null;
  try {
    return unseal(column, rowId, sealed);
  } catch (error) {
    if (!(error instanceof UnsealError)) throw error;
    logUnsealError(error);
    throw new AppError(500, 'field_unreadable', errorMessages.field_unreadable);
  }
}

/**
 * A sealed value in clear for display in a list, detail or export: a value that cannot be opened
 * is logged and shown as 【无法解密】, so one damaged row does not take the whole page down.
 */
export function showField(column: SealedColumn, rowId: string, sealed: string): string;
export function showField(column: SealedColumn, rowId: string, sealed: string | null): string | null;
export function showField(column: SealedColumn, rowId: string, sealed: string | null): string | null {
  if (sealed === null) return null;
  try {
    return unseal(column, rowId, sealed);
  } catch (error) {
    if (!(error instanceof UnsealError)) throw error;
    logUnsealError(error);
    return sealedFieldMessages.unreadable;
  }
}

/** Whether a displayed value is the stand-in for one that could not be decrypted. */
export const isUnreadableStandIn = (value: string | null) => value === sealedFieldMessages.unreadable;

/**
 * The masked form of a sealed column's values for lists and details (`showField`, then `mask`).
 * Opening a value costs more than reading its row, and a page shows the same rows again and
 * again: the masked form (never the clear value) is kept in a bounded memo keyed by the stored
 * value, with the row it was opened for. A stored value is new whenever the field is written (a
 * fresh IV each time), so a change is never answered from the memo; a value copied into another
 * row is opened for that row and fails authentication as before. Values that do not open are not
 * kept (each showing is logged).
 */
export function maskedFieldView(
  column: SealedColumn,
  mask: (clear: string) => string,
  capacity = 50_000,
): (rowId: string, sealed: string | null) => string | null {
  const memo = new Map<string, { rowId: string; masked: string }>();
  return (rowId, sealed) => {
    if (sealed === null) return null;
    const kept = memo.get(sealed);
    if (kept !== undefined && kept.rowId === rowId) return kept.masked;
    const clear = showField(column, rowId, sealed);
    if (isUnreadableStandIn(clear)) return clear;
    const masked = mask(clear);
    // The oldest entry makes room (insertion order).
    if (memo.size >= capacity) memo.delete(memo.keys().next().value!);
    memo.set(sealed, { rowId, masked });
    return masked;
  };
}

/** The keyed blind index of a normalised value (16 bytes of HMAC-SHA256, base64url). */
export function blindIndex(kind: BlindIndexKind, normalized: string, keys = installedFieldKeys()): string {
  return crypto
    .createHmac('sha256', keys.current.blindIndex)
    .update(`${kind}\0${normalized}`, 'utf8')
    .digest()
    .subarray(0, BLIND_INDEX_BYTES)
    .toString('base64url');
}

/** `blindIndex` that keeps null as null. */
export function blindIndexNullable(kind: BlindIndexKind, normalized: string | null | undefined) {
  return normalized === null || normalized === undefined ? null : blindIndex(kind, normalized);
}

/** The blind index an ID number is found by (normalised first: lower-case x, full-width digits). */
export const idNumberIndex = (idNumber: string, keys = installedFieldKeys()) =>
  blindIndex('id_number', normalizeIdNumber(idNumber), keys);

/** The blind index a phone number is found by (normalised first: spaces, dashes, +86). */
export const phoneIndex = (phone: string, keys = installedFieldKeys()) =>
  blindIndex('phone', normalizePhone(phone), keys);
