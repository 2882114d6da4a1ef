/**
 * The Chinese text of generated reports. Every sentence is a function of the figures it states, so
 * the wording lives here and the report builders only choose which sentence applies. Written for
 * this product; nothing is copied from the reference reports.
 */

/**
 * The fonts GB/T 9704 prescribes, each with the names Word looks for when that edition is missing
 * (Windows ships 仿宋 and 楷体, not the GB2312 editions). Where none is installed, the reader's
 * CJK fallback for zh-CN takes over (Noto CJK SC under LibreOffice).
 */
export const officialFonts = {
  /** 2号方正小标宋简体: the title. */
  title: { name: '方正小标宋简体', altNames: ['方正小标宋_GBK', '华文中宋', '宋体'] },
  /** 3号仿宋_GB2312: the body. */
  body: { name: '仿宋_GB2312', altNames: ['仿宋', 'FangSong'] },
  /** 3号黑体: headings “一、”. */
  heading1: { name: '黑体', altNames: ['SimHei'] },
  /** 3号楷体_GB2312: headings “（一）”. */
  heading2: { name: '楷体_GB2312', altNames: ['楷体', 'KaiTi'] },
  /** 4号宋体: page numbers. */
  pageNumber: { name: '宋体', altNames: ['SimSun'] },
} as const;

/** Shown as the author of every generated document. */
export const reportCreator = '石榴籽社区民族团结工作平台';

const numerals = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 1 → 一 … 10 → 十 (headings never number beyond ten). */
export function chineseNumeral(n: number): string {
  const numeral = numerals[n - 1];
  if (numeral === undefined) throw new RangeError(`no Chinese numeral for ${n}`);
  return numeral;
}

/** Level-1 heading: 一、辖区概况. */
export const heading1Text = (n: number, text: string) => `${chineseNumeral(n)}、${text}`;
/** Level-2 heading: （一）民族分布. */
export const heading2Text = (n: number, text: string) => `（${chineseNumeral(n)}）${text}`;

/** 2026-11-01 → 2026年11月1日 (GB/T 9704: Arabic numerals, no leading zeros). */
export function formatDate(iso: string): string {
  const [year, month, day] = iso.split('-');
  return `${year}年${Number(month)}月${Number(day)}日`;
}

/**
 * A share as a percentage with one decimal: 0.8333 → 83.3%. A share that is not zero never shows
 * as 0.0% (不足0.1%), and one short of the whole never as 100.0% (超过99.9%).
 */
export function formatPercent(share: number): string {
  const text = (share * 100).toFixed(1);
  if (share > 0 && text === '0.0') return '不足0.1%';
  if (share < 1 && text === '100.0') return '超过99.9%';
  return `${text}%`;
}

/** A share of a whole, or null when the whole is zero. */
const shareOf = (part: number, whole: number) => (whole === 0 ? null : part / whole);

/** Square kilometres with at most two decimals: 2.6 → 2.6. */
const formatArea = (km2: number) => String(Number(km2.toFixed(2)));

/** One ethnic group as the report names it. */
export interface EthnicGroupCount {
  name: string;
  count: number;
}

