/**
 * Where a sheet's header is and what each column holds. Community registers start with title rows (often one
 * merged cell: "××社区少数民族人员台账"), a line such as "填报单位：… 填报日期：…", then a header of one row
 * or two (a group over its details: 户籍地 over 省/市/县, 现住址 over 小区/楼栋/单元/室), columns in any
 * order. `detectLayout` scores each of the first rows against `HEADER_SYNONYMS`, combines two header rows
 * when that explains more columns, maps every header to a field (unknown ones are kept, unmapped, to be
 * reported) and tells the kind of register from the sheet name, the titles and the header set.
 *
 * A layout is plain data: the UI may show it, let the user correct the fields, and keep the result as an
 * `ImportTemplate` for the next file of the same shape (`toTemplate`, `applyTemplate`).
 *
 * Merged cells are not reported by a streaming reader (they follow the rows in the file), so a group header
 * is taken to span the empty cells to its right for as long as the row below has details under them.
 */
import type { RawRow } from './sheet-reader.ts';
import { cellText, type CellValue } from '@shiliuzi/shared/import-normalize';

/** Resident registers (all, minority, floating) and the dwelling register (房屋台账, rented and vacant). */
export {
  importFields,
  registerKinds,
  type ColumnLayout,
  type ImportField,
  type RegisterKind,
  type SheetLayout,
} from '@shiliuzi/shared/imports';
import type { ColumnLayout, ImportField, RegisterKind, SheetLayout } from '@shiliuzi/shared/imports';

/** What a column holds. `ignored`: a known column with nothing to import (序号, 年龄). */

/**
 * Header texts for each field, compared after `normalizeHeader` (no spaces, no brackets and what they
 * hold, no asterisks, full-width forms folded). A header that is none of these but contains one (居民姓名,
 * 少数民族人员姓名) is matched too, unless it names another person (户主, 房东, 联系人…).
 */
