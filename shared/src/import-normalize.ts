/**
 * Normalising the cells of an imported register (台账): what community spreadsheets actually hold turned into
 * the values the registry stores. Pure functions, no Node APIs, so the web can preview an import with the same
 * rules the server applies. Nothing here decides whether a row is accepted: each function says what it found
 * (a value, or why there is none) and the caller turns that into a problem of the right severity.
 *
 * Dates from spreadsheet cells are `Date` objects at midnight UTC of the day shown (the convention of exceljs);
 * their UTC fields are read.
 */
import { checkIdNumber, normalizeIdNumber, type IdNumberProblem } from './id-number.ts';
import { ethnicGroups, parseEthnicity } from './ethnicity.ts';
import { normalizePhone, isValidPhone } from './phone.ts';
import { regionNames } from './gbt2260-regions.generated.ts';
import { findRegion } from './region.ts';
import type { FloatingReason, Gender, HouseholdRelation, ResidenceType, ResidentFlag } from './registry.ts';

/** One spreadsheet cell as the readers deliver it. */
export type CellValue = string | number | boolean | Date | null;

// Whitespace of every kind, including the ideographic space and zero-width characters
const SPACES = /[\s\u200B-\u200D\uFEFF\u3000]+/g;

/** True when the cell holds nothing, or only whitespace. */
export function isBlankCell(value: CellValue | undefined): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.replace(SPACES, '') === '';
  if (typeof value === 'number') return Number.isNaN(value);
  return false;
}

function formatDateParts(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The cell as text, trimmed: numbers without exponent where they are whole and below 1e21, booleans as Excel
 * shows them, dates as YYYY-MM-DD.
 */
export function cellText(value: CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return Number.isNaN(value) ? '' : String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (Number.isNaN(value.getTime())) return '';
  return formatDateParts(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate());
}

/** NFKC (full-width letters and digits to ASCII) without any whitespace: the form codes and numbers take. */
function compactText(value: CellValue | undefined): string {
  return cellText(value).normalize('NFKC').replace(SPACES, '');
}

// ---------------------------------------------------------------------------------------------------------
// Names

const CJK = '\\u2E80-\\u9FFF\\uF900-\\uFAFF\\u{20000}-\\u{3FFFF}';
const SPACE_BETWEEN_CJK = new RegExp(`(?<=[${CJK}])[\\s\\u3000]+(?=[${CJK}])`, 'gu');
// The separator of transliterated names (阿不都·买买提) is typed in many ways
const NAME_DOTS = new RegExp(`(?<=[${CJK}])\\s*[.．·•・‧∙⋅﹒]\\s*(?=[${CJK}])`, 'gu');

/**
 * A person's name as typed: trimmed, zero-width characters removed, spaces inside a Chinese name removed
 * ('张  三' aligns two-character names in many sheets) and the middle dot of transliterated names unified to
 * U+00B7. Characters are otherwise kept exactly (no NFKC: compatibility ideographs stay what the register says).
 */
export function normalizePersonName(value: CellValue | undefined): string {
  return cellText(value)
    .replace(/[\u200B-\u200D\uFEFF]/g, '')
    .replace(SPACE_BETWEEN_CJK, '')
    .replace(NAME_DOTS, '·')
    .replace(/\s+/g, ' ')
    .trim();
}

// ---------------------------------------------------------------------------------------------------------
// Ethnicity

/** Groups whose full name starts with `prefix` (for '维', say, which only 维吾尔族 does). */
function findGroupsByNamePrefix(prefix: string) {
  return ethnicGroups.filter((group) => !group.isExtension && group.name.startsWith(prefix));
}

export type EthnicityCellResult =
  { status: 'empty' } | { status: 'valid'; code: string } | { status: 'unknown'; text: string };

/**
 * The GB/T 3304 code for an ethnicity cell: whatever `parseEthnicity` knows (full, short and variant names,
 * codes, roman names; full-width and spaced forms), a note in brackets dropped ('维吾尔族（维）'), and a prefix
 * of exactly one group's name ('维').
 */
export function normalizeEthnicityCell(value: CellValue | undefined): EthnicityCellResult {
  const text = cellText(value);
  if (compactText(value) === '') return { status: 'empty' };
  const withoutNote = text
    .normalize('NFKC')
    .replace(/\([^)]*\)/g, '')
    .replace(SPACES, '');
  const code =
    parseEthnicity(text) ??
    parseEthnicity(withoutNote) ??
    (() => {
      if (!/^\p{Script=Han}+$/u.test(withoutNote)) return undefined;
      const groups = findGroupsByNamePrefix(withoutNote);
      return groups.length === 1 ? groups[0]!.code : undefined;
    })();
  return code === undefined ? { status: 'unknown', text } : { status: 'valid', code };
}