/** The sentences of the 基本情况 report. */
export const basicReportText = {
  title: (orgName: string) => `${orgName}基本情况`,
  fileName: (orgName: string, asOf: string) => `${orgName}基本情况（${asOf}）.docx`,
  asOfNote: (asOf: string) => `（数据截至${formatDate(asOf)}）`,

  headings: {
    overview: '辖区概况',
    population: '人口与住户',
    ethnicity: '民族构成',
    distribution: '民族分布',
    minorities: '少数民族居民',
    intermarriage: '族际通婚',
  },

  /**
   * Area, grids and member units. `hasSubunits` is false for a grid or member unit, which has
   * nothing under it to count.
   */
  overview(f: {
    orgName: string;
    areaKm2: number | null;
    hasSubunits: boolean;
    grids: number;
    memberUnits: number;
  }): string | null {
    const clauses: string[] = [];
    if (f.areaKm2 !== null) clauses.push(`辖区面积${formatArea(f.areaKm2)}平方公里`);
    if (f.hasSubunits) {
      clauses.push(f.grids > 0 ? `共划分网格${f.grids}个` : '尚未划分网格');
      clauses.push(f.memberUnits > 0 ? `登记驻区单位${f.memberUnits}个` : '暂无登记的驻区单位');
    }
    return clauses.length === 0 ? null : `${f.orgName}${clauses.join('，')}。`;
  },

  places(f: { buildings: number; entrances: number; dwellings: number; rentalDwellings: number }): string {
    if (f.buildings + f.entrances + f.dwellings === 0) return '辖区暂未登记楼栋、单元和房屋信息。';
    const share = shareOf(f.rentalDwellings, f.dwellings);
    const rentals =
      f.rentalDwellings === 0 || share === null
        ? '暂无出租房屋'
        : `其中出租房屋${f.rentalDwellings}套，占房屋总数的${formatPercent(share)}`;
    return `辖区登记楼栋${f.buildings}栋、单元${f.entrances}个、房屋${f.dwellings}套，${rentals}。`;
  },

  population(f: { asOf: string; residents: number; households: number; floatingResidents: number }): string {
    const when = `截至${formatDate(f.asOf)}`;
    if (f.residents === 0) {
      const households = f.households > 0 ? `，已登记住户${f.households}户` : '';
      return `${when}，辖区暂无登记在册的居民${households}。`;
    }
    const floating =
      f.floatingResidents > 0
        ? `其中流动人口${f.floatingResidents}人，占居民总数的${formatPercent(f.floatingResidents / f.residents)}`
        : '暂无登记的流动人口';
    return `${when}，辖区登记在册居民${f.residents}人、${f.households}户，${floating}。`;
  },

  moves(f: { from: string; asOf: string; movedIn: number; movedOut: number }): string {
    const period = `${formatDate(f.from)}至${formatDate(f.asOf)}`;
    if (f.movedIn === 0 && f.movedOut === 0) return `${period}，辖区没有居民迁入或迁出。`;
    return `${period}，迁入居民${f.movedIn}人，迁出居民${f.movedOut}人。`;
  },

  /** `groups` sorted by count; `groupCount` counts GB/T 3304 groups only (not the local codes 97, 98). */
  distribution(f: { residents: number; groupCount: number; groups: EthnicGroupCount[] }): string {
    if (f.residents === 0) return '辖区暂无登记在册的居民，民族构成无从统计。';
    const list = f.groups.map((g) => `${g.name}${g.count}人`).join('、');
    return `辖区居民涉及${f.groupCount}个民族，按人数多少依次为：${list}。`;
  },

  minorities(f: {
    residents: number;
    minorityResidents: number;
    minorityShare: number;
    minorityGroups: number;
    largest: EthnicGroupCount | null;
  }): string {
    if (f.minorityResidents === 0 || f.largest === null) return '辖区暂无登记的少数民族居民。';
    const head = `辖区有少数民族居民${f.minorityResidents}人，占居民总数的${formatPercent(f.minorityShare)}`;
    if (f.minorityGroups === 1) return `${head}，均为${f.largest.name}。`;
    return `${head}，分属${f.minorityGroups}个少数民族，其中人数最多的是${f.largest.name}（${f.largest.count}人）。`;
  },

  intermarriage: (couples: number) =>
    couples > 0 ? `辖区户主与配偶分属不同民族的族际通婚家庭共${couples}对。` : '辖区暂无登记的族际通婚家庭。',

  table: {
    caption: '表1　辖区居民民族构成',
    headers: ['民族', '人数', '占比'] as const,
    total: '合计',
  },

  /** Issuing line: the org unit and the date, at the end. */
  issuedOn: (date: string) => formatDate(date),
} as const;
