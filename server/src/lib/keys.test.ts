import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import {
  demoKeyFile,
  deriveKey,
  KeyError,
  keyIdOf,
  keyPurposes,
  loadKeyring,
  parseMasterKey,
  type KeySource,
} from './keys.ts';

const master = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');

let dataDir: string;
const source = (overrides: Partial<KeySource> = {}): KeySource => ({
  masterKey: undefined,
  keyFile: undefined,
  mode: 'demo',
  dataDir,
  ...overrides,
});

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiliuzi-keys-'));
});
afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function errorOf(work: () => unknown): KeyError {
  try {
    work();
  } catch (error) {
    if (error instanceof KeyError) return error;
    throw error;
  }
  throw new Error('expected a KeyError');
}

describe('the master key', () => {
  it('accepts the same key as 64 hex characters, base64 and URL-safe base64', () => {
    const hex = loadKeyring(source({ masterKey: master.toString('hex') }));
    const base64 = loadKeyring(source({ masterKey: master.toString('base64') }));
    const urlSafe = loadKeyring(source({ masterKey: master.toString('base64url') }));
    expect(base64.keyId).toBe(hex.keyId);
    expect(urlSafe.keyId).toBe(hex.keyId);
    expect(base64.deriveKey('backup').equals(hex.deriveKey('backup'))).toBe(true);
    expect(hex.origin).toBe('SHILIUZI_MASTER_KEY');
  });

  it('refuses a key that is not 32 bytes, naming the variable', () => {
    for (const bad of ['abc', master.subarray(0, 31).toString('base64'), `${master.toString('hex')}00`]) {
      const error = errorOf(() => loadKeyring(source({ masterKey: bad })));
      expect(error.code).toBe('master_key_invalid');
      expect(error.message).toContain('SHILIUZI_MASTER_KEY');
    }
    expect(parseMasterKey(Buffer.alloc(33).toString('base64'))).toBeUndefined();
  });

  it('reads a key file of raw bytes or of text, and prefers SHILIUZI_MASTER_KEY to it', () => {
    const raw = path.join(dataDir, 'raw.key');
    const text = path.join(dataDir, 'text.key');
    fs.writeFileSync(raw, master);
    fs.writeFileSync(text, `${master.toString('hex')}\n`);
    const fromRaw = loadKeyring(source({ keyFile: raw }));
    expect(loadKeyring(source({ keyFile: text })).keyId).toBe(fromRaw.keyId);
    expect(fromRaw.keyId).toBe(keyIdOf(master));
    expect(fromRaw.origin).toBe(raw);
    const other = crypto.randomBytes(32);
    expect(loadKeyring(source({ keyFile: raw, masterKey: other.toString('base64') })).keyId).toBe(
      keyIdOf(other),
    );
  });

  it('names a key file that is missing or malformed', () => {
    const missing = errorOf(() => loadKeyring(source({ keyFile: path.join(dataDir, 'nope.key') })));
    expect(missing).toMatchObject({ code: 'key_file_unreadable', file: path.join(dataDir, 'nope.key') });
    const bad = path.join(dataDir, 'bad.key');
    fs.writeFileSync(bad, 'not a key\n');
    expect(errorOf(() => loadKeyring(source({ keyFile: bad }))).code).toBe('key_file_invalid');
  });

  it('creates the demo key on first use, readable by its owner only, and keeps using it', () => {
    const first = loadKeyring(source());
    const file = demoKeyFile(dataDir);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(parseMasterKey(fs.readFileSync(file, 'utf8'))).toHaveLength(32);
    expect(loadKeyring(source()).keyId).toBe(first.keyId);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['master.key']);
  });

  it('never creates a key in production mode, and says what to set', () => {
    const error = errorOf(() => loadKeyring(source({ mode: 'production' })));
    expect(error.code).toBe('master_key_missing');
    expect(error.message).toMatch(/SHILIUZI_MASTER_KEY.*SHILIUZI_KEY_FILE/);
    expect(fs.existsSync(demoKeyFile(dataDir))).toBe(false);
  });

  it('does not create a key when asked not to (a restore needs the key the backup was made with)', () => {
    expect(errorOf(() => loadKeyring(source(), { create: false })).code).toBe('master_key_missing');
    expect(fs.existsSync(demoKeyFile(dataDir))).toBe(false);
  });
});

describe('derived keys', () => {
  it('are deterministic, 32 bytes, different per purpose and per master key', () => {
    const keys = keyPurposes.map((purpose) => deriveKey(master, purpose));
    expect(keys.every((key) => key.length === 32)).toBe(true);
    expect(new Set(keys.map((key) => key.toString('hex'))).size).toBe(keyPurposes.length);
    expect(deriveKey(master, 'backup').equals(deriveKey(Buffer.from(master), 'backup'))).toBe(true);
    expect(deriveKey(crypto.randomBytes(32), 'backup').equals(deriveKey(master, 'backup'))).toBe(false);
    expect(keys.some((key) => key.equals(master))).toBe(false);
  });

  it('match HKDF-SHA256 with the documented salt and info', () => {
    // Pinned so that a change to the derivation (which would orphan every backup) cannot go unnoticed.
    const expected = crypto.hkdfSync('sha256', master, 'shiliuzi/hkdf-salt/v1', 'shiliuzi/backup/v1', 32);
    expect(deriveKey(master, 'backup').equals(Buffer.from(expected))).toBe(true);
    expect(keyIdOf(master)).toMatch(/^[0-9a-f]{16}$/);
    expect(keyIdOf(master)).toBe(
      crypto.createHash('sha256').update('shiliuzi/key-id/v1\0').update(master).digest('hex').slice(0, 16),
    );
  });
});

describe('key configuration', () => {
  it('fails fast on a malformed SHILIUZI_MASTER_KEY and resolves SHILIUZI_KEY_FILE', () => {
    expect(() => loadConfig({ SHILIUZI_MASTER_KEY: 'short' })).toThrow(/SHILIUZI_MASTER_KEY/);
    const config = loadConfig({
      SHILIUZI_MASTER_KEY: master.toString('base64'),
      SHILIUZI_KEY_FILE: 'k/master.key',
    });
    expect(config.masterKey).toBe(master.toString('base64'));
    expect(config.keyFile).toBe(path.resolve('k/master.key'));
  });

  it('requires BACKUP_DIR when scheduled backups are on, and keeps 7 by default', () => {
    expect(() => loadConfig({ BACKUP_INTERVAL_HOURS: '24' })).toThrow(/BACKUP_DIR/);
    expect(loadConfig({}).backup).toEqual({ dir: undefined, intervalHours: 0, keep: 7 });
    expect(loadConfig({ BACKUP_INTERVAL_HOURS: '6', BACKUP_DIR: 'b', BACKUP_KEEP: '3' }).backup).toEqual({
      dir: path.resolve('b'),
      intervalHours: 6,
      keep: 3,
    });
  });
});
