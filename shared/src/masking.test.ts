import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskPhone } from './masking.ts';

/** How many characters of `masked` are shown rather than starred. */
function countShown(masked: string): number {
  return Array.from(masked).filter((character) => character !== '*').length;
}

describe('maskIdNumber', () => {
  it('keeps the first 3 and last 4 of an 18-character number', () => {
    expect(maskIdNumber('110101199003071234')).toBe('110***********1234');
    expect(maskIdNumber('51070419850302112X')).toBe('510***********112X');
  });

  it('keeps the first 3 and last 4 of a 15-digit number', () => {
    expect(maskIdNumber('130503670401001')).toBe('130********1001');
  });

  it('keeps only the end of a short or odd value', () => {
    expect(maskIdNumber('12345678')).toBe('******78');
    expect(maskIdNumber('ABC')).toBe('**C');
    expect(maskIdNumber('7')).toBe('*');
    expect(maskIdNumber('')).toBe('');
  });

  it('keeps the length and never shows more than 7 characters', () => {
    for (let length = 0; length <= 30; length++) {
      const masked = maskIdNumber('1234567890'.repeat(3).slice(0, length));
      expect(masked).toHaveLength(length);
      expect(countShown(masked)).toBeLessThanOrEqual(7);
      if (length > 0) expect(countShown(masked)).toBeLessThan(length);
    }
  });
});

describe('maskPhone', () => {
  it('keeps the first 3 and last 4 of a mobile number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });

  it('keeps the first 3 and last 4 of a landline', () => {
    expect(maskPhone('02887654321')).toBe('028****4321');
    expect(maskPhone('08376221234')).toBe('083****1234');
    expect(maskPhone('0106543210')).toBe('010***3210');
  });

  it('masks the normalised number, whatever the formatting', () => {
    expect(maskPhone('+86 138-1234-5678')).toBe('138****5678');
    expect(maskPhone('(028) 8765 4321')).toBe('028****4321');
  });

  it('keeps only the end of a short value', () => {
    expect(maskPhone('87654321')).toBe('****4321');
    expect(maskPhone('12345')).toBe('***45');
    expect(maskPhone('123')).toBe('***');
  });

  it('never shows more than 7 characters, nor the whole of anything', () => {
    for (let length = 1; length <= 20; length++) {
      const masked = maskPhone('1234567890'.repeat(2).slice(0, length));
      expect(masked).toHaveLength(length);
      expect(countShown(masked)).toBeLessThanOrEqual(7);
      expect(countShown(masked)).toBeLessThan(length);
    }
  });
});