export const HEADER_SYNONYMS: Readonly<Record<ImportField, readonly string[]>> = {
  name: [
    '姓名',
    '名字',
    '居民姓名',
    '人员姓名',
    '成员姓名',
    '家庭成员姓名',
    '住户姓名',
    '居住人姓名',
    '租户姓名',
    '承租人姓名',
    '承租人',
    '租户',
    '实际居住人',
  ],
  idNumber: [
    '公民身份号码',
    '身份证号',
    '身份证号码',
    '证件号码',
    '身份证',
    '居民身份证号码',
    '公民身份证号码',
    '身份证件号码',
    '证件号',
    '身份号码',
    '身份证编号',
    '承租人身份证号',
    '承租人身份证号码',
  ],
  ethnicity: ['民族', '民族成份', '民族成分', '族别'],
  gender: ['性别'],
  birthDate: ['出生日期', '出生年月', '出生年月日', '生日', '出生时间'],
  phone: [
    '联系电话',
    '手机号',
    '手机号码',
    '电话',
    '联系方式',
    '手机',
    '电话号码',
    '本人电话',
    '移动电话',
    '联系号码',
    '承租人电话',
  ],
  address: [
    '现住址',
    '居住地址',
    '住址',
    '家庭住址',
    '现居住地址',
    '现居住地',
    '现住地址',
    '居住地',
    '详细地址',
    '地址',
    '家庭地址',
    '房屋地址',
    '房屋坐落',
    '坐落',
    '暂住地址',
    '居住详址',
  ],
  estate: ['小区', '院落', '小区名称', '院落名称', '小区院落', '所在小区', '小区/院落'],
  building: ['楼栋', '栋', '幢', '楼号', '栋号', '幢号', '楼栋号'],
  entrance: ['单元', '单元号'],
  room: ['房号', '室', '门牌号', '房间号', '房屋号', '户号', '门牌'],
  grid: ['网格', '所属网格', '网格名称', '网格号', '网格编号'],
  householdHead: ['户主姓名', '户主'],
  householdHeadIdNumber: ['户主身份证号', '户主身份证号码', '户主公民身份号码'],
  relationToHead: ['与户主关系', '关系', '与户主的关系', '家庭关系'],
  residenceType: ['人员类别', '人员类型', '居住类型', '人口类别', '人口类型', '户籍类型', '人员性质'],
  originRegion: ['户籍地', '籍贯', '户籍所在地', '户籍地址', '户口所在地', '户籍地详址', '原籍'],
  languages: ['语言', '掌握语言', '使用语言', '语种', '会说语言'],
  movedInOn: ['迁入日期', '迁入时间', '入住时间', '入住日期'],
  note: ['备注', '说明', '情况说明', '其他情况'],
  flags: ['人员标识', '特殊人群', '人员标签', '特殊人群类别', '重点人群', '标签', '特殊身份', '人群类别'],
  'flag.hardship': ['困难', '困难户', '困难群众', '是否困难', '是否困难户', '困难家庭'],
  'flag.minimumLivingAllowance': ['低保', '低保户', '是否低保', '是否低保户', '享受低保'],
  'flag.disabled': ['残疾', '残疾人', '是否残疾', '是否残疾人'],
  'flag.elderlyAlone': [
    '独居老人',
    '空巢老人',
    '孤寡老人',
    '是否独居',
    '是否空巢',
    '是否独居老人',
    '独居',
    '空巢',
  ],
  'flag.partyMember': ['党员', '是否党员', '政治面貌'],
  'flag.volunteer': ['志愿者', '是否志愿者'],
  arrivalDate: [
    '来本地日期',
    '流入时间',
    '来本地时间',
    '流入日期',
    '来本市日期',
    '来本市时间',
    '到达本地日期',
    '来本社区时间',
  ],
  floatingReason: ['流入原因', '来本地原因', '流动原因', '来本地事由', '流入事由'],
  floatingOrigin: ['来源地', '流出地', '来自何地', '原居住地', '流出地址'],
  expectedStay: ['预计居住时间', '拟居住期限', '预计居住期限', '居住期限'],
  stall: ['经营摊位', '摊位', '摊位号', '经营地点', '经营场所'],
  workplace: ['工作单位', '就业单位', '务工单位', '服务处所', '工作地点', '工作单位/经营摊位'],
  landlordName: [
    '房东姓名',
    '房东',
    '房主',
    '房主姓名',
    '出租人',
    '出租人姓名',
    '业主',
    '业主姓名',
    '产权人',
  ],
  landlordPhone: ['房东电话', '房东联系电话', '房主电话', '出租人电话', '业主电话', '房东联系方式'],
  dwellingStatus: ['房屋状态', '房屋使用情况', '使用状态', '使用情况', '房屋用途', '居住状况'],
  rented: ['出租', '是否出租', '出租情况'],
  ignored: ['序号', '编号', '序', 'no', '年龄', '周岁', '序列号', '顺序号'],
};

/** Words that, in a header holding a synonym, show it is about someone else (户主姓名 is no 姓名). */
const OTHER_PERSON = [
  '户主',
  '房东',
  '房主',
  '业主',
  '出租人',
  '联系人',
  '监护人',
  '配偶',
  '父亲',
  '母亲',
  '紧急',
];

/** Details under a group that only say which part of it a column is (户籍地 → 省 / 市 / 县). */
const PART_WORDS = new Set(
  [
    '省',
    '市',
    '州',
    '县',
    '区',
    '县区',
    '区县',
    '县市区',
    '乡',
    '镇',
    '乡镇',
    '街道',
    '乡镇街道',
    '村',
    '社区',
    '组',
    '详细地址',
    '具体地址',
    '门牌',
    '省市',
    '省份',
    '地市',
    '年',
    '月',
    '日',
  ].map((word) => normalizeHeader(word)),
);

/**
 * A field that a group header changes the meaning of its details to: 房东 over 姓名 / 电话 is the landlord's
 * name and phone, 户主 over 姓名 the head's name, 户籍地 over 详细地址 still the origin.
 */
