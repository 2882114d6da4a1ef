import crypto from 'node:crypto';
import type { FieldKeys, FieldKeySet } from './field-crypto.ts';

// Attached files (visit photos) are kept encrypted on disk with AES-256-GCM under the master key's
// `attachment` subkey, so a copy of the attachments folder shows no face, room or document:
//
//   "SLZA" | version 1 | key id (8 bytes) | IV (12 bytes) | ciphertext | tag (16 bytes)
//
// The header is the associated data, so neither the key id nor the IV can be changed unnoticed.
// A file holds at most a photo's size limit, so it is opened whole and its tag checked before a byte
// of it is answered.

const MAGIC = Buffer.from('SLZA', 'latin1');
const VERSION = 1;
const KEY_ID_BYTES = 8;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SEALED_FILE_HEADER_BYTES = MAGIC.length + 1 + KEY_ID_BYTES + IV_BYTES;
/** What encryption adds to a file's size. */
export const SEALED_FILE_OVERHEAD = SEALED_FILE_HEADER_BYTES + TAG_BYTES;

export type SealedFileProblem = 'unknown_key' | 'not_authentic';

/** A sealed file that cannot be opened: under a key not provided, or changed since it was written. */
export class SealedFileError extends Error {
  constructor(
    readonly problem: SealedFileProblem,
    readonly keyId: string | undefined,
  ) {
    super(
      problem === 'unknown_key'
        ? `the file is sealed under master key ${keyId}, which is not provided`
        : 'the file was changed or damaged after it was sealed (authentication tag mismatch)',
    );
    this.name = 'SealedFileError';
  }
}

/** Whether these bytes start like a sealed file (only opening them proves them authentic). */
export function isSealedFile(head: Buffer): boolean {
  return (
    head.length >= MAGIC.length + 1 && head.subarray(0, MAGIC.length).equals(MAGIC) && head[4] === VERSION
  );
}

/** The id of the master key a sealed file was written under; undefined when it is not sealed. */
export function sealedFileKeyId(head: Buffer): string | undefined {
  if (!isSealedFile(head) || head.length < SEALED_FILE_HEADER_BYTES) return undefined;
  return head.subarray(MAGIC.length + 1, MAGIC.length + 1 + KEY_ID_BYTES).toString('hex');
}

/**
 * Encrypts a file as it streams: `header` first, then each `update`, then `final` (rest and tag),
 * written in that order.
 */
export function fileSealer(keys: FieldKeys) {
  const set: FieldKeySet = keys.current;
  const iv = crypto.randomBytes(IV_BYTES);
  const header = Buffer.concat([MAGIC, Buffer.from([VERSION]), Buffer.from(set.keyId, 'hex'), iv]);
  const cipher = crypto.createCipheriv('aes-256-gcm', set.attachment, iv);
  cipher.setAAD(header);
  return {
    header,
    update: (chunk: Buffer) => cipher.update(chunk),
    final: () => Buffer.concat([cipher.final(), cipher.getAuthTag()]),
  };
}

/** Encrypts a whole file's bytes. */
export function sealFile(plaintext: Buffer, keys: FieldKeys): Buffer {
  const sealer = fileSealer(keys);
  return Buffer.concat([sealer.header, sealer.update(plaintext), sealer.final()]);
}

/** Decrypts a sealed file's bytes; throws SealedFileError when the key is missing or the bytes changed. */
export function openSealedFile(sealed: Buffer, keys: FieldKeys): Buffer {
  if (!isSealedFile(sealed) || sealed.length < SEALED_FILE_OVERHEAD)
    throw new SealedFileError('not_authentic', undefined);
  const keyId = sealedFileKeyId(sealed)!;
  const set = keys.byId.get(keyId);
  if (!set) throw new SealedFileError('unknown_key', keyId);
  const header = sealed.subarray(0, SEALED_FILE_HEADER_BYTES);
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', set.attachment, header.subarray(-IV_BYTES));
    decipher.setAAD(header);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(sealed.subarray(SEALED_FILE_HEADER_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch (error) {
    throw Object.assign(new SealedFileError('not_authentic', keyId), { cause: error });
  }
}
