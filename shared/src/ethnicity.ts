import { z } from 'zod';

/** One entry of GB/T 3304 (ethnic groups of China), or one of our local extensions. */
export interface EthnicGroup {
  /** Two-digit code, e.g. '03'. */
  code: string;
  name: string;
  roman: string;
  abbrev: string;
  /** True for the local codes 97 and 98, which are not in GB/T 3304. */
  isExtension: boolean;
}

export const HAN_CODE = '01';

/** The 56 groups of GB/T 3304 in code order, then the local extensions 97 and 98. */
export const ethnicGroups: readonly EthnicGroup[] = Object.freeze(
  [
    { code: '01', name: '汉族', roman: 'Han', abbrev: 'HA', isExtension: false },
    { code: '02', name: '蒙古族', roman: 'Mongol', abbrev: 'MG', isExtension: false },
    { code: '03', name: '回族', roman: 'Hui', abbrev: 'HU', isExtension: false },
    { code: '04', name: '藏族', roman: 'Zang', abbrev: 'ZA', isExtension: false },
    { code: '05', name: '维吾尔族', roman: 'Uygur', abbrev: 'UG', isExtension: false },
    { code: '06', name: '苗族', roman: 'Miao', abbrev: 'MH', isExtension: false },
    { code: '07', name: '彝族', roman: 'Yi', abbrev: 'YI', isExtension: false },
    { code: '08', name: '壮族', roman: 'Zhuang', abbrev: 'ZH', isExtension: false },
    { code: '09', name: '布依族', roman: 'Buyei', abbrev: 'BY', isExtension: false },
    { code: '10', name: '朝鲜族', roman: 'Chosen', abbrev: 'CS', isExtension: false },
    { code: '11', name: '满族', roman: 'Man', abbrev: 'MA', isExtension: false },
    { code: '12', name: '侗族', roman: 'Dong', abbrev: 'DO', isExtension: false },
    { code: '13', name: '瑶族', roman: 'Yao', abbrev: 'YA', isExtension: false },
    { code: '14', name: '白族', roman: 'Bai', abbrev: 'BA', isExtension: false },
    { code: '15', name: '土家族', roman: 'Tujia', abbrev: 'TJ', isExtension: false },
    { code: '16', name: '哈尼族', roman: 'Hani', abbrev: 'HN', isExtension: false },
    { code: '17', name: '哈萨克族', roman: 'Kazak', abbrev: 'KZ', isExtension: false },
    { code: '18', name: '傣族', roman: 'Dai', abbrev: 'DA', isExtension: false },
    { code: '19', name: '黎族', roman: 'Li', abbrev: 'LI', isExtension: false },
    { code: '20', name: '傈僳族', roman: 'Lisu', abbrev: 'LS', isExtension: false },
    { code: '21', name: '佤族', roman: 'Va', abbrev: 'VA', isExtension: false },
    { code: '22', name: '畲族', roman: 'She', abbrev: 'SH', isExtension: false },
    { code: '23', name: '高山族', roman: 'Gaoshan', abbrev: 'GS', isExtension: false },
    { code: '24', name: '拉祜族', roman: 'Lahu', abbrev: 'LH', isExtension: false },
    { code: '25', name: '水族', roman: 'Sui', abbrev: 'SU', isExtension: false },
    { code: '26', name: '东乡族', roman: 'Dongxiang', abbrev: 'DX', isExtension: false },
    { code: '27', name: '纳西族', roman: 'Naxi', abbrev: 'NX', isExtension: false },
    { code: '28', name: '景颇族', roman: 'Jingpo', abbrev: 'JP', isExtension: false },
    { code: '29', name: '柯尔克孜族', roman: 'Kirgiz', abbrev: 'KG', isExtension: false },
    { code: '30', name: '土族', roman: 'Tu', abbrev: 'TU', isExtension: false },
    { code: '31', name: '达斡尔族', roman: 'Daur', abbrev: 'DU', isExtension: false },
    { code: '32', name: '仫佬族', roman: 'Mulao', abbrev: 'ML', isExtension: false },
    { code: '33', name: '羌族', roman: 'Qiang', abbrev: 'QI', isExtension: false },
    { code: '34', name: '布朗族', roman: 'Blang', abbrev: 'BL', isExtension: false },
    { code: '35', name: '撒拉族', roman: 'Salar', abbrev: 'SL', isExtension: false },
    { code: '36', name: '毛南族', roman: 'Maonan', abbrev: 'MN', isExtension: false },
    { code: '37', name: '仡佬族', roman: 'Gelao', abbrev: 'GL', isExtension: false },
    { code: '38', name: '锡伯族', roman: 'Xibe', abbrev: 'XB', isExtension: false },
    { code: '39', name: '阿昌族', roman: 'Achang', abbrev: 'AC', isExtension: false },
    { code: '40', name: '普米族', roman: 'Pumi', abbrev: 'PM', isExtension: false },
    { code: '41', name: '塔吉克族', roman: 'Tajik', abbrev: 'TA', isExtension: false },
    { code: '42', name: '怒族', roman: 'Nu', abbrev: 'NU', isExtension: false },
    { code: '43', name: '乌孜别克族', roman: 'Uzbek', abbrev: 'UZ', isExtension: false },
    { code: '44', name: '俄罗斯族', roman: 'Russ', abbrev: 'RS', isExtension: false },
    { code: '45', name: '鄂温克族', roman: 'Ewenki', abbrev: 'EW', isExtension: false },
    { code: '46', name: '德昂族', roman: 'Deang', abbrev: 'DE', isExtension: false },
    { code: '47', name: '保安族', roman: 'Bonan', abbrev: 'BN', isExtension: false },
    { code: '48', name: '裕固族', roman: 'Yugur', abbrev: 'YG', isExtension: false },
    { code: '49', name: '京族', roman: 'Gin', abbrev: 'GI', isExtension: false },
    { code: '50', name: '塔塔尔族', roman: 'Tatar', abbrev: 'TT', isExtension: false },
    { code: '51', name: '独龙族', roman: 'Derung', abbrev: 'DR', isExtension: false },
    { code: '52', name: '鄂伦春族', roman: 'Oroqen', abbrev: 'OR', isExtension: false },
    { code: '53', name: '赫哲族', roman: 'Hezhen', abbrev: 'HZ', isExtension: false },
    { code: '54', name: '门巴族', roman: 'Monba', abbrev: 'MB', isExtension: false },
    { code: '55', name: '珞巴族', roman: 'Lhoba', abbrev: 'LB', isExtension: false },
    { code: '56', name: '基诺族', roman: 'Jino', abbrev: 'JN', isExtension: false },
    { code: '97', name: '其他未识别民族', roman: 'Other', abbrev: 'QT', isExtension: true },
    { code: '98', name: '外国血统中国籍人士', roman: 'Foreign origin', abbrev: 'WX', isExtension: true },
  ].map((group) => Object.freeze(group)),
);