// ---------------------------------------------------------------------------------------------------------
// ID numbers

export interface IdNumberCellOptions {
  /** Keep a number whose only fault is its check digit, for a person to verify (待核实). */
  holdInvalidIdNumbers?: boolean;
  today?: Date;
}

export type IdNumberCellResult =
  | { status: 'empty' }
  | {
      status: 'valid';
      idNumber: string;
      birthDate: string;
      gender: Gender;
      regionCode: string;
      converted15: boolean;
    }
  /** Wrong check digit, kept because the caller asked to hold such numbers. */
  | { status: 'held'; idNumber: string }
  | { status: 'invalid'; problem: IdNumberProblem };

/**
 * An ID number cell. Text goes through `checkIdNumber` (full-width digits, spaces, lower-case x, 15 digits
 * converted). A number cell longer than 15 digits has lost its last digits to floating point (Excel keeps 15
 * significant digits and shows 5.10703E+17): that is `scientific_notation`, never guessed back.
 */
export function normalizeIdNumberCell(
  value: CellValue | undefined,
  options: IdNumberCellOptions = {},
): IdNumberCellResult {
  if (isBlankCell(value)) return { status: 'empty' };
  let text: string;
  if (typeof value === 'number') {
    const digits = Math.abs(value).toString();
    if (!Number.isInteger(value)) {
      return { status: 'invalid', problem: /e/i.test(digits) ? 'scientific_notation' : 'characters' };
    }
    if (/e/i.test(digits) || digits.length > 15) {
      return { status: 'invalid', problem: 'scientific_notation' };
    }
    text = digits;
  } else if (typeof value === 'string') {
    text = value;
  } else {
    return { status: 'invalid', problem: 'characters' };
  }
  const check = checkIdNumber(text, options.today);
  if (check.ok) {
    return {
      status: 'valid',
      idNumber: check.idNumber,
      birthDate: check.birthDate,
      gender: check.gender,
      regionCode: check.regionCode,
      converted15: check.converted15,
    };
  }
  if (check.problem === 'check_digit' && options.holdInvalidIdNumbers) {
    return { status: 'held', idNumber: normalizeIdNumber(text) };
  }
  return { status: 'invalid', problem: check.problem };
}

// ---------------------------------------------------------------------------------------------------------
// Dates

export type DateCellResult =
  | { status: 'empty' }
  | { status: 'valid'; date: string }
  /** Only a year, or a year and month (出生年月 columns): not enough for a date. */
  | { status: 'partial'; year: number; month?: number }
  | { status: 'invalid' };

const MIN_YEAR = 1800;
const MAX_YEAR = 2200;

function validDate(year: number, month: number, day: number): DateCellResult {
  const date = new Date(Date.UTC(year, month - 1, day));
  const isReal =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (!isReal || year < MIN_YEAR || year > MAX_YEAR) return { status: 'invalid' };
  return { status: 'valid', date: formatDateParts(year, month, day) };
}

function partialDate(year: number, month?: number): DateCellResult {
  if (year < MIN_YEAR || year > MAX_YEAR) return { status: 'invalid' };
  if (month === undefined) return { status: 'partial', year };
  return month >= 1 && month <= 12 ? { status: 'partial', year, month } : { status: 'invalid' };
}

const EXCEL_MAX_SERIAL = 2958465; // 9999-12-31

/**
 * The day of an Excel serial number in the 1900 date system. Excel counts 1900-02-29, which never was (a bug
 * kept from Lotus 1-2-3): serial 60 is that day and is refused, serials below it are one day later than a
 * plain count from 1899-12-30 would say.
 */
