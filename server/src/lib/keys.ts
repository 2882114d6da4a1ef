import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

// The one place keys come from, and never from the database: a 32-byte master key from
// SHILIUZI_MASTER_KEY, from the file named by SHILIUZI_KEY_FILE, or (demo mode only) from
// <data dir>/keys/master.key, created on first use. Every use gets its own subkey derived with
// HKDF-SHA256, so a key for one purpose says nothing about another and each can be versioned.
// Rotation is a new master key (docs/BACKUP.md): what was encrypted under the old one names it by
// key id, and is decrypted with the old key kept aside (`restore --key-file`).

/**
 * What a subkey is for: `backup` files, the embedded `database` file (SQLite3 Multiple Ciphers),
 * field encryption (`field`, `blind-index`, `totp`) and attached files such as visit photos
 * (`attachment`).
 */
export const keyPurposes = ['backup', 'database', 'field', 'blind-index', 'totp', 'attachment'] as const;
export type KeyPurpose = (typeof keyPurposes)[number];

export const MASTER_KEY_BYTES = 32;

/** Why no usable key was found; `message` is precise English for the log, the CLI shows Chinese by code. */
export type KeyErrorCode =
  'master_key_missing' | 'master_key_invalid' | 'key_file_unreadable' | 'key_file_invalid';

export class KeyError extends Error {
  constructor(
    readonly code: KeyErrorCode,
    message: string,
    /** The key file concerned, if any. */
    readonly file?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'KeyError';
  }
}

/** Where to look for the master key: the parsed configuration (SHILIUZI_MASTER_KEY, SHILIUZI_KEY_FILE). */
export interface KeySource {
  masterKey: string | undefined;
  keyFile: string | undefined;
  mode: 'demo' | 'production';
  dataDir: string;
}

/** A loaded master key. It never leaves this object; callers get derived subkeys only. */
export interface Keyring {
  /** Short public id of the master key (hex), written beside whatever a subkey encrypts. */
  readonly keyId: string;
  /** Where the key came from, for logs and messages: `SHILIUZI_MASTER_KEY` or a file path. */
  readonly origin: string;
  /** The 32-byte subkey for one purpose; the same master key always gives the same subkey. */
  deriveKey(purpose: KeyPurpose): Buffer;
}

const HKDF_SALT = Buffer.from('shiliuzi/hkdf-salt/v1');
const KEY_ID_PREFIX = Buffer.from('shiliuzi/key-id/v1\0');

/** The 32 key bytes of base64 (standard or URL-safe) or 64 hex characters; undefined when it is neither. */
export function parseMasterKey(text: string): Buffer | undefined {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(value)) {
    const bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === MASTER_KEY_BYTES) return bytes;
  }
  return undefined;
}

/** Whether the text is a master key as SHILIUZI_MASTER_KEY accepts it. */
export function isMasterKeyText(text: string): boolean {
  return parseMasterKey(text) !== undefined;
}

/** A new random master key as base64 text (what `master.key` files and SHILIUZI_MASTER_KEY hold). */
export function generateMasterKey(): string {
  return crypto.randomBytes(MASTER_KEY_BYTES).toString('base64');
}

/** The public id of a master key: the first 8 bytes of a domain-separated SHA-256, as 16 hex characters. */
export function keyIdOf(masterKey: Buffer): string {
  return crypto
    .createHash('sha256')
    .update(KEY_ID_PREFIX)
    .update(masterKey)
    .digest()
    .subarray(0, 8)
    .toString('hex');
}

/** The subkey for `purpose`: HKDF-SHA256 of the master key with the purpose (and a version) as info. */
export function deriveKey(masterKey: Buffer, purpose: KeyPurpose): Buffer {
  if (!keyPurposes.includes(purpose)) throw new RangeError(`unknown key purpose ${String(purpose)}`);
  return Buffer.from(
    crypto.hkdfSync('sha256', masterKey, HKDF_SALT, `shiliuzi/${purpose}/v1`, MASTER_KEY_BYTES),
  );
}

