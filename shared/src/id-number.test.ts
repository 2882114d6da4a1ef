import { describe, expect, it } from 'vitest';
import {
  checkIdNumber,
  computeCheckDigit,
  convertIdNumber15To18,
  idNumberSchema,
  isValidIdNumber,
  normalizeIdNumber,
} from './id-number.ts';

/** A valid 18-character number from its parts. */
function buildIdNumber(region: string, birthDate: string, sequence: string): string {
  const first17 = region + birthDate + sequence;
  return first17 + computeCheckDigit(first17);
}

const TODAY = new Date(2025, 5, 15); // 2025-06-15, local time

describe('computeCheckDigit', () => {
  it('gives X for the example in GB 11643, 11010519491231002X', () => {
    // 1·7+1·9+0·10+1·5+0·8+5·4+1·2+9·1+4·6+9·3+1·7+2·9+3·10+1·5+0·8+0·4+2·2 = 167; 167 mod 11 = 2 → X
    expect(computeCheckDigit('11010519491231002')).toBe('X');
  });

  it('gives 4 for the second example in GB 11643, 440524188001010014', () => {
    // sum 195; 195 mod 11 = 8 → 4
    expect(computeCheckDigit('44052418800101001')).toBe('4');
  });

  it('covers every remainder with its check character', () => {
    const seen = new Set<string>();
    for (let sequence = 0; sequence < 200; sequence++) {
      seen.add(computeCheckDigit(`51070419850302${String(sequence).padStart(3, '0')}`));
    }
    expect([...seen].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X']);
  });

  it('throws unless given exactly 17 digits', () => {
    expect(() => computeCheckDigit('1101051949123100')).toThrow(RangeError);
    expect(() => computeCheckDigit('1101051949123100A')).toThrow(RangeError);
  });
});

describe('convertIdNumber15To18', () => {
  it('inserts 19 before the year and appends the check digit', () => {
    // 130503 19 670401 001 → weighted sum 182, 182 mod 11 = 6 → 6
    expect(convertIdNumber15To18('130503670401001')).toBe('130503196704010016');
  });

  it('throws unless given exactly 15 digits', () => {
    expect(() => convertIdNumber15To18('13050367040100')).toThrow(RangeError);
  });
});

describe('normalizeIdNumber', () => {
  it('turns full-width digits and X into ASCII', () => {
    expect(normalizeIdNumber('５１０７０４１９８５０３０２１２３Ｘ')).toBe('51070419850302123X');
  });

  it('removes spaces of every kind, hyphens and zero-width characters', () => {
    expect(normalizeIdNumber(' 510704 19850302\u30001234\t')).toBe('510704198503021234');
    expect(normalizeIdNumber('510704-19850302-123x')).toBe('51070419850302123X');
    expect(normalizeIdNumber('510704－19850302\u00A0123\u200Bx')).toBe('51070419850302123X');
  });

  it("upper-cases x and drops Excel's leading apostrophe", () => {
    expect(normalizeIdNumber("'11010519491231002x")).toBe('11010519491231002X');
  });
});

describe('checkIdNumber', () => {
  it('accepts a valid 18-character number and derives birth date, gender and region', () => {
    expect(checkIdNumber('11010519491231002X', TODAY)).toEqual({
      ok: true,
      idNumber: '11010519491231002X',
      birthDate: '1949-12-31',
      gender: 'female',
      regionCode: '110105',
      converted15: false,
    });
  });

  it('reads an odd sequence as male and an even one as female', () => {
    const male = checkIdNumber(buildIdNumber('513221', '19850302', '123'), TODAY);
    const female = checkIdNumber(buildIdNumber('513221', '19850302', '124'), TODAY);
    expect(male.ok && male.gender).toBe('male');
    expect(female.ok && female.gender).toBe('female');
  });

  it('accepts full-width input with spaces and a lower-case x', () => {
    // weighted sum 222, 222 mod 11 = 2 → X
    const idNumber = '51070419850302112X';
    const full = checkIdNumber('５１０７０４ １９８５０３０２ １１２Ｘ', TODAY);
    const lower = checkIdNumber('51070419850302112x', TODAY);
    expect(full).toMatchObject({ ok: true, idNumber, birthDate: '1985-03-02', gender: 'female' });
    expect(lower).toMatchObject({ ok: true, idNumber });
  });

  it('converts a valid 15-digit number to 18 characters', () => {
    expect(checkIdNumber('130503670401001', TODAY)).toEqual({
      ok: true,
      idNumber: '130503196704010016',
      birthDate: '1967-04-01',
      gender: 'male',
      regionCode: '130503',
      converted15: true,
    });
    expect(checkIdNumber('130503670401002', TODAY)).toMatchObject({ ok: true, gender: 'female' });
  });

  it('rejects an ID number whose check digit is wrong', () => {
    expect(checkIdNumber('110105194912310021', TODAY)).toEqual({ ok: false, problem: 'check_digit' });
    const valid = buildIdNumber('650102', '20000101', '555');
    const wrong = valid.slice(0, 17) + (valid.endsWith('0') ? '1' : '0');
    expect(checkIdNumber(wrong, TODAY)).toEqual({ ok: false, problem: 'check_digit' });
  });

  it('rejects empty and blank input as empty', () => {
    expect(checkIdNumber('', TODAY)).toEqual({ ok: false, problem: 'empty' });
    expect(checkIdNumber(' \u3000\t', TODAY)).toEqual({ ok: false, problem: 'empty' });
  });

  it('rejects a number of any length but 15 or 18', () => {
    for (const raw of ['5107041985030212', '51070419850302123', '5107041985030212345', '1']) {
      expect(checkIdNumber(raw, TODAY)).toEqual({ ok: false, problem: 'length' });
    }
  });

  it('rejects letters other than a final X, and X in a 15-digit number', () => {
    for (const raw of [
      '51070419850302123A',
      '5107041985030212X3',
      '51070419850302X',
      '510704.985030212',
      '无',
    ]) {
      expect(checkIdNumber(raw, TODAY)).toEqual({ ok: false, problem: 'characters' });
    }
  });

  it('recognises a number Excel turned into scientific notation', () => {
    for (const raw of ['5.10703E+17', '5.10703e17', '5.10704E+17 ', '５.１０７０４Ｅ＋１７', '1E+17']) {
      expect(checkIdNumber(raw, TODAY)).toEqual({ ok: false, problem: 'scientific_notation' });
    }
  });

  it('accepts 29 February in a leap year only', () => {
    expect(checkIdNumber(buildIdNumber('110101', '20000229', '001'), TODAY).ok).toBe(true);
    expect(checkIdNumber(buildIdNumber('110101', '19960229', '001'), TODAY).ok).toBe(true);
    expect(checkIdNumber(buildIdNumber('110101', '19990229', '001'), TODAY)).toEqual({
      ok: false,
      problem: 'birth_date',
    });
    // 1900 is not a leap year, so a 15-digit number born on 00-02-29 is impossible
    expect(checkIdNumber('110101000229001', TODAY)).toEqual({ ok: false, problem: 'birth_date' });
  });

  it('rejects birth dates that are not calendar dates', () => {
    for (const birthDate of ['19850230', '19851301', '19850000', '19850431', '19850100']) {
      expect(checkIdNumber(buildIdNumber('510704', birthDate, '123'), TODAY)).toEqual({
        ok: false,
        problem: 'birth_date',
      });
    }
  });

  it('rejects a birth date in the future but accepts one of today', () => {
    expect(checkIdNumber(buildIdNumber('510704', '20250615', '123'), TODAY).ok).toBe(true);
    expect(checkIdNumber(buildIdNumber('510704', '20250616', '123'), TODAY)).toEqual({
      ok: false,
      problem: 'birth_date',
    });
  });

  it('rejects a birth date before 1890 even with a correct check digit', () => {
    expect(checkIdNumber('440524188001010014', TODAY)).toEqual({ ok: false, problem: 'birth_date' });
    expect(checkIdNumber(buildIdNumber('440524', '18900101', '001'), TODAY).ok).toBe(true);
  });

  it('checks against the current date by default', () => {
    const nextYear = String(new Date().getFullYear() + 1);
    expect(checkIdNumber(buildIdNumber('510704', `${nextYear}0101`, '123'))).toEqual({
      ok: false,
      problem: 'birth_date',
    });
  });
});

describe('isValidIdNumber', () => {
  it('is true for valid 18- and 15-digit numbers and false otherwise', () => {
    expect(isValidIdNumber('11010519491231002x')).toBe(true);
    expect(isValidIdNumber('130503670401001')).toBe(true);
    expect(isValidIdNumber('110105194912310021')).toBe(false);
    expect(isValidIdNumber('')).toBe(false);
  });
});

describe('idNumberSchema', () => {
  it('parses to the normalised 18-character form', () => {
    expect(idNumberSchema.parse(' １１０１０５ 19491231002x ')).toBe('11010519491231002X');
    expect(idNumberSchema.parse('130503670401001')).toBe('130503196704010016');
  });

  it('tells the user when only the check digit is wrong', () => {
    const result = idNumberSchema.safeParse('110105194912310021');
    expect(result.error?.issues.map((issue) => issue.message)).toEqual(['id_number_check_digit']);
  });

  it('refuses other invalid numbers with invalid_id_number', () => {
    for (const raw of ['', '5.10703E+17', '11010519491231002', '110105199913310021']) {
      const result = idNumberSchema.safeParse(raw);
      expect(result.error?.issues.map((issue) => issue.message)).toEqual(['invalid_id_number']);
    }
  });

  it('refuses a value that is not a string', () => {
    expect(idNumberSchema.safeParse(110105194912310).success).toBe(false);
  });
});
