import { z } from 'zod';
import { localDateText } from './dates.ts';

// Citizen ID numbers, GB 11643-1999: 6-digit region, 8-digit birth date, 3-digit sequence (odd = male) and an
// ISO 7064 MOD 11-2 check digit. First-generation numbers have 15 digits: 2-digit year and no check digit.

export type IdNumberProblem =
  'empty' | 'length' | 'characters' | 'birth_date' | 'check_digit' | 'scientific_notation';

export type IdNumberCheck =
  | {
      ok: true;
      /** The 18-character form. */
      idNumber: string;
      /** YYYY-MM-DD */
      birthDate: string;
      gender: 'male' | 'female';
      /** The first six digits: the GB/T 2260 code of the issuing region. */
      regionCode: string;
      /** True when a 15-digit number was given and converted. */
      converted15: boolean;
    }
  | { ok: false; problem: IdNumberProblem };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARACTERS = '10X98765432';
const EARLIEST_BIRTH_DATE = '1890-01-01';

/**
 * Full-width digits and X to ASCII (NFKC), every kind of whitespace, hyphen and zero-width character removed,
 * x upper-cased; a leading apostrophe (Excel's text marker) is dropped too.
 */
export function normalizeIdNumber(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\s\u200B-\u200D\uFEFF\-\u2010-\u2015\u2212]/g, '')
    .replace(/^'/, '')
    .toUpperCase();
}

/** The check character (0–9 or X) for the first 17 digits; throws if they are not 17 digits. */
export function computeCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('computeCheckDigit needs exactly 17 digits');
  let sum = 0;
  WEIGHTS.forEach((weight, index) => {
    sum += weight * Number(first17[index]);
  });
  return CHECK_CHARACTERS.charAt(sum % 11);
}

/** The 18-character form of a first-generation number: '19' before the year, check digit appended. */
export function convertIdNumber15To18(id15: string): string {
  if (!/^\d{15}$/.test(id15)) throw new RangeError('convertIdNumber15To18 needs exactly 15 digits');
  const first17 = `${id15.slice(0, 6)}19${id15.slice(6)}`;
  return first17 + computeCheckDigit(first17);
}

/** 'YYYY-MM-DD' for a real calendar date given as YYYYMMDD, else undefined. */
function parseCompactDate(yyyymmdd: string): string | undefined {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(year, month - 1, day));
  const isReal =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return isReal ? `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}` : undefined;
}

/**
 * Checks a citizen ID number as typed or pasted: normalises it, accepts 18 characters or 15 digits (converted
 * to 18), and requires a real birth date between 1890-01-01 and `today` and, for 18 characters, the right check
 * digit.
 */
export function checkIdNumber(
  raw: string,
  today: Date = new Date(),
  /** Accept a wrong check digit (an import holding the record for review); everything else still counts. */
  ignoreCheckDigit = false,
): IdNumberCheck {
  const text = normalizeIdNumber(raw);
  if (text === '') return { ok: false, problem: 'empty' };
  // Excel shows long numbers as 5.10703E+17 and the digits after the sixth are lost for good
  if (/^\d+(\.\d+)?E\+?\d+$/.test(text)) return { ok: false, problem: 'scientific_notation' };
  if (!/^[\dX]+$/.test(text)) return { ok: false, problem: 'characters' };
  if (text.length !== 18 && text.length !== 15) return { ok: false, problem: 'length' };
  if (text.length === 18 ? !/^\d{17}[\dX]$/.test(text) : !/^\d{15}$/.test(text)) {
    return { ok: false, problem: 'characters' };
  }

  const converted15 = text.length === 15;
  const idNumber = converted15 ? convertIdNumber15To18(text) : text;
  const birthDate = parseCompactDate(idNumber.slice(6, 14));
  if (birthDate === undefined || birthDate < EARLIEST_BIRTH_DATE || birthDate > localDateText(today)) {
    return { ok: false, problem: 'birth_date' };
  }
  if (!ignoreCheckDigit && computeCheckDigit(idNumber.slice(0, 17)) !== idNumber.charAt(17)) {
    return { ok: false, problem: 'check_digit' };
  }

  return {
    ok: true,
    idNumber,
    birthDate,
    gender: Number(idNumber.slice(14, 17)) % 2 === 1 ? 'male' : 'female',
    regionCode: idNumber.slice(0, 6),
    converted15,
  };
}

export function isValidIdNumber(raw: string): boolean {
  return checkIdNumber(raw).ok;
}

/** A citizen ID number as typed; parses to the normalised 18-character form. */
export const idNumberSchema = z.string().transform((raw, ctx) => {
  const check = checkIdNumber(raw);
  if (check.ok) return check.idNumber;
  ctx.addIssue({
    code: 'custom',
    message: check.problem === 'check_digit' ? 'id_number_check_digit' : 'invalid_id_number',
  });
  return z.NEVER;
});