/** A keyring over master key bytes. */
export function keyringOf(masterKey: Buffer, origin: string): Keyring {
  if (masterKey.length !== MASTER_KEY_BYTES) throw new RangeError('a master key is 32 bytes');
  const key = Buffer.from(masterKey); // a private copy
  return Object.freeze({
    keyId: keyIdOf(key),
    origin,
    deriveKey: (purpose: KeyPurpose) => deriveKey(key, purpose),
  });
}

/** Where demo mode keeps its generated key. */
export function demoKeyFile(dataDir: string): string {
  return path.join(dataDir, 'keys', 'master.key');
}

/**
 * Reads a key file: exactly 32 raw bytes, or one line of base64 or 64 hex characters.
 * Throws `KeyError` (key_file_unreadable, key_file_invalid).
 */
export function readKeyFile(file: string): Buffer {
  let content: Buffer;
  try {
    content = fs.readFileSync(file);
  } catch (error) {
    throw new KeyError(
      'key_file_unreadable',
      `Cannot read key file ${file}: ${(error as Error).message}`,
      file,
      { cause: error },
    );
  }
  if (content.length === MASTER_KEY_BYTES) return content;
  const key = parseMasterKey(content.toString('utf8'));
  if (!key) {
    throw new KeyError(
      'key_file_invalid',
      `Key file ${file} holds ${content.length} bytes: expected 32 raw bytes, or base64 / 64 hex characters of 32 bytes`,
      file,
    );
  }
  return key;
}

/** A keyring from a key file (e.g. the old key a backup was made with). */
export function keyringFromFile(file: string): Keyring {
  const resolved = path.resolve(file);
  return keyringOf(readKeyFile(resolved), resolved);
}

/**
 * Writes a master key file readable by its owner only (0600, in a 0700 folder). Refuses to replace
 * an existing file (EEXIST), so a key is never overwritten.
 */
export function writeKeyFile(file: string, masterKey: Buffer): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  // Written in full beside it, then linked into place: a reader never sees a half-written key, and
  // of two processes creating it at once one wins and the other gets EEXIST.
  const draft = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    const fd = fs.openSync(draft, 'wx', 0o600);
    try {
      fs.writeSync(fd, `${masterKey.toString('base64')}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.linkSync(draft, file);
  } finally {
    fs.rmSync(draft, { force: true });
  }
}

/**
 * Loads the master key: SHILIUZI_MASTER_KEY, else SHILIUZI_KEY_FILE, else (demo mode) the data dir's
 * `keys/master.key`, created with random bytes on first use unless `create` is false. Production mode
 * never creates a key. Throws `KeyError` when there is no usable key.
 */
export function loadKeyring(source: KeySource, options: { create?: boolean } = {}): Keyring {
  if (source.masterKey !== undefined && source.masterKey !== '') {
    const key = parseMasterKey(source.masterKey);
    if (!key) {
      throw new KeyError(
        'master_key_invalid',
        'SHILIUZI_MASTER_KEY must be 32 bytes as base64 (44 characters) or as 64 hex characters',
      );
    }
    return keyringOf(key, 'SHILIUZI_MASTER_KEY');
  }
  if (source.keyFile) return keyringFromFile(source.keyFile);
  if (source.mode === 'production') {
    throw new KeyError(
      'master_key_missing',
      'No master key: production mode needs SHILIUZI_MASTER_KEY (32 bytes, base64 or 64 hex characters) or SHILIUZI_KEY_FILE, and never generates one',
    );
  }
  const file = demoKeyFile(source.dataDir);
  if (!fs.existsSync(file)) {
    if (options.create === false) {
      throw new KeyError(
        'master_key_missing',
        `No master key: SHILIUZI_MASTER_KEY and SHILIUZI_KEY_FILE are unset and ${file} does not exist`,
        file,
      );
    }
    try {
      writeKeyFile(file, crypto.randomBytes(MASTER_KEY_BYTES));
    } catch (error) {
      // Another process created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return keyringFromFile(file);
}