const GROUP_CONTEXT: Partial<Record<ImportField, Partial<Record<ImportField, ImportField | null>>>> = {
  landlordName: { name: 'landlordName', phone: 'landlordPhone', idNumber: null },
  householdHead: { name: 'householdHead', idNumber: 'householdHeadIdNumber' },
  originRegion: { address: 'originRegion' },
  floatingOrigin: { address: 'floatingOrigin', originRegion: 'floatingOrigin' },
};

/**
 * The form header texts are compared in: NFKC, lower case, no whitespace, no bracketed notes ((必填),
 * （18位）, 【是/否】), no asterisks or marks, no trailing colon.
 */
export function normalizeHeader(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s\u3000\u200B-\u200D\uFEFF]+/g, '')
    .replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】|〔[^〕]*〕/g, '')
    .replace(/[*※★☆#]/g, '')
    .replace(/[:：]+$/, '')
    .toLowerCase();
}

/** 0 → 'A', 25 → 'Z', 26 → 'AA'. */
export function columnLetter(index: number): string {
  let letters = '';
  let rest = index + 1;
  while (rest > 0) {
    const remainder = (rest - 1) % 26;
    letters = String.fromCharCode(65 + remainder) + letters;
    rest = Math.floor((rest - 1) / 26);
  }
  return letters;
}

/** One column of a sheet as the layout sees it. */
/** A corrected mapping kept for files of the same shape. Keys are headers as `normalizeHeader` gives them. */
export interface ImportTemplate {
  register?: RegisterKind;
  columns: Readonly<Record<string, ImportField | null>>;
}

export interface DetectLayoutOptions {
  /** Sheet name; default the rows' own. */
  sheet?: string;
  template?: ImportTemplate;
  /** How many of the first non-blank rows may hold the header. Default 30. */
  maxHeaderSearchRows?: number;
}

export const DEFAULT_HEADER_SEARCH_ROWS = 30;

let synonymIndex: Map<string, ImportField> | undefined;

function getSynonymIndex(): Map<string, ImportField> {
  if (synonymIndex) return synonymIndex;
  const index = new Map<string, ImportField>();
  for (const [field, synonyms] of Object.entries(HEADER_SYNONYMS) as [ImportField, readonly string[]][]) {
    for (const synonym of synonyms) {
      const key = normalizeHeader(synonym);
      if (!index.has(key)) index.set(key, field);
    }
  }
  synonymIndex = index;
  return index;
}

interface FieldMatch {
  field: ImportField | null;
  matchedBy: ColumnLayout['matchedBy'];
}

/** The field one header text names. */
export function matchHeader(text: string, template?: ImportTemplate): FieldMatch {
  const key = normalizeHeader(text);
  if (key === '') return { field: null, matchedBy: 'none' };
  if (template && key in template.columns) {
    return { field: template.columns[key] ?? null, matchedBy: 'template' };
  }
  const index = getSynonymIndex();
  const exact = index.get(key);
  if (exact) return { field: exact, matchedBy: 'exact' };
  if (key.length > 24 || OTHER_PERSON.some((word) => key.includes(word))) {
    return { field: null, matchedBy: 'none' };
  }
  // The longest synonym the header contains; on a tie the one it ends with (少数民族人员姓名 is a 姓名)
  let best: { field: ImportField; length: number; atEnd: boolean } | undefined;
  for (const [synonym, field] of index) {
    if (synonym.length < 2 || field === 'ignored' || !key.includes(synonym)) continue;
    const candidate = { field, length: synonym.length, atEnd: key.endsWith(synonym) };
    if (
      !best ||
      candidate.length > best.length ||
      (candidate.length === best.length && candidate.atEnd && !best.atEnd)
    ) {
      best = candidate;
    }
  }
  return best ? { field: best.field, matchedBy: 'contains' } : { field: null, matchedBy: 'none' };
}

function textAt(row: RawRow | undefined, index: number): string {
  const value: CellValue | undefined = row?.cells[index];
  return cellText(value);
}

/** The columns a header of one row (`lower` undefined) or two rows gives. */
function buildColumns(upper: RawRow, lower: RawRow | undefined, template?: ImportTemplate): ColumnLayout[] {
  const width = Math.max(upper.cells.length, lower?.cells.length ?? 0);
  const columns: ColumnLayout[] = [];
  // The group a detail falls under: the nearest group header to the left that itself has details
  let group: { text: string; match: FieldMatch } | undefined;
  for (let index = 0; index < width; index += 1) {
    const top = textAt(upper, index);
    const bottom = lower ? textAt(lower, index) : '';
    if (top !== '') group = bottom !== '' ? { text: top, match: matchHeader(top, template) } : undefined;
    if (bottom === '') {
      if (top === '') continue;
      const match = matchHeader(top, template);
      columns.push({ index, letter: columnLetter(index), header: top, ...match });
      continue;
    }
    const header = group ? `${group.text}/${bottom}` : bottom;
    const combinedKey = normalizeHeader(header);
    const match: FieldMatch =
      template && combinedKey in template.columns
        ? { field: template.columns[combinedKey] ?? null, matchedBy: 'template' }
        : resolveDetail(bottom, group?.match, template);
    columns.push({ index, letter: columnLetter(index), header, ...match });
  }
  return columns;
}

function resolveDetail(detail: string, group: FieldMatch | undefined, template?: ImportTemplate): FieldMatch {
  const match = matchHeader(detail, template);
  if (!group?.field || match.matchedBy === 'template') return match;
  const context = GROUP_CONTEXT[group.field];
  if (match.field && context && match.field in context) {
    return { field: context[match.field] ?? null, matchedBy: 'group' };
  }
  if (match.field && !PART_WORDS.has(normalizeHeader(detail))) return match;
  return { field: group.field, matchedBy: 'group' };
}

interface Candidate {
  rows: RawRow[];
  columns: ColumnLayout[];
  distinctFields: number;
  mappedColumns: number;
}

function evaluate(rows: RawRow[], template?: ImportTemplate): Candidate {
  const columns = buildColumns(rows[0]!, rows[1], template);
  const mapped = columns.filter((column) => column.field !== null && column.field !== 'ignored');
  return {
    rows,
    columns,
    distinctFields: new Set(mapped.map((column) => column.field)).size,
    mappedColumns: mapped.length,
  };
}

/**
 * How many cells of the row hold something, how many of those are header words (a synonym, 省…), and how many
 * are a synonym exactly (a title that merely contains one is not).
 */
function countHeaderWords(
  row: RawRow,
  template?: ImportTemplate,
): { filled: number; headerWords: number; exactWords: number } {
  let filled = 0;
  let headerWords = 0;
  let exactWords = 0;
  for (const cell of row.cells) {
    const text = cellText(cell);
    if (text === '') continue;
    filled += 1;
    const { matchedBy } = matchHeader(text, template);
    if (matchedBy !== 'none' || PART_WORDS.has(normalizeHeader(text))) headerWords += 1;
    if (matchedBy === 'exact' || matchedBy === 'template') exactWords += 1;
  }
  return { filled, headerWords, exactWords };
}

/**
 * Whether two rows can be a group row over a detail row: both made of header words (mostly, for the
 * details), and some detail continues a group to the right under an empty cell (the rest of a merged group).
 */
function canBeTwoRowHeader(upper: RawRow, lower: RawRow, template?: ImportTemplate): boolean {
  if (lower.row !== upper.row + 1) return false;
  const groups = countHeaderWords(upper, template);
  if (groups.headerWords < 2 && groups.exactWords < 1) return false;
  const details = countHeaderWords(lower, template);
  if (details.headerWords === 0 || details.headerWords * 2 < details.filled) return false;
  let inGroup = false;
  const width = Math.max(upper.cells.length, lower.cells.length);
  for (let index = 0; index < width; index += 1) {
    const top = textAt(upper, index);
    const bottom = textAt(lower, index);
    if (top !== '') inGroup = bottom !== '';
    else if (inGroup && bottom !== '') return true;
  }
  return false;
}

function isBetter(candidate: Candidate, best: Candidate | undefined): boolean {
  if (!best) return true;
  if (candidate.distinctFields !== best.distinctFields) return candidate.distinctFields > best.distinctFields;
  return candidate.mappedColumns > best.mappedColumns;
}

/**
 * The layout of a sheet from its first non-blank rows (as `readRows` gives them), or null when none of the
 * first `maxHeaderSearchRows` rows looks like a header (at least two different fields recognised).
 */
export function detectLayout(
  firstRows: readonly RawRow[],
  options: DetectLayoutOptions = {},
): SheetLayout | null {
  const rows = firstRows.slice(0, options.maxHeaderSearchRows ?? DEFAULT_HEADER_SEARCH_ROWS);
  const sheet = options.sheet ?? rows[0]?.sheet ?? '';
  let best: Candidate | undefined;
  for (const [position, row] of rows.entries()) {
    const single = evaluate([row], options.template);
    if (single.distinctFields >= 2 && isBetter(single, best)) best = single;
    const next = rows[position + 1];
    if (next && canBeTwoRowHeader(row, next, options.template)) {
      const pair = evaluate([row, next], options.template);
      const singleNext = evaluate([next], options.template);
      // Two rows only when they explain more than either row alone
      const explainsMore = isBetter(pair, single) && isBetter(pair, singleNext);
      if (pair.distinctFields >= 2 && explainsMore && isBetter(pair, best)) best = pair;
    }
  }
  if (!best) return null;
  const headerRows = best.rows.map((row) => row.row);
  const titles = rows
    .filter((row) => row.row < headerRows[0]!)
    .map((row) =>
      row.cells
        .map((cell) => cellText(cell))
        .filter((text) => text !== '')
        .join(' '),
    );
  const fields = new Set(best.columns.map((column) => column.field));
  const register = options.template?.register ?? detectRegisterKind(sheet, titles, fields);
  return { sheet, register, headerRows, titles, columns: best.columns };
}

/**
 * The kind of register: what the titles say first (流动人口, 房屋/出租, 少数民族), then the sheet name, then
 * the header set (floating details; dwelling status without a person), else all residents.
 */
export function detectRegisterKind(
  sheet: string,
  titles: readonly string[],
  fields: ReadonlySet<ImportField | null>,
): RegisterKind {
  for (const text of [titles.join(' '), sheet]) {
    if (/流动人口|流入人口|流动少数民族|暂住人口|外来人口|流动人员|流入人员/.test(text)) {
      return 'floating';
    }
    if (/房屋|出租屋|出租房|空置房|住房|房产/.test(text)) return 'dwellings';
    if (/少数民族/.test(text)) return 'minority';
  }
  if (fields.has('arrivalDate') || fields.has('floatingReason') || fields.has('floatingOrigin')) {
    return 'floating';
  }
  const hasPerson = fields.has('name') || fields.has('idNumber');
  if (!hasPerson && (fields.has('dwellingStatus') || fields.has('rented') || fields.has('landlordName'))) {
    return 'dwellings';
  }
  return 'residents';
}

/** The template that reproduces a (corrected) layout's mapping on another file with the same headers. */
export function toTemplate(layout: SheetLayout): ImportTemplate {
  const columns: Record<string, ImportField | null> = {};
  for (const column of layout.columns) columns[normalizeHeader(column.header)] = column.field;
  return { register: layout.register, columns };
}

/** The layout with every column the template knows mapped as the template says. */
export function applyTemplate(layout: SheetLayout, template: ImportTemplate): SheetLayout {
  return {
    ...layout,
    register: template.register ?? layout.register,
    columns: layout.columns.map((column) => {
      const key = normalizeHeader(column.header);
      return key in template.columns
        ? { ...column, field: template.columns[key] ?? null, matchedBy: 'template' as const }
        : column;
    }),
  };
}
