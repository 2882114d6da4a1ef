import { normalizePhone } from './phone.ts';

// Sensitive numbers are shown masked by default (PIPL). A masked value keeps the length of what it hides and
// never shows more than seven characters.

const MASK = '*';

function keepEnds(characters: string[], head: number, tail: number): string {
  return characters
    .map((character, index) => (index < head || index >= characters.length - tail ? character : MASK))
    .join('');
}

/**
 * '110101199003071234' → '110***********1234': the first 3 and last 4 of a 15- or 18-character number.
 * Anything shorter keeps only its last 2 characters (last 1 below six, none for a single character).
 */
export function maskIdNumber(idNumber: string): string {
  const characters = Array.from(idNumber);
  const length = characters.length;
  if (length >= 15) return keepEnds(characters, 3, 4);
  if (length >= 6) return keepEnds(characters, 0, 2);
  return keepEnds(characters, 0, length >= 2 ? 1 : 0);
}

/**
 * '13812345678' → '138****5678' and '02887654321' → '028****4321': the first 3 and last 4 of the normalised
 * number. A number of 8 or 9 digits keeps its last 4, a shorter one its last 2 (none below four).
 */
export function maskPhone(phone: string): string {
  const characters = Array.from(normalizePhone(phone));
  const length = characters.length;
  if (length >= 10) return keepEnds(characters, 3, 4);
  if (length >= 8) return keepEnds(characters, 0, 4);
  return keepEnds(characters, 0, length >= 4 ? 2 : 0);
}
