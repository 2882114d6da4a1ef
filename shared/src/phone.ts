import { z } from 'zod';

const MOBILE = /^1[3-9]\d{9}$/;
// Area code (010, 02X or 0XXX) and a 7- or 8-digit local number; extensions are refused
const LANDLINE = /^0[1-9]\d{1,2}\d{7,8}$/;

/** NFKC (full-width digits to ASCII), without spaces, dashes, parentheses and a leading +86 or 0086. */
export function normalizePhone(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\s\u200B-\u200D\uFEFF\-\u2010-\u2015\u2212()]/g, '')
    .replace(/^(\+|00)86/, '');
}

/** A mainland mobile number, or a landline number with its area code. */
export function isValidPhone(raw: string): boolean {
  const phone = normalizePhone(raw);
  return MOBILE.test(phone) || LANDLINE.test(phone);
}

/** A phone number as typed; parses to the normalised form. */
export const phoneSchema = z.string().transform((raw, ctx) => {
  if (isValidPhone(raw)) return normalizePhone(raw);
  ctx.addIssue({ code: 'custom', message: 'invalid_phone' });
  return z.NEVER;
});
