import { describe, expect, it } from 'vitest';
import { isValidPhone, normalizePhone, phoneSchema } from './phone.ts';

describe('normalizePhone', () => {
  it('removes spaces, dashes and parentheses', () => {
    expect(normalizePhone(' 138 1234-5678 ')).toBe('13812345678');
    expect(normalizePhone('(028) 8765-4321')).toBe('02887654321');
    expect(normalizePhone('（０２８）８７６５\u3000４３２１')).toBe('02887654321');
  });

  it('drops a leading +86 or 0086', () => {
    expect(normalizePhone('+86 138 1234 5678')).toBe('13812345678');
    expect(normalizePhone('+86-138-1234-5678')).toBe('13812345678');
    expect(normalizePhone('0086 13812345678')).toBe('13812345678');
    expect(normalizePhone('＋８６１３８１２３４５６７８')).toBe('13812345678');
  });

  it('leaves 86 inside the number alone', () => {
    expect(normalizePhone('13886000086')).toBe('13886000086');
  });
});

describe('isValidPhone', () => {
  it('accepts mainland mobile numbers from 13 to 19', () => {
    for (const prefix of ['13', '14', '15', '16', '17', '18', '19']) {
      expect(isValidPhone(`${prefix}812345678`)).toBe(true);
    }
    expect(isValidPhone('+86 199 0000 1111')).toBe(true);
  });

  it('accepts landlines with a 3- or 4-digit area code', () => {
    expect(isValidPhone('010-12345678')).toBe(true);
    expect(isValidPhone('028-87654321')).toBe(true);
    expect(isValidPhone('0837-6221234')).toBe(true);
    expect(isValidPhone('(0991) 2345678')).toBe(true);
  });

  it('rejects mobile numbers with a bad prefix or the wrong length', () => {
    for (const raw of ['12812345678', '1381234567', '138123456789', '23812345678']) {
      expect(isValidPhone(raw)).toBe(false);
    }
  });

  it('rejects landlines without an area code, with an extension, or starting 00', () => {
    for (const raw of ['87654321', '6221234', '028-87654321-123', '00287654321']) {
      expect(isValidPhone(raw)).toBe(false);
    }
  });

  it('rejects empty and non-numeric input', () => {
    for (const raw of ['', '   ', 'none', '138abcd5678']) expect(isValidPhone(raw)).toBe(false);
  });
});

describe('phoneSchema', () => {
  it('parses to the normalised number', () => {
    expect(phoneSchema.parse('+86 138-1234-5678')).toBe('13812345678');
    expect(phoneSchema.parse('(028) 8765 4321')).toBe('02887654321');
  });

  it('refuses an invalid number with invalid_phone', () => {
    const result = phoneSchema.safeParse('8765 4321');
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['invalid_phone']);
  });
});
