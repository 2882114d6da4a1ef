import crypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../errors.ts';
import {
  blindIndex,
  fieldKeysOf,
  fromFieldKeysMessage,
  idNumberIndex,
  isSealed,
  maskedFieldView,
  openField,
  phoneIndex,
  seal,
  sealedKeyId,
  setFieldErrorLog,
  showField,
  toFieldKeysMessage,
  unseal,
  UnsealError,
} from './field-crypto.ts';
import { keyringOf } from './keys.ts';

const keyring = (byte: number) => keyringOf(Buffer.alloc(32, byte), `key ${byte}`);
const keys = fieldKeysOf(keyring(1));
const rowId = '0190f5f4-0000-7000-8000-000000000001';
const otherRowId = '0190f5f4-0000-7000-8000-000000000002';

function problemOf(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    if (error instanceof UnsealError) return error.problem;
    throw error;
  }
  throw new Error('expected an UnsealError');
}

describe('sealed values', () => {
  it('are tagged with format, algorithm and key id, and differ each time for the same text', () => {
    const a = seal('resident.id_number', rowId, '110101199003071234', keys);
    const b = seal('resident.id_number', rowId, '110101199003071234', keys);
    expect(a).toMatch(/^v1:a256gcm:[0-9a-f]{16}:[A-Za-z0-9+/]+=*$/);
    expect(sealedKeyId(a)).toBe(keyring(1).keyId);
    expect(a).not.toBe(b);
    expect(a).not.toContain('1234');
    expect(isSealed(a)).toBe(true);
    expect(isSealed('110101199003071234')).toBe(false);
  });

  it('open back to the text, Chinese included', () => {
    const text = '楼上装修噪音影响老人休息，双方言语冲突';
    expect(unseal('dispute.summary', rowId, seal('dispute.summary', rowId, text, keys), keys)).toBe(text);
    expect(unseal('dispute.summary', rowId, seal('dispute.summary', rowId, '', keys), keys)).toBe('');
  });

  it('do not open in another row or another column', () => {
    const sealed = seal('resident.phone', rowId, '13812345678', keys);
    expect(problemOf(() => unseal('resident.phone', otherRowId, sealed, keys))).toBe('not_authentic');
    expect(problemOf(() => unseal('place.landlord_phone', rowId, sealed, keys))).toBe('not_authentic');
  });

  it('do not open when a byte or the key id was changed', () => {
    const sealed = seal('resident.phone', rowId, '13812345678', keys);
    const body = Buffer.from(sealed.split(':')[3]!, 'base64');
    body[14] = body[14]! ^ 1;
    const flipped = `${sealed.split(':').slice(0, 3).join(':')}:${body.toString('base64')}`;
    expect(problemOf(() => unseal('resident.phone', rowId, flipped, keys))).toBe('not_authentic');
    const otherKeys = fieldKeysOf(keyring(2), [keyring(1)]);
    const renamed = sealed.replace(keyring(1).keyId, keyring(2).keyId);
    expect(problemOf(() => unseal('resident.phone', rowId, renamed, otherKeys))).toBe('not_authentic');
    expect(problemOf(() => unseal('resident.phone', rowId, '13812345678', keys))).toBe('not_sealed');
  });

  it('written under an earlier master key are read when that key is supplied, and only then', () => {
    const old = seal('resident.id_number', rowId, '110101199003071234', keys);
    const rotated = fieldKeysOf(keyring(2), [keyring(1)]);
    expect(unseal('resident.id_number', rowId, old, rotated)).toBe('110101199003071234');
    expect(sealedKeyId(seal('resident.id_number', rowId, 'x', rotated))).toBe(keyring(2).keyId);
    expect(problemOf(() => unseal('resident.id_number', rowId, old, fieldKeysOf(keyring(2))))).toBe(
      'unknown_key',
    );
  });

  it('of TOTP secrets use their own subkey', () => {
    const sealed = seal('app_user.totp_secret', rowId, 'JBSWY3DPEHPK3PXP', keys);
    const body = Buffer.from(sealed.split(':')[3]!, 'base64');
    const decipher = crypto.createDecipheriv('aes-256-gcm', keys.current.field, body.subarray(0, 12));
    decipher.setAuthTag(body.subarray(body.length - 16));
    expect(() => decipher.update(body.subarray(12, body.length - 16)) && decipher.final()).toThrow();
    expect(unseal('app_user.totp_secret', rowId, sealed, keys)).toBe('JBSWY3DPEHPK3PXP');
  });

  it('cross to a worker thread as subkeys and still open', () => {
    const copy = fromFieldKeysMessage(
      structuredClone(toFieldKeysMessage(fieldKeysOf(keyring(2), [keyring(1)]))),
    );
    expect(copy.current.keyId).toBe(keyring(2).keyId);
    expect(unseal('resident.phone', rowId, seal('resident.phone', rowId, '13812345678', keys), copy)).toBe(
      '13812345678',
    );
  });
});

