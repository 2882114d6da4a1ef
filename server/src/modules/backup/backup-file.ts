import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { z } from 'zod';
import { backupError } from './backup-error.ts';

// The backup file, format version 1:
//
//   magic        8 bytes  "SHLZBAK\n"
//   version      uint16 BE  1
//   header size  uint32 BE  n
//   header       n bytes  UTF-8 JSON (BackupHeader: engine, key id, time, nonce, manifest, ...)
//   ciphertext   AES-256-GCM of the database copy (gzip-compressed for SQLite; pg_dump's custom
//                format is compressed already)
//   tag          16 bytes  GCM authentication tag
//
// Everything before the ciphertext is the GCM additional data, so a changed header (key id,
// manifest) fails the tag exactly as a changed ciphertext byte does. One GCM message holds at most
// 64 GiB; larger databases want pg_basebackup (docs/BACKUP.md).

export const BACKUP_MAGIC = Buffer.from('SHLZBAK\n', 'latin1');
export const BACKUP_FORMAT_VERSION = 1;
const PREAMBLE_BYTES = BACKUP_MAGIC.length + 2 + 4;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const MAX_HEADER_BYTES = 16 * 1024 * 1024;
/** GCM's limit for one message is 2^39 − 256 bits; stay below it. */
const MAX_PLAINTEXT_BYTES = 2 ** 36 - 1024;

export const tableManifestSchema = z.object({
  name: z.string().min(1),
  rows: z.number().int().min(0),
  /** HMAC-SHA256 (hex) of the table's rows in primary-key order, keyed from the backup key. */
  checksum: z.string().regex(/^[0-9a-f]{64}$/),
});
export type TableManifest = z.infer<typeof tableManifestSchema>;

export const manifestSchema = z.object({
  checksum: z.literal('hmac-sha256'),
  tables: z.array(tableManifestSchema),
});
export type Manifest = z.infer<typeof manifestSchema>;

export const backupHeaderSchema = z.object({
  engine: z.enum(['sqlite', 'postgres']),
  /** Id of the master key whose `backup` subkey encrypted the file (lib/keys.ts). */
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  /** When the snapshot was taken (UTC). */
  createdAt: z.iso.datetime(),
  cipher: z.literal('aes-256-gcm'),
  /** The 12-byte GCM nonce, base64. */
  nonce: z.string(),
  compression: z.enum(['gzip', 'none']),
  /** The last migration applied to the database that was copied. */
  schemaVersion: z.string().nullable(),
  manifest: manifestSchema,
});
export type BackupHeader = z.infer<typeof backupHeaderSchema>;

/** What `writeBackupFile` is told; the nonce and cipher are its own. */
export type BackupHeaderInput = Omit<BackupHeader, 'cipher' | 'nonce'>;

/** A backup file whose header has been read (not yet authenticated: that needs the key). */
export interface OpenedBackup {
  file: string;
  header: BackupHeader;
  /** Preamble and header bytes: the GCM additional data. */
  additionalData: Buffer;
  payloadStart: number;
  size: number;
}

/**
 * Encrypts `plainFile` into `outFile` (created with mode 0600, written in full beside it and renamed
 * into place, so a crash never leaves a half-written backup under the final name). Returns its size.
 */
export async function writeBackupFile(
  plainFile: string,
  outFile: string,
  key: Buffer,
  fields: BackupHeaderInput,
): Promise<number> {
  const nonce = crypto.randomBytes(NONCE_BYTES);
  const header: BackupHeader = { ...fields, cipher: 'aes-256-gcm', nonce: nonce.toString('base64') };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const preamble = Buffer.alloc(PREAMBLE_BYTES);
  BACKUP_MAGIC.copy(preamble, 0);
  preamble.writeUInt16BE(BACKUP_FORMAT_VERSION, BACKUP_MAGIC.length);
  preamble.writeUInt32BE(json.length, BACKUP_MAGIC.length + 2);
  const additionalData = Buffer.concat([preamble, json]);

  const cipher = crypto.createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(additionalData);
  const partial = `${outFile}.partial`;
  try {
    let plainBytes = 0;
    await pipeline(
      fs.createReadStream(plainFile),
      fields.compression === 'gzip' ? zlib.createGzip({ level: 6 }) : new PassThrough(),
      async function* (source: AsyncIterable<Buffer>) {
        yield additionalData;
        for await (const chunk of source) {
          plainBytes += chunk.length;
          if (plainBytes > MAX_PLAINTEXT_BYTES) throw backupError('too_large', []);
          yield cipher.update(chunk);
        }
        yield cipher.final();
        yield cipher.getAuthTag();
      },
      fs.createWriteStream(partial, { flags: 'wx', mode: 0o600 }),
    );
    await syncFile(partial);
    fs.renameSync(partial, outFile);
    await syncFile(path.dirname(outFile));
    return fs.statSync(outFile).size;
  } finally {
    fs.rmSync(partial, { force: true });
  }
}

