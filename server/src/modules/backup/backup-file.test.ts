import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackupError } from './backup-error.ts';
import { decryptBackupFile, openBackupFile, writeBackupFile, type BackupHeaderInput } from './backup-file.ts';

let dir: string;
const key = crypto.randomBytes(32);
const fields = (compression: 'gzip' | 'none'): BackupHeaderInput => ({
  engine: 'sqlite',
  keyId: '0123456789abcdef',
  createdAt: '2026-11-29T08:30:00.000Z',
  compression,
  schemaVersion: '2026_11_29_1900_add_totp_last_step',
  manifest: { checksum: 'hmac-sha256', tables: [{ name: 'resident', rows: 2, checksum: 'a'.repeat(64) }] },
});

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiliuzi-backup-file-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A payload with a recognisable plaintext phrase, 3 MB so that it spans many stream chunks. */
function writePlain(): Buffer {
  const plain = Buffer.concat([Buffer.from('石榴籽 plaintext marker '), crypto.randomBytes(3 * 1024 * 1024)]);
  fs.writeFileSync(path.join(dir, 'plain'), plain);
  return plain;
}

async function failureOf(work: Promise<unknown>): Promise<BackupError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof BackupError) return error;
    throw error;
  }
  throw new Error('expected a BackupError');
}

describe('the backup file', () => {
  it.each(['gzip', 'none'] as const)(
    'decrypts to the same bytes (%s), and shows no plaintext',
    async (compression) => {
      const plain = writePlain();
      const out = path.join(dir, 'a.slzbak');
      const size = await writeBackupFile(path.join(dir, 'plain'), out, key, fields(compression));
      expect(fs.statSync(out).size).toBe(size);
      expect(fs.statSync(out).mode & 0o777).toBe(0o600);
      expect(fs.readFileSync(out).includes(Buffer.from('石榴籽 plaintext marker'))).toBe(false);
      const opened = await openBackupFile(out);
      expect(opened.header).toMatchObject({ ...fields(compression), cipher: 'aes-256-gcm' });
      await decryptBackupFile(opened, key, path.join(dir, 'back'));
      expect(fs.readFileSync(path.join(dir, 'back')).equals(plain)).toBe(true);
      expect(fs.readdirSync(dir).sort()).toEqual(['a.slzbak', 'back', 'plain']);
    },
  );

  it('uses a fresh nonce every time', async () => {
    writePlain();
    await writeBackupFile(path.join(dir, 'plain'), path.join(dir, 'a'), key, fields('none'));
    await writeBackupFile(path.join(dir, 'plain'), path.join(dir, 'b'), key, fields('none'));
    const [a, b] = [await openBackupFile(path.join(dir, 'a')), await openBackupFile(path.join(dir, 'b'))];
    expect(a.header.nonce).not.toBe(b.header.nonce);
  });

  it('refuses one flipped byte anywhere — header, ciphertext or tag — and writes nothing', async () => {
    writePlain();
    const out = path.join(dir, 'a.slzbak');
    await writeBackupFile(path.join(dir, 'plain'), out, key, fields('gzip'));
    const original = fs.readFileSync(out);
    const { payloadStart } = await openBackupFile(out);
    // In the manifest's row count (still valid JSON), in the middle of the ciphertext, in the tag.
    const rowsAt = original.indexOf('"rows":2') + '"rows":'.length;
    for (const at of [rowsAt, payloadStart + 100_000, original.length - 1]) {
      const damaged = Buffer.from(original);
      damaged[at] = at === rowsAt ? '3'.charCodeAt(0) : damaged[at]! ^ 0x01;
      const file = path.join(dir, `damaged-${at}`);
      fs.writeFileSync(file, damaged);
      const error = await failureOf(
        openBackupFile(file).then((opened) => decryptBackupFile(opened, key, path.join(dir, 'out'))),
      );
      expect(error.code).toBe('damaged');
      expect(error.message).toContain('备份文件已损坏');
      expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
      expect(fs.existsSync(path.join(dir, 'out.gz'))).toBe(false);
    }
  });

  it('refuses another key as damage (the tag cannot be checked)', async () => {
    writePlain();
    const out = path.join(dir, 'a.slzbak');
    await writeBackupFile(path.join(dir, 'plain'), out, key, fields('none'));
    const error = await failureOf(
      decryptBackupFile(await openBackupFile(out), crypto.randomBytes(32), path.join(dir, 'out')),
    );
    expect(error.code).toBe('damaged');
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  });

  it('tells a file that is not a backup, a newer format and a cut-off file apart', async () => {
    fs.writeFileSync(path.join(dir, 'note.txt'), 'hello, this is not a backup at all');
    expect((await failureOf(openBackupFile(path.join(dir, 'note.txt')))).code).toBe('not_a_backup');
    writePlain();
    const out = path.join(dir, 'a.slzbak');
    await writeBackupFile(path.join(dir, 'plain'), out, key, fields('none'));
    const newer = fs.readFileSync(out);
    newer.writeUInt16BE(2, 8);
    fs.writeFileSync(path.join(dir, 'newer'), newer);
    const error = await failureOf(openBackupFile(path.join(dir, 'newer')));
    expect(error.code).toBe('unsupported_version');
    expect(error.message).toContain('版本 2');
    fs.writeFileSync(path.join(dir, 'cut'), fs.readFileSync(out).subarray(0, 200));
    expect((await failureOf(openBackupFile(path.join(dir, 'cut')))).code).toBe('damaged');
  });
});