export function excelSerialToDate(serial: number): string | undefined {
  const day = Math.floor(serial);
  if (!Number.isFinite(serial) || day < 1 || day > EXCEL_MAX_SERIAL || day === 60) return undefined;
  const epoch = day < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const date = new Date(epoch + day * 86_400_000);
  return formatDateParts(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/**
 * A date cell: a `Date`, an Excel serial, or text such as 1985.03.02, 1985/3/2, 1985-3-2, 19850302 or
 * 1985年3月2日 (a time after it is ignored). A year or a year and month alone (1985, 1985.3, 1985年3月, and
 * numbers such as 1985.03 typed into 出生年月) is `partial`.
 */
export function normalizeDateCell(value: CellValue | undefined): DateCellResult {
  if (isBlankCell(value)) return { status: 'empty' };
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return { status: 'invalid' };
    return validDate(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate());
  }
  if (typeof value === 'boolean') return { status: 'invalid' };
  if (typeof value === 'number') return normalizeDateNumber(value);

  const text = cellText(value)
    .normalize('NFKC')
    .replace(/(?:\s+|T)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/, '')
    .replace(SPACES, '')
    .replace(/^'/, '');
  const full = /^(\d{4})[./\-年](\d{1,2})[./\-月](\d{1,2})日?$/.exec(text);
  if (full) return validDate(Number(full[1]), Number(full[2]), Number(full[3]));
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (compact) return validDate(Number(compact[1]), Number(compact[2]), Number(compact[3]));
  const yearMonth = /^(\d{4})[./\-年](\d{1,2})月?$/.exec(text);
  if (yearMonth) return partialDate(Number(yearMonth[1]), Number(yearMonth[2]));
  const yearOnly = /^(\d{4})年?$/.exec(text);
  if (yearOnly) return partialDate(Number(yearOnly[1]));
  return { status: 'invalid' };
}

function normalizeDateNumber(value: number): DateCellResult {
  if (!Number.isFinite(value) || value <= 0) return { status: 'invalid' };
  const whole = Math.floor(value);
  // 19850302 typed as a number
  if (Number.isInteger(value) && value >= 10_000_000 && value <= 99_999_999) {
    const text = String(value);
    return validDate(Number(text.slice(0, 4)), Number(text.slice(4, 6)), Number(text.slice(6, 8)));
  }
  // A year (1985) or a year and month typed as a decimal (1985.03, 1985.1 for October)
  if (whole >= MIN_YEAR && whole <= MAX_YEAR) {
    if (Number.isInteger(value)) return partialDate(whole);
    const decimals = String(value).split('.')[1] ?? '';
    if (decimals.length <= 2) return partialDate(whole, Number(decimals.padEnd(2, '0')));
    if (decimals.length <= 4) {
      const monthDay = decimals.padEnd(4, '0');
      return validDate(whole, Number(monthDay.slice(0, 2)), Number(monthDay.slice(2, 4)));
    }
    return { status: 'invalid' };
  }
  const date = excelSerialToDate(value);
  if (date === undefined) return { status: 'invalid' };
  return validDate(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}

// ---------------------------------------------------------------------------------------------------------
// Phones

export type PhoneCellResult =
  | { status: 'empty' }
  /** `others` holds further valid numbers found in the same cell, which a record has no room for. */
  | { status: 'valid'; phone: string; others: string[] }
  | { status: 'invalid'; text: string };

/**
 * A phone cell: spaces, dashes, brackets and +86 removed (`normalizePhone`); several numbers in one cell
 * ('13812345678/0837-6221234') give the first valid one and the rest in `others`; notes such as '（本人）'
 * are ignored.
 */
export function normalizePhoneCell(value: CellValue | undefined): PhoneCellResult {
  if (isBlankCell(value)) return { status: 'empty' };
  const text = cellText(value);
  // The usual case, a plain mobile number, without the work below
  if (/^1[3-9]\d{9}$/.test(text)) return { status: 'valid', phone: text, others: [] };
  const parts = text
    .normalize('NFKC')
    .split(/[,;/、|或]+|\s{2,}/)
    .map((part) => part.replace(/[^\d+\-\s()]/gu, ''))
    .filter((part) => part.trim() !== '');
  const valid = parts.filter((part) => isValidPhone(part)).map((part) => normalizePhone(part));
  if (valid.length === 0) {
    const whole = text.normalize('NFKC').replace(/[^\d+\-\s()]/gu, '');
    if (isValidPhone(whole)) return { status: 'valid', phone: normalizePhone(whole), others: [] };
    return { status: 'invalid', text };
  }
  return { status: 'valid', phone: valid[0]!, others: [...new Set(valid.slice(1))] };
}

// ---------------------------------------------------------------------------------------------------------
// Small closed sets

/** 男/女/男性/女性 (and M/F, male/female, the GB/T 2261.1 codes 1/2). */
export function parseGender(value: CellValue | undefined): Gender | undefined {
  const text = compactText(value).toLowerCase();
  if (['男', '男性', '男士', 'm', 'male', '1'].includes(text)) return 'male';
  if (['女', '女性', '女士', 'f', 'female', '2'].includes(text)) return 'female';
  return undefined;
}

const YES = ['是', '有', '√', '✓', '✔', '☑', 'y', 'yes', 'true', '1', '是的', '已'];
const NO = ['否', '无', '没有', '不是', '×', '✗', '✘', 'x', 'n', 'no', 'false', '0', '/', '-', '—', '非'];

/** 是/否 and the usual ways of writing it (有/无, √/×, Y/N, TRUE/FALSE, 1/0); undefined when neither. */
export function parseYesNo(value: CellValue | undefined): boolean | undefined {
  if (typeof value === 'boolean') return value;
  const text = compactText(value).toLowerCase();
  if (YES.includes(text)) return true;
  if (NO.includes(text)) return false;
  return undefined;
}

/** Words that mark each resident flag, in a combined 人员标识 cell or as the text of a flag column. */
export const RESIDENT_FLAG_WORDS: Readonly<Record<ResidentFlag, readonly string[]>> = {
  hardship: ['困难', '特困', '贫困'],
  minimumLivingAllowance: ['低保'],
  disabled: ['残疾', '残障'],
  elderlyAlone: ['独居', '空巢', '孤寡', '孤老', '五保'],
  partyMember: ['党员'],
  volunteer: ['志愿'],
};

/** The flags one word names ('低保户' → minimumLivingAllowance; '低保困难户' → both). */
export function findFlagsInText(text: string): ResidentFlag[] {
  const flags: ResidentFlag[] = [];
  for (const [flag, words] of Object.entries(RESIDENT_FLAG_WORDS) as [ResidentFlag, readonly string[]][]) {
    if (words.some((word) => text.includes(word))) flags.push(flag);
  }
  return flags;
}

/**
 * A combined flags cell (人员标识, 特殊人群: '低保、残疾；党员'): the flags named, and the words that name none.
 * 无 and 否 name nothing and are not unknown.
 */
export function parseFlagList(value: CellValue | undefined): {
  flags: ResidentFlag[];
  unknown: string[];
} {
  const flags = new Set<ResidentFlag>();
  const unknown: string[] = [];
  for (const word of cellText(value)
    .normalize('NFKC')
    .split(/[,;、/|\s]+/)) {
    if (word === '' || parseYesNo(word) === false) continue;
    const found = findFlagsInText(word);
    if (found.length === 0) unknown.push(word);
    for (const flag of found) flags.add(flag);
  }
  return { flags: [...flags], unknown };
}

function lookupWord<T extends string>(
  table: Readonly<Record<T, readonly string[]>>,
  value: CellValue | undefined,
): T | undefined {
  const text = compactText(value).toLowerCase();
  if (text === '') return undefined;
  for (const [key, words] of Object.entries(table) as [T, readonly string[]][]) {
    if (words.includes(text)) return key;
  }
  return undefined;
}

const RESIDENCE_TYPE_WORDS: Readonly<Record<ResidenceType, readonly string[]>> = {
  permanent: ['常住', '常住人口', '常住户', '常住居民', '人户一致', '本地', 'permanent'],
  registered: ['户籍', '户籍人口', '户籍居民', '户在人不在', '空挂户', '空挂', 'registered'],
  floating: [
    '流动',
    '流动人口',
    '流入',
    '流入人口',
    '暂住',
    '暂住人口',
    '外来',
    '外来人口',
    '寄住',
    'floating',
  ],
};

/** 常住 / 户籍 / 流动 and their usual longer forms (户籍人口, 流动人口, 暂住…). */
export function parseResidenceType(value: CellValue | undefined): ResidenceType | undefined {
  return lookupWord(RESIDENCE_TYPE_WORDS, value);
}

const RELATION_WORDS: Readonly<Record<HouseholdRelation, readonly string[]>> = {
  head: ['户主', '本人', '户主本人', '本户', '家长'],
  spouse: ['配偶', '妻', '妻子', '夫', '丈夫', '夫妻', '爱人', '之妻', '之夫'],
  child: [
    '子',
    '女',
    '子女',
    '儿子',
    '女儿',
    '长子',
    '次子',
    '三子',
    '长女',
    '次女',
    '三女',
    '独子',
    '独女',
    '养子',
    '养女',
    '继子',
    '继女',
    '之子',
    '之女',
  ],
  child_in_law: ['儿媳', '媳', '女婿', '儿媳妇', '长媳', '次媳'],
  grandchild: ['孙', '孙子', '孙女', '外孙', '外孙子', '外孙女', '孙子女', '曾孙', '曾孙女'],
  parent: ['父', '母', '父亲', '母亲', '父母', '养父', '养母', '继父', '继母'],
  parent_in_law: ['岳父', '岳母', '公公', '婆婆', '公婆', '岳父母'],
  grandparent: ['祖父', '祖母', '外祖父', '外祖母', '爷爷', '奶奶', '外公', '外婆'],
  sibling: ['兄', '弟', '姐', '妹', '兄弟', '姐妹', '哥哥', '弟弟', '姐姐', '妹妹', '兄弟姐妹'],
  other: ['其他', '其它', '亲属', '其他亲属', '保姆', '租户', '非亲属'],
};

/** 与户主关系 in the words registers use (户主/本人, 妻, 长子, 儿媳, 孙女…). */
export function parseRelationToHead(value: CellValue | undefined): HouseholdRelation | undefined {
  return lookupWord(RELATION_WORDS, value);
}

const FLOATING_REASON_WORDS: Readonly<Record<FloatingReason, readonly string[]>> = {
  work: ['务工', '打工', '工作', '就业', '务工经商', '上班', '劳务'],
  trade: ['经商', '做生意', '生意', '摆摊', '商贸', '个体', '个体经营', '经营'],
  study: ['上学', '求学', '学习', '就学', '读书', '培训', '就读'],
  family: ['投亲', '投亲靠友', '随迁', '探亲', '家属', '随行', '照顾', '婚嫁', '随子女', '养老'],
  other: ['其他', '其它'],
};

/** 流入原因: 务工 / 经商 / 就学 / 投亲 / 其他 and their variants. */
export function parseFloatingReason(value: CellValue | undefined): FloatingReason | undefined {
  return lookupWord(FLOATING_REASON_WORDS, value);
}

export type DwellingStatus = 'self' | 'rented' | 'vacant';

const DWELLING_STATUS_WORDS: Readonly<Record<DwellingStatus, readonly string[]>> = {
  self: ['自住', '自用', '自居', '自有', '自住房', '居住'],
  rented: ['出租', '租赁', '已出租', '出租房', '出租屋', '在租', '租住', '租用'],
  vacant: ['空置', '空房', '闲置', '空', '无人居住', '空置房', '未入住'],
};

/** 房屋状态: 自住 / 出租 / 空置. */
export function parseDwellingStatus(value: CellValue | undefined): DwellingStatus | undefined {
  return lookupWord(DWELLING_STATUS_WORDS, value);
}

/** 预计居住时间 in months: '6个月', '1年', '半年', '18'. */
export function parseStayMonths(value: CellValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  const text = compactText(value);
  if (text === '半年') return 6;
  const months = /^(\d+)(?:个月|月)?$/.exec(text);
  if (months) return Number(months[1]);
  const years = /^(\d+|[一二两三四五六七八九十]+)年(?:以上)?$/.exec(text);
  if (years) {
    const count = parseChineseNumber(years[1]!);
    return count === undefined ? undefined : count * 12;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Numbers in Chinese

const CHINESE_DIGITS: Readonly<Record<string, number>> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** '12' → 12, '十二' → 12, '二十三' → 23, '一百零五' → 105, '一〇一' → 101. */
export function parseChineseNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  if (!/^[零〇一二两三四五六七八九十百]+$/.test(text)) return undefined;
  if (!/[十百]/.test(text)) {
    return Number([...text].map((character) => CHINESE_DIGITS[character]).join(''));
  }
  let total = 0;
  let current = 0;
  for (const character of text) {
    if (character === '百') {
      total += (current || 1) * 100;
      current = 0;
    } else if (character === '十') {
      total += (current || 1) * 10;
      current = 0;
    } else {
      current = CHINESE_DIGITS[character]!;
    }
  }
  return total + current;
}

// ---------------------------------------------------------------------------------------------------------
// Grids

const NUMBER_TEXT = '[0-9]+|[零〇一二两三四五六七八九十百]+';
const GRID_NAME = new RegExp(`(?:第\\s*)?(${NUMBER_TEXT})\\s*号?\\s*网格`);
const GRID_NUMBER_AFTER = new RegExp(`网格\\s*(?:第\\s*)?(${NUMBER_TEXT})\\s*号?$`);

/**
 * A grid cell: '3网格', '第3网格', '三网格', '第三网格', '甲社区第十二网格', '网格3' or a bare 3 give the grid's
 * number; the name is the text as written ('3' for a number cell). Undefined for an empty cell.
 */
export function parseGridName(value: CellValue | undefined): { number?: number; name: string } | undefined {
  const name = cellText(value);
  if (name === '') return undefined;
  const text = name.normalize('NFKC');
  const match = GRID_NAME.exec(text) ?? GRID_NUMBER_AFTER.exec(text) ?? /^(\d+)$/.exec(text);
  const number = match ? parseChineseNumber(match[1]!) : undefined;
  return number === undefined || number === 0 ? { name } : { number, name };
}

// ---------------------------------------------------------------------------------------------------------
// Addresses

export interface AddressParts {
  estate?: string;
  building?: string;
  entrance?: string;
  room?: string;
}

const PART_NUMBER = '[0-9A-Za-z]+|[零〇一二两三四五六七八九十]+';
const ADDRESS_TAIL = new RegExp(
  '^(?<estate>.*?)' +
    `(?:(?<building>${PART_NUMBER})(?:号楼|栋|幢|座|号|楼|#))?` +
    `(?:(?<entrance>${PART_NUMBER})(?:单元|号门|门))?` +
    '(?:(?<room>[0-9A-Za-z][0-9A-Za-z\\-]*)(?:室|号|户)?)?$',
);

/** Digits for a Chinese numeral ('一' → '1'); anything else as it is. */
function numberPart(text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined;
  const number = /^[零〇一二两三四五六七八九十百]+$/.test(text) ? parseChineseNumber(text) : undefined;
  return number === undefined ? text.toUpperCase() : String(number);
}

/**
 * One part of an address given in its own column: '1栋' / '一栋' / 1 → '1' for a building, '2单元' → '2' for an
 * entrance, '301室' → '301' for a room; an estate is trimmed.
 */
export function normalizePlacePart(
  kind: keyof AddressParts,
  value: CellValue | undefined,
): string | undefined {
  const text = compactText(value);
  if (text === '') return undefined;
  if (kind === 'estate') return cellText(value);
  const suffix = {
    building: /(?:号楼|栋|幢|座|号|楼|#)$/,
    entrance: /(?:单元|号门|门)$/,
    room: /(?:室|号|户)$/,
  }[kind];
  return numberPart(text.replace(suffix, ''));
}

const TOWN_PREFIX = /^.{2,12}?(?:镇|乡)/;
const STREET_OR_COMMUNITY_PREFIX = /^.{2,12}?(?:街道办事处|街道|社区居委会|社区|居委会|村委会)/;
const ROAD_NUMBER_PREFIX = /^.{1,20}?(?:路|街|巷|大道|道)\d+号(?:院|附\d+号)?/;

/**
 * Splits a one-string address into estate, building, entrance and room: 羌兴苑一期1栋2单元301,
 * 和顺苑3幢1单元502室, 云溪苑12-2-301 (building-entrance-room), 5号楼3单元201. A leading province, city,
 * county, town, community or road number is dropped from the estate when something is left after it.
 */
export function splitAddress(value: CellValue | undefined): AddressParts {
  const text = compactText(value);
  if (text === '') return {};
  const match = ADDRESS_TAIL.exec(text);
  const groups = match?.groups ?? { estate: text };
  let building = numberPart(groups.building);
  let entrance = numberPart(groups.entrance);
  let room = groups.room;
  if (room !== undefined && room.includes('-')) {
    const pieces = room.split('-').filter((piece) => piece !== '');
    if (building === undefined && entrance === undefined && pieces.length === 3) {
      [building, entrance, room] = pieces;
    } else if (building === undefined && entrance === undefined && pieces.length === 2) {
      [building, room] = pieces;
    } else if (entrance === undefined && pieces.length === 2) {
      [entrance, room] = pieces;
    }
  }
  const parts: AddressParts = {};
  const estate = stripAddressPrefix(groups.estate ?? '');
  if (estate !== '') parts.estate = estate;
  if (building !== undefined) parts.building = building;
  if (entrance !== undefined) parts.entrance = entrance;
  if (room !== undefined && room !== '') parts.room = room.toUpperCase();
  return parts;
}

function stripAddressPrefix(estate: string): string {
  let rest = estate;
  const strip = (length: number) => {
    if (length > 0 && length < rest.length) rest = rest.slice(length);
  };
  const region = matchRegionPrefix(rest, true);
  if (region) strip(region.consumed);
  // A town (镇, 乡) is only recognised after a county: alone, 新乡 or 古镇 may well be part of an estate's name
  if (region) strip(TOWN_PREFIX.exec(rest)?.[0].length ?? 0);
  strip(STREET_OR_COMMUNITY_PREFIX.exec(rest)?.[0].length ?? 0);
  strip(STREET_OR_COMMUNITY_PREFIX.exec(rest)?.[0].length ?? 0);
  strip(ROAD_NUMBER_PREFIX.exec(rest)?.[0].length ?? 0);
  return rest;
}

// ---------------------------------------------------------------------------------------------------------
// Regions of origin (户籍地, 籍贯)

interface RegionEntry {
  code: string;
  /** The full name and the short forms it is written as: 阿坝藏族羌族自治州, 阿坝州, 阿坝. */
  names: string[];
}

/** The entries of each level by the first character of their names (every form starts with it). */
interface RegionIndex {
  provinces: Map<string, RegionEntry[]>;
  cities: Map<string, RegionEntry[]>;
  counties: Map<string, RegionEntry[]>;
}

let regionIndex: RegionIndex | undefined;

const ETHNIC_NAMES = ethnicGroups
  .filter((group) => !group.isExtension)
  .flatMap((group) => [group.name, group.name.slice(0, -1)])
  .filter((name) => name.length >= 2)
  .sort((a, b) => b.length - a.length)
  .join('|');
const AUTONOMOUS_SUFFIX = new RegExp(`(?:${ETHNIC_NAMES})*自治(?:区|州|县|旗)$`);
const ORDINARY_SUFFIX = /(?:特别行政区|省|市|地区|盟|县|区|旗|林区)$/;

function regionNameForms(name: string, level: 'province' | 'city' | 'county'): string[] {
  const forms = new Set([name]);
  const autonomous = name.replace(AUTONOMOUS_SUFFIX, '');
  if (autonomous !== name) {
    if (autonomous.length >= 2) forms.add(autonomous);
    // 阿坝州, 北川县: the short name with the kind of unit
    const kind = name.slice(-1);
    if (level !== 'province') forms.add(autonomous + kind);
  } else {
    const short = name.replace(ORDINARY_SUFFIX, '');
    if (short !== name && short.length >= 2) forms.add(short);
  }
  return [...forms].sort((a, b) => b.length - a.length);
}

function buildRegionIndex(): RegionIndex {
  const index: RegionIndex = { provinces: new Map(), cities: new Map(), counties: new Map() };
  for (const [code, name] of Object.entries(regionNames)) {
    const region = findRegion(code);
    if (!region || name === '') continue;
    const level = { province: index.provinces, city: index.cities, county: index.counties }[region.level];
    const first = name.charAt(0);
    const entries = level.get(first) ?? [];
    entries.push({ code, names: regionNameForms(name, region.level) });
    level.set(first, entries);
  }
  return index;
}

/** Forms written with the kind of unit at their end (四川省, 阿坝州, 汶川县), not bare short names. */
const WITH_UNIT_SUFFIX = /[省市州县区旗盟]$/;

/** The entries whose name `text` starts with, each with the longest form that matched. */
function matchEntries(
  text: string,
  entries: readonly RegionEntry[],
  withSuffixOnly: boolean,
): { code: string; length: number }[] {
  const matches: { code: string; length: number }[] = [];
  for (const entry of entries) {
    const form = entry.names.find((name) => {
      if (!text.startsWith(name)) return false;
      if (WITH_UNIT_SUFFIX.test(name)) return true;
      // A bare short name followed by a kind of unit names another unit: 朝阳 of 朝阳区 is not 朝阳市
      return !withSuffixOnly && !WITH_UNIT_SUFFIX.test(text.charAt(name.length));
    });
    if (form !== undefined) matches.push({ code: entry.code, length: form.length });
  }
  return matches;
}

/** The single best match, or undefined when none or several equally long ones match. */
function bestMatch(
  matches: { code: string; length: number }[],
): { code: string; length: number } | undefined {
  if (matches.length === 0) return undefined;
  const longest = Math.max(...matches.map((match) => match.length));
  const best = matches.filter((match) => match.length === longest);
  return best.length === 1 ? best[0] : undefined;
}

/**
 * The deepest GB/T 2260 region a text starts with (province, city, county, in full or short form: 四川省阿坝州
 * 汶川县, 四川汶川, 汶川县威州镇…), and how many characters it took. A county named alike in two provinces
 * (朝阳区) without its province is ambiguous: undefined. With `withSuffixOnly`, only forms that end in the
 * kind of unit count (汶川县 but not 汶川), for text where a bare place name may be something else.
 */
export function matchRegionPrefix(
  text: string,
  withSuffixOnly = false,
): { code: string; consumed: number } | undefined {
  regionIndex ??= buildRegionIndex();
  const index = regionIndex;
  const candidates = (level: Map<string, RegionEntry[]>, rest: string, codePrefix: string) =>
    (level.get(rest.charAt(0)) ?? []).filter((entry) => entry.code.startsWith(codePrefix));

  let consumed = 0;
  const province = bestMatch(matchEntries(text, candidates(index.provinces, text, ''), withSuffixOnly));
  if (province) consumed = province.length;

  const provincePrefix = province ? province.code.slice(0, 2) : '';
  const cityText = text.slice(consumed);
  const city = bestMatch(
    matchEntries(cityText, candidates(index.cities, cityText, provincePrefix), withSuffixOnly),
  );
  if (city) consumed += city.length;

  const countyText = text.slice(consumed);
  const countyPrefix = city ? city.code.slice(0, 4) : provincePrefix;
  const county = bestMatch(
    matchEntries(countyText, candidates(index.counties, countyText, countyPrefix), withSuffixOnly),
  );
  if (county) consumed += county.length;

  const code = county?.code ?? city?.code ?? province?.code;
  return code === undefined ? undefined : { code, consumed };
}

/**
 * The GB/T 2260 code of an origin cell (户籍地, 籍贯): a six-digit code, or names as `matchRegionPrefix`
 * reads them; whatever follows the county (town, village, street) is ignored.
 */
export function parseRegionCell(value: CellValue | undefined): string | undefined {
  const text = compactText(value).replace(/[-—/·,、]/g, '');
  if (text === '') return undefined;
  if (/^\d{6}$/.test(text)) return findRegion(text) ? text : undefined;
  return matchRegionPrefix(text)?.code;
}