/** Reads and checks the preamble and header. Refuses what is not a backup, a newer format, or a cut-off file. */
export async function openBackupFile(file: string): Promise<OpenedBackup> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const preamble = Buffer.alloc(PREAMBLE_BYTES);
    const { bytesRead } = await handle.read(preamble, 0, PREAMBLE_BYTES, 0);
    if (bytesRead < PREAMBLE_BYTES || !preamble.subarray(0, BACKUP_MAGIC.length).equals(BACKUP_MAGIC)) {
      throw backupError('not_a_backup', [file], 'magic bytes missing');
    }
    const version = preamble.readUInt16BE(BACKUP_MAGIC.length);
    if (version !== BACKUP_FORMAT_VERSION) {
      throw backupError('unsupported_version', [version], `format version ${version}`);
    }
    const headerBytes = preamble.readUInt32BE(BACKUP_MAGIC.length + 2);
    const payloadStart = PREAMBLE_BYTES + headerBytes;
    if (headerBytes > MAX_HEADER_BYTES || payloadStart + TAG_BYTES > size) {
      throw backupError('damaged', [], `header of ${headerBytes} bytes does not fit a file of ${size} bytes`);
    }
    const json = Buffer.alloc(headerBytes);
    await handle.read(json, 0, headerBytes, PREAMBLE_BYTES);
    let header: BackupHeader;
    try {
      header = backupHeaderSchema.parse(JSON.parse(json.toString('utf8')));
    } catch (error) {
      throw backupError('damaged', [], `unreadable header: ${(error as Error).message}`, { cause: error });
    }
    return { file, header, additionalData: Buffer.concat([preamble, json]), payloadStart, size };
  } finally {
    await handle.close();
  }
}

/**
 * Decrypts a backup into `outFile` (mode 0600). The GCM tag is checked over the whole file before
 * anything is decompressed or handed on: a damaged file, a changed header or a wrong key throw
 * `damaged` and leave no output behind.
 */
export async function decryptBackupFile(opened: OpenedBackup, key: Buffer, outFile: string): Promise<void> {
  const { file, header, additionalData, payloadStart, size } = opened;
  const tag = Buffer.alloc(TAG_BYTES);
  const handle = await fs.promises.open(file, 'r');
  try {
    await handle.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    await handle.close();
  }
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(header.nonce, 'base64'));
  decipher.setAAD(additionalData);
  decipher.setAuthTag(tag);
  const sealed = header.compression === 'gzip' ? `${outFile}.gz` : outFile;
  try {
    try {
      await pipeline(
        // `end` is inclusive; an empty payload has nothing to read.
        payloadStart < size - TAG_BYTES
          ? fs.createReadStream(file, { start: payloadStart, end: size - TAG_BYTES - 1 })
          : emptyStream(),
        decipher,
        fs.createWriteStream(sealed, { flags: 'wx', mode: 0o600 }),
      );
    } catch (error) {
      if ((error as Error).message.includes('unable to authenticate')) {
        throw backupError('damaged', [], 'GCM authentication failed', { cause: error });
      }
      throw error;
    }
    if (sealed !== outFile) {
      await pipeline(
        fs.createReadStream(sealed),
        zlib.createGunzip(),
        fs.createWriteStream(outFile, { flags: 'wx', mode: 0o600 }),
      );
    }
  } catch (error) {
    fs.rmSync(outFile, { force: true });
    throw error;
  } finally {
    if (sealed !== outFile) fs.rmSync(sealed, { force: true });
  }
}

async function* emptyStream(): AsyncGenerator<Buffer> {}

/** fsync a file or a folder, so that a rename survives a power cut. */
async function syncFile(file: string): Promise<void> {
  const handle = await fs.promises.open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