const groupsByCode = new Map(ethnicGroups.map((group) => [group.code, group]));

/** Variant spellings found in spreadsheets, besides full and short names, codes, roman and abbrev. */
const variantNames: Readonly<Record<string, string>> = {
  维族: '05',
  蒙族: '02',
  哈族: '17',
  回民: '03',
  其他: '97',
  其它: '97',
  其他民族: '97',
  未识别民族: '97',
  外国血统: '98',
  外国血统中国籍: '98',
  // English names seen in bilingual forms, where they differ from the GB/T 3304 roman spelling
  Mongolian: '02',
  Tibetan: '04',
  Uyghur: '05',
  Uighur: '05',
  Korean: '10',
  Manchu: '11',
  Kazakh: '17',
  Kyrgyz: '29',
  Russian: '44',
};

/** NFKC (full-width forms to ASCII), no whitespace at all, lower case: the form every lookup key takes. */
function toLookupKey(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s\u200B-\u200D\uFEFF]/g, '')
    .toLowerCase();
}

let codesByKey: Map<string, string> | undefined;

function buildCodesByKey(): Map<string, string> {
  const map = new Map<string, string>();
  const add = (text: string, code: string): void => {
    const key = toLookupKey(text);
    const existing = map.get(key);
    if (existing !== undefined && existing !== code) {
      throw new Error(`Ethnicity lookup key ${key} maps to both ${existing} and ${code}`);
    }
    map.set(key, code);
  };
  for (const group of ethnicGroups) {
    add(group.code, group.code);
    add(group.name, group.code);
    add(group.roman, group.code);
    add(group.abbrev, group.code);
    // The short name drops the final character ('Hui group' → 'Hui'); the extensions have no short form
    if (!group.isExtension) add(group.name.slice(0, -1), group.code);
  }
  for (const [text, code] of Object.entries(variantNames)) add(text, code);
  return map;
}

/** The group with this exact two-digit code. */
export function findEthnicGroup(code: string): EthnicGroup | undefined {
  return groupsByCode.get(code);
}

/**
 * The code for what a spreadsheet cell says: the full or short name, a usual variant (the Uygur short form
 * used in Xinjiang, say), the code ('03' or '3'), or the roman name or abbreviation in any case ('Hui', 'HU').
 * Ambiguous text, such as the first character shared by Hani and Kazak, gives `undefined`.
 */
export function parseEthnicity(text: string): string | undefined {
  const key = toLookupKey(text);
  if (key === '') return undefined;
  codesByKey ??= buildCodesByKey();
  return codesByKey.get(/^\d$/.test(key) ? `0${key}` : key);
}

/** True for the 55 minority groups (02–56); false for Han and for the local extensions. */
export function isMinority(code: string): boolean {
  const group = findEthnicGroup(code);
  return group !== undefined && !group.isExtension && group.code !== HAN_CODE;
}

export const ethnicityCodeSchema = z
  .string()
  .refine((code) => findEthnicGroup(code) !== undefined, { message: 'unknown_ethnicity' });