describe('opening for a user', () => {
  it('logs the failure in English and answers 500 field_unreadable in Chinese, or shows a stand-in', () => {
    const log = vi.fn();
    setFieldErrorLog(log);
    const moved = seal('resident.id_number', otherRowId, '110101199003071234');
    let error: unknown;
    try {
      openField('resident.id_number', rowId, moved);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(500);
    expect((error as AppError).code).toBe('field_unreadable');
    expect((error as AppError).message).toMatch(/无法解密/);
    expect(showField('resident.id_number', rowId, moved)).toBe('【无法解密】');
    expect(log).toHaveBeenCalledTimes(2);
    expect(log.mock.calls[0]![1]).toMatch(/resident\.id_number of row .* fails authentication/);
    expect(JSON.stringify(log.mock.calls)).not.toContain('110101199003071234');
    expect(openField('resident.id_number', rowId, null)).toBeNull();
    setFieldErrorLog((context, message) => console.error(message, context));
  });

  it('opens a value shown masked once, and never for a row it was not sealed for', () => {
    const log = vi.fn();
    setFieldErrorLog(log);
    const mask = vi.fn((clear: string) => `${clear.slice(0, 3)}***********${clear.slice(-4)}`);
    const show = maskedFieldView('resident.id_number', mask);
    const stored = seal('resident.id_number', rowId, '110101199003071234');
    expect(show(rowId, stored)).toBe('110***********1234');
    expect(show(rowId, stored)).toBe('110***********1234');
    expect(mask).toHaveBeenCalledTimes(1);
    // The stored value copied into another row does not open there, however often it is shown.
    expect(show(otherRowId, stored)).toBe('【无法解密】');
    expect(show(otherRowId, stored)).toBe('【无法解密】');
    expect(log).toHaveBeenCalledTimes(2);
    // A changed number is a new stored value: its own mask at once.
    expect(show(rowId, seal('resident.id_number', rowId, '110101199003075678'))).toBe('110***********5678');
    expect(show(rowId, null)).toBeNull();
    setFieldErrorLog((context, message) => console.error(message, context));
  });
});

describe('blind indexes', () => {
  it('match the same normalised value and depend on the key and the kind', () => {
    expect(idNumberIndex('11010119900307123x', keys)).toBe(idNumberIndex('11010119900307123X', keys));
    expect(phoneIndex('138 1234 5678', keys)).toBe(phoneIndex('+86 13812345678', keys));
    expect(phoneIndex('13812345678', keys)).not.toBe(phoneIndex('13812345679', keys));
    expect(phoneIndex('13812345678', keys)).not.toBe(phoneIndex('13812345678', fieldKeysOf(keyring(2))));
    expect(blindIndex('phone', '13812345678', keys)).not.toBe(blindIndex('id_number', '13812345678', keys));
    expect(phoneIndex('13812345678', keys)).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
