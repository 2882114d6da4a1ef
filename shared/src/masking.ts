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

// ID numbers (18 characters or the old 15 digits) and mobile numbers written inside free text, with no
// other digit against them.
const ID_NUMBER_IN_TEXT = /(?<!\d)(?:\d{17}[\dXx]|\d{15})(?!\d)/g;
const MOBILE_IN_TEXT = /(?<!\d)1\d{10}(?!\d)/g;

/** Free text with every ID number and mobile number in it masked, as `maskIdNumber` and `maskPhone` mask them. */
export function maskNumbersInText(text: string): string {
  return text
    .replace(ID_NUMBER_IN_TEXT, (id) => maskIdNumber(id))
    .replace(MOBILE_IN_TEXT, (phone) => maskPhone(phone));
}

/**
 * Whether free text (a visit's notes, a dispute's summary) holds what looks like an ID number or a mobile
 * number: such text is shown as typed, so the form asks for the number in its own, masked field.
 */
export function hasPersonalNumbers(text: string): boolean {
  // `search` starts at the beginning whatever the global patterns' last index.
  return text.search(ID_NUMBER_IN_TEXT) >= 0 || text.search(MOBILE_IN_TEXT) >= 0;
}

// Exact addresses. What a community worker needs to find the area stays: the estate or courtyard and the
// building (羌兴苑一期1栋). What finds one household's door is masked: the entrance and the room
// (羌兴苑一期1栋*单元***室), and, in an address without a building, every house or room number. Each masked
// character keeps its place, so the address stays readable.

const NUMERALS = '零〇一二两三四五六七八九十百';
/** A character that numbers an entrance, a floor or a room: a digit, a Latin letter or a Chinese numeral. */
const NUMBERING = new RegExp(`[0-9０-９A-Za-zＡ-Ｚａ-ｚ${NUMERALS}]`, 'g');
/** The first building of an address: 1栋, 3幢, 5号楼, A座, 12#, 一栋. */
const BUILDING = new RegExp(`(?:[0-9０-９A-Za-zＡ-Ｚａ-ｚ]+|[${NUMERALS}]+)(?:号楼|栋|幢|座|#|＃)`);
/** A building numbered before a dash, as in 云溪苑12-2-301 or 12-301 (building-entrance-room). */
const DASHED_BUILDING = /(?<![0-9０-９A-Za-z])[0-9]+-(?=[0-9A-Za-z]+(?:-[0-9A-Za-z]+)?(?:室|户)?$)/;
/** Without a building: house and room numbers (12号, 301, A301) and numerals that number a door (二单元). */
const DOOR_NUMBER = new RegExp(
  `[0-9０-９A-Za-zＡ-Ｚａ-ｚ]*[0-9０-９][0-9０-９A-Za-zＡ-Ｚａ-ｚ]*|[${NUMERALS}]+(?=单元|室|户|号|门)`,
  'g',
);

const starred = (text: string) => '*'.repeat(Array.from(text).length);

/**
 * An address as lists show it: '羌兴苑一期1栋2单元301室' → '羌兴苑一期1栋*单元***室', '云溪苑12-2-301' →
 * '云溪苑12-*-***'. Everything up to the first building is kept and every digit, Latin letter and Chinese
 * numeral after it is masked; an address without a building has its digit runs masked (清真寺巷12号 →
 * 清真寺巷**号), an estate alone is left as it is. Each masked character becomes one '*'.
 */
export function maskAddress(address: string): string {
  const building = BUILDING.exec(address) ?? DASHED_BUILDING.exec(address);
  if (!building) return address.replace(DOOR_NUMBER, starred);
  const end = building.index + building[0].length;
  return address.slice(0, end) + address.slice(end).replace(NUMBERING, starred);
}

/** Place kinds whose names an address keeps: they locate an area, not a door. */
const AREA_KINDS: readonly string[] = ['estate', 'courtyard', 'building', 'venue', 'religious_venue'];

/** A place above (or the place of) a dwelling, as an address names it. */
export interface AddressPart {
  kind: string;
  name: string;
}

/**
 * A dwelling's place path (estate first, the dwelling last) as lists show it: the estate, courtyard and
 * building names as they are, the entrance and the dwelling masked by `maskAddress`
 * (羌兴苑一期 > 1栋 > 2单元 > 301 → 羌兴苑一期1栋*单元***).
 */
export function maskPlacePath(path: readonly AddressPart[]): string {
  return path.map((part) => (AREA_KINDS.includes(part.kind) ? part.name : maskAddress(part.name))).join('');
}

/**
 * Whether a search text holds nothing an address mask hides (羌兴苑, 1栋, 羌兴苑一期1栋, but not 2单元 or
 * 301): matching addresses by it tells no more than the masked addresses show.
 */
export function isShownAddressPart(text: string): boolean {
  return maskAddress(text) === text;
}
