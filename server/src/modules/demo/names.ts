/**
 * Name material for the demo data: Han surnames by frequency, given names by birth era and gender, and the
 * naming customs of the minority residents the demo communities have. As in reality, most Qiang, Hui, Tujia,
 * Manchu and many Tibetan residents carry Han-style names; some Tibetan, Yi and all Uyghur residents carry
 * names of their own (Uyghur: own name · father's name, joined by the middle dot).
 *
 * Every function takes `next`, a source of uniform floats in [0, 1), so callers decide the seeding.
 */

import type { Gender } from '@shiliuzi/shared/registry';
import { WeightedTable } from './random.ts';

type Next = () => number;

const pick = <T>(next: Next, items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;

/** The 100 commonest Han surnames with approximate shares in per mille, plus a few compound ones. */
const hanSurnameWeights: [string, number][] = [
  ['王', 71],
  ['李', 70],
  ['张', 68],
  ['刘', 54],
  ['陈', 48],
  ['杨', 31],
  ['黄', 25],
  ['赵', 23],
  ['吴', 20],
  ['周', 20],
  ['徐', 15],
  ['孙', 14],
  ['马', 14],
  ['朱', 13],
  ['胡', 13],
  ['郭', 12],
  ['何', 12],
  ['林', 10],
  ['高', 10],
  ['罗', 10],
  ['郑', 9],
  ['梁', 9],
  ['谢', 8],
  ['宋', 7],
  ['唐', 7],
  ['许', 7],
  ['韩', 7],
  ['邓', 7],
  ['冯', 7],
  ['曹', 6],
  ['彭', 6],
  ['曾', 6],
  ['肖', 6],
  ['田', 5],
  ['董', 5],
  ['潘', 5],
  ['袁', 5],
  ['蔡', 4],
  ['蒋', 4],
  ['余', 4],
  ['于', 4],
  ['杜', 4],
  ['叶', 4],
  ['程', 4],
  ['魏', 4],
  ['苏', 4],
  ['吕', 4],
  ['丁', 4],
  ['任', 4],
  ['卢', 3],
  ['姚', 3],
  ['沈', 3],
  ['钟', 3],
  ['姜', 3],
  ['崔', 3],
  ['谭', 3],
  ['陆', 3],
  ['范', 3],
  ['汪', 3],
  ['廖', 3],
  ['石', 3],
  ['金', 3],
  ['韦', 3],
  ['贾', 3],
  ['夏', 2],
  ['付', 2],
  ['方', 2],
  ['邹', 2],
  ['熊', 2],
  ['白', 2],
  ['孟', 2],
  ['秦', 2],
  ['邱', 2],
  ['侯', 2],
  ['江', 2],
  ['尹', 2],
  ['薛', 2],
  ['闫', 2],
  ['段', 2],
  ['雷', 2],
  ['龙', 2],
  ['黎', 2],
  ['史', 2],
  ['陶', 2],
  ['贺', 2],
  ['毛', 2],
  ['郝', 2],
  ['顾', 2],
  ['龚', 2],
  ['邵', 2],
  ['万', 2],
  ['覃', 2],
  ['武', 2],
  ['钱', 2],
  ['戴', 2],
  ['严', 2],
  ['莫', 1],
  ['孔', 1],
  ['向', 1],
  ['常', 1],
  ['欧阳', 0.3],
  ['司马', 0.1],
  ['上官', 0.1],
  ['诸葛', 0.05],
];

export const hanSurnames = new WeightedTable(hanSurnameWeights);

/** Surnames by ethnic group for the groups whose members mostly carry Han-style names. */
const surnamesByGroup: Record<string, WeightedTable<string>> = {
  // Qiang (羌): the common surnames of the Qiang counties
  '33': new WeightedTable([
    ['王', 8],
    ['杨', 6],
    ['余', 5],
    ['何', 5],
    ['陈', 4],
    ['李', 4],
    ['张', 3],
    ['毛', 3],
    ['母', 2],
    ['龚', 2],
    ['韩', 2],
    ['苟', 2],
    ['赵', 2],
    ['周', 2],
    ['罗', 1],
    ['董', 1],
    ['唐', 1],
    ['付', 1],
  ]),
  // Tibetan (藏) residents with Han-style names, as is usual in Aba and Pingwu
  '04': new WeightedTable([
    ['杨', 4],
    ['王', 3],
    ['李', 2],
    ['罗', 2],
    ['马', 2],
    ['张', 1],
    ['高', 1],
    ['曹', 1],
    ['陈', 1],
  ]),
  // Hui (回)
  '03': new WeightedTable([
    ['马', 30],
    ['白', 5],
    ['杨', 5],
    ['丁', 4],
    ['哈', 3],
    ['沙', 3],
    ['冶', 3],
    ['韩', 3],
    ['李', 3],
    ['王', 3],
    ['张', 3],
    ['海', 2],
    ['纳', 2],
    ['穆', 2],
    ['撒', 2],
    ['喇', 2],
    ['米', 1],
    ['鲜', 1],
    ['金', 1],
    ['苏', 1],
  ]),
  // Tujia (土家)
  '15': new WeightedTable([
    ['田', 5],
    ['彭', 4],
    ['向', 4],
    ['冉', 3],
    ['覃', 3],
    ['谭', 3],
    ['杨', 2],
    ['王', 2],
    ['张', 2],
    ['李', 2],
  ]),
  // Miao (苗)
  '06': new WeightedTable([
    ['龙', 5],
    ['吴', 5],
    ['杨', 4],
    ['石', 4],
    ['麻', 2],
    ['王', 2],
    ['张', 2],
    ['罗', 1],
  ]),
  // Manchu (满)
  '11': new WeightedTable([
    ['关', 5],
    ['金', 4],
    ['佟', 3],
    ['赵', 3],
    ['那', 2],
    ['富', 2],
    ['肖', 2],
    ['伊', 1],
    ['爱新觉罗', 0.3],
  ]),
  // Zhuang (壮)
  '08': new WeightedTable([
    ['韦', 5],
    ['覃', 4],
    ['黄', 4],
    ['莫', 3],
    ['陆', 2],
    ['蓝', 2],
    ['农', 2],
    ['梁', 2],
  ]),
  // Korean (朝鲜)
  '10': new WeightedTable([
    ['金', 6],
    ['李', 5],
    ['朴', 4],
    ['崔', 3],
    ['郑', 2],
    ['姜', 2],
  ]),
  // Mongol (蒙古)
  '02': new WeightedTable([
    ['包', 4],
    ['白', 3],
    ['宝', 2],
    ['王', 2],
    ['韩', 1],
  ]),
  // Yi (彝) residents with Han-style names
  '07': new WeightedTable([
    ['马', 3],
    ['沙', 2],
    ['李', 2],
    ['罗', 2],
    ['杨', 2],
    ['王', 1],
    ['吉', 1],
  ]),
};

/** A surname for a resident of this ethnic group who carries a Han-style name. */
export function surnameFor(next: Next, ethnicityCode: string): string {
  const table = surnamesByGroup[ethnicityCode] ?? hanSurnames;
  // One in five minority residents carries a surname from the general Han distribution
  return table !== hanSurnames && next() < 0.2 ? hanSurnames.at(next()) : table.at(next());
}

interface GivenNamePool {
  /** Whole given names typical of the era. */
  whole: readonly string[];
  /** Characters to compose two-character names from. */
  first: readonly string[];
  second: readonly string[];
  /** One-character given names. */
  single: readonly string[];
  /** Share of one-character given names. */
  singleShare: number;
}

type EraPools = Record<Gender, GivenNamePool>;

const split = (text: string): string[] => text.split(' ');
const chars = (text: string): string[] => Array.from(text);

/** Born before 1960. */
const eraBefore1960: EraPools = {
  male: {
    whole: split(
      '建国 国强 德明 志明 文华 永福 德胜 长顺 福全 光明 树林 振华 玉山 学文 宗华 庆云 树根 国华 洪明 俊德 永贵 正明 世荣 兴国 家福 成才',
    ),
    first: chars('德国文永福长光树玉学宗庆正世兴家成明'),
    second: chars('明华福贵山林才荣全生顺富安仁'),
    single: chars('强明华军林福贵顺才荣'),
    singleShare: 0.12,
  },
  female: {
    whole: split(
      '秀英 桂英 玉兰 秀兰 淑珍 桂兰 秀珍 玉珍 凤英 素芬 秀芳 玉梅 兰英 桂芳 淑华 翠兰 金凤 玉英 素珍 秀琼 淑芬 玉芬',
    ),
    first: chars('秀桂玉淑凤素兰翠金'),
    second: chars('英兰珍芳梅华琼芬凤云'),
    single: chars('英兰珍芳梅琼凤华芬'),
    singleShare: 0.1,
  },
};

/** Born 1960–1979. */
const era1960s: EraPools = {
  male: {
    whole: split(
      '建华 建军 国庆 卫东 志刚 红军 建平 立新 永红 志勇 海军 小平 德华 明亮 文军 建明 光荣 建伟 宏伟 振宇 跃进 卫国 红兵',
    ),
    first: chars('建国卫志红立永海小德明文宏跃'),
    second: chars('华军东刚平新红勇伟明国兵林'),
    single: chars('军勇刚伟斌平涛强兵林'),
    singleShare: 0.2,
  },
  female: {
    whole: split(
      '丽华 红梅 建英 丽萍 晓红 小红 红霞 丽君 海燕 春梅 秀梅 晓燕 玉华 淑英 红英 丽娟 素琼 春兰 小琴 雪梅',
    ),
    first: chars('丽红晓小春海秀雪玉淑素'),
    second: chars('华梅萍红霞燕君芳兰英娟琼琴'),
    single: chars('红丽萍燕霞敏静琴华芳'),
    singleShare: 0.2,
  },
};

/** Born 1980–1999. */
const era1980s: EraPools = {
  male: {
    whole: split('俊杰 志强 海涛 晓东 建波 文杰 明杰 浩然 宇航 鹏飞 志伟 晓峰 家豪 天宇 振华 小龙 俊峰 文涛'),
    first: chars('俊志海晓建文明浩宇鹏家天振子'),
    second: chars('杰强涛东波峰伟然航飞豪宇华龙'),
    single: chars('伟浩磊鹏杰涛超强亮俊瑞凯'),
    singleShare: 0.25,
  },
  female: {
    whole: split('婷婷 晓丽 丽娜 丽丽 小燕 芳芳 晶晶 思思 佳慧 晓雪 雪梅 小琴 思颖 欣然'),
    first: chars('婷晓丽小芳晶思佳雪梦欣雨'),
    second: chars('婷丽娜燕芳晶思慧雪瑶琳洁'),
    single: chars('丹静倩雪莉佳欣雨艳婷娟萌蕾'),
    singleShare: 0.25,
  },
};

/** Born 2000 or later. */
const era2000s: EraPools = {
  male: {
    whole: split(
      '子轩 浩宇 梓豪 宇轩 俊熙 一诺 浩然 子墨 沐宸 梓睿 皓轩 铭泽 奕辰 博文 锦程 思远 天佑 瑞霖 承泽 子航',
    ),
    first: chars('子浩梓宇俊一沐奕博锦思天瑞承皓铭'),
    second: chars('轩宇豪熙诺然墨宸睿航泽辰文程远佑霖'),
    single: chars('睿宸轩浩航哲'),
    singleShare: 0.08,
  },
  female: {
    whole: split(
      '子涵 欣怡 梓涵 诗涵 雨桐 可馨 一诺 紫萱 思琪 梦瑶 语桐 依诺 若汐 欣妍 梓萱 芷若 沐晴 悦溪 佳怡 雨萱 梓琪',
    ),
    first: chars('子欣梓诗雨可紫思梦语依若芷沐悦佳'),
    second: chars('涵怡桐馨萱琪瑶诺汐妍若晴溪彤'),
    single: chars('涵悦琪彤萱妍'),
    singleShare: 0.08,
  },
};

/**
 * Rarely used characters seen in real given names: they test fonts, sorting and input methods. 䶮 is in CJK
 * extension A, 𫖮 in extension C (outside the Basic Multilingual Plane: two UTF-16 code units).
 */
export const rareNameCharacters: readonly string[] = [
  '堃',
  '喆',
  '昇',
  '赟',
  '翀',
  '珺',
  '玥',
  '犇',
  '淼',
  '垚',
  '彧',
  '甦',
  '䶮',
  '𫖮',
];

function poolFor(birthYear: number, gender: Gender): GivenNamePool {
  const era =
    birthYear < 1960 ? eraBefore1960 : birthYear < 1980 ? era1960s : birthYear < 2000 ? era1980s : era2000s;
  return era[gender];
}

/** A Han-style given name of one or two characters typical of the birth year. */
export function hanGivenName(next: Next, gender: Gender, birthYear: number): string {
  const pool = poolFor(birthYear, gender);
  let given: string;
  if (next() < pool.singleShare) given = pick(next, pool.single);
  else if (next() < 0.45) given = pick(next, pool.whole);
  else given = pick(next, pool.first) + pick(next, pool.second);
  if (next() < 0.004) {
    // Replace the last character with a rare one
    const kept = Array.from(given);
    kept[kept.length - 1] = pick(next, rareNameCharacters);
    given = kept.join('');
  }
  return given;
}

const tibetanFirst = split('扎西 次仁 格桑 多吉 尼玛 洛桑 丹增 泽仁 益西 达瓦 旺堆 贡布 边巴 平措 索朗 阿旺');
const tibetanMaleSecond = split('多吉 扎西 次仁 旺堆 罗布 平措 尼玛 泽仁 贡布 降措 顿珠 朗杰');
const tibetanFemaleFirst = split('泽仁 次仁 格桑 达瓦 尼玛 德吉 白玛 仁青 央宗 阿旺');
const tibetanFemaleSecond = split('卓玛 拉姆 央金 措 曲珍 志玛 德吉 卓嘎 永措');

/** A Tibetan personal name (no surname): one or two two-character parts, e.g. 扎西, 泽仁卓玛. */
export function tibetanName(next: Next, gender: Gender): string {
  if (gender === 'male') {
    return next() < 0.2 ? pick(next, tibetanFirst) : pick(next, tibetanFirst) + pick(next, tibetanMaleSecond);
  }
  return next() < 0.2
    ? pick(next, tibetanFemaleSecond)
    : pick(next, tibetanFemaleFirst) + pick(next, tibetanFemaleSecond);
}

const yiClans = split('吉克 阿苏 沙马 俄木 曲比 马海 阿约 吉木 海来 阿的 瓦扎 勒格 吉伍 阿于');
const yiMaleGiven = split('木呷 尔古 拉且 石哈 阿牛 日布 伍沙 约哈 比日 达洛');
const yiFemaleGiven = split('阿呷 阿依 拉莫 阿果 阿芝 伍各 日各 阿支 莫色');

/** A Yi (Nuosu) clan name, which comes first in a full name (吉克阿呷). */
export function yiClanName(next: Next): string {
  return pick(next, yiClans);
}

export function yiGivenName(next: Next, gender: Gender): string {
  return pick(next, gender === 'male' ? yiMaleGiven : yiFemaleGiven);
}

const uyghurMale = split(
  '艾力 买买提 阿不都热合曼 吐尔逊 艾尔肯 努尔买买提 伊力哈木 阿迪力 亚森 艾买提 麦麦提 吾斯曼 阿布拉 热合曼 依明 肉孜 卡德尔 吾买尔 阿卜杜拉 帕尔哈提 艾合买提 库尔班 斯迪克 玉素甫 米吉提 托合提',
);
const uyghurFemale = split(
  '古丽 阿依古丽 热依拉 帕提古丽 米热古丽 阿依努尔 再努尔 古丽娜尔 迪丽努尔 努尔古丽 祖丽皮亚 阿依先木 海丽其古丽 买合甫扎 阿瓦古丽 玛依拉 布阿依夏木 热孜万古丽',
);

/** A Uyghur personal name (the first part of a full name). */
export function uyghurGivenName(next: Next, gender: Gender): string {
  return pick(next, gender === 'male' ? uyghurMale : uyghurFemale);
}

/** A man's name to stand as father's name, different from `own` (a son is rarely named after his father). */
function uyghurFatherName(next: Next, own: string): string {
  for (;;) {
    const name = pick(next, uyghurMale);
    if (name !== own) return name;
  }
}

/** A Uyghur full name: own name, middle dot, father's name (艾力·买买提). */
export function uyghurFullName(given: string, fatherGiven: string): string {
  return `${given}·${fatherGiven}`;
}

const mongolMale = split('巴特尔 苏和 额尔敦 宝音 朝鲁 那顺');
const mongolFemale = split('其其格 萨仁 乌兰 塔娜 娜仁 图雅');

/** A Mongol personal name without surname, e.g. 巴特尔, 其其格. */
export function mongolName(next: Next, gender: Gender): string {
  return pick(next, gender === 'male' ? mongolMale : mongolFemale);
}

/** How a name is formed. */
export type NameStyle = 'han' | 'tibetan' | 'uyghur' | 'yi' | 'mongol';

/** A name with the parts a family passes on. */
export interface PersonName {
  style: NameStyle;
  /** Han style: the surname; Yi style: the clan name; otherwise ''. */
  surname: string;
  /** The personal name (Uyghur: the own-name part). */
  given: string;
  /** Uyghur style: the father's name, the second part; otherwise ''. */
  fatherGiven: string;
  full: string;
}

/** The share of each group's members carrying a name of their own language (the rest have Han-style names). */
const ownStyleShare: Record<string, [NameStyle, number]> = {
  '04': ['tibetan', 0.4],
  '05': ['uyghur', 1],
  '07': ['yi', 0.35],
  '02': ['mongol', 0.3],
};

/** The name style a resident of this group gets when nothing in the family decides it. */
export function defaultNameStyle(next: Next, ethnicityCode: string): NameStyle {
  const own = ownStyleShare[ethnicityCode];
  return own !== undefined && next() < own[1] ? own[0] : 'han';
}

function hanName(surname: string, given: string): PersonName {
  return { style: 'han', surname, given, fatherGiven: '', full: surname + given };
}

function uyghurName(given: string, fatherGiven: string): PersonName {
  return { style: 'uyghur', surname: '', given, fatherGiven, full: uyghurFullName(given, fatherGiven) };
}

function yiName(clan: string, given: string): PersonName {
  return { style: 'yi', surname: clan, given, fatherGiven: '', full: clan + given };
}

function bareName(style: NameStyle, given: string): PersonName {
  return { style, surname: '', given, fatherGiven: '', full: given };
}

/** A name in the given style, with no family to inherit from. */
export function nameInStyle(
  next: Next,
  style: NameStyle,
  ethnicityCode: string,
  gender: Gender,
  birthYear: number,
): PersonName {
  switch (style) {
    case 'tibetan':
      return bareName('tibetan', tibetanName(next, gender));
    case 'uyghur': {
      const given = uyghurGivenName(next, gender);
      return uyghurName(given, uyghurFatherName(next, given));
    }
    case 'yi':
      return yiName(yiClanName(next), yiGivenName(next, gender));
    case 'mongol':
      return bareName('mongol', mongolName(next, gender));
    case 'han':
      return hanName(surnameFor(next, ethnicityCode), hanGivenName(next, gender, birthYear));
  }
}

/** A name for someone whose family does not decide it: the usual style of the group. */
export function freshName(next: Next, ethnicityCode: string, gender: Gender, birthYear: number): PersonName {
  return nameInStyle(next, defaultNameStyle(next, ethnicityCode), ethnicityCode, gender, birthYear);
}

/**
 * A child's name following the family: a Uyghur child takes the father's name as second part, a Yi child
 * mostly the father's clan, a Han-style name mostly the father's surname (sometimes the mother's).
 */
export function childName(
  next: Next,
  ethnicityCode: string,
  gender: Gender,
  birthYear: number,
  father: PersonName | undefined,
  mother: PersonName | undefined,
): PersonName {
  if (ethnicityCode === '05' && father?.style === 'uyghur') {
    const given = gender === 'male' ? uyghurFatherName(next, father.given) : uyghurGivenName(next, gender);
    return uyghurName(given, father.given);
  }
  if (ethnicityCode === '07' && father?.style === 'yi' && next() < 0.8) {
    return yiName(father.surname, yiGivenName(next, gender));
  }
  if (
    ethnicityCode === '04' &&
    (father?.style === 'tibetan' || mother?.style === 'tibetan') &&
    next() < 0.7
  ) {
    return bareName('tibetan', tibetanName(next, gender));
  }
  if (ethnicityCode === '02' && father?.style === 'mongol' && next() < 0.6) {
    return bareName('mongol', mongolName(next, gender));
  }
  const given = hanGivenName(next, gender, birthYear);
  const fromFather = father?.style === 'han' ? father.surname : undefined;
  const fromMother = mother?.style === 'han' ? mother.surname : undefined;
  if (fromFather !== undefined && (fromMother === undefined || next() < 0.92))
    return hanName(fromFather, given);
  if (fromMother !== undefined) return hanName(fromMother, given);
  return hanName(surnameFor(next, ethnicityCode), given);
}

/** A name for a parent of `child`: a father passes his surname, clan or (Uyghur) his own name to the child. */
export function parentName(
  next: Next,
  child: PersonName,
  ethnicityCode: string,
  gender: Gender,
  birthYear: number,
): PersonName {
  if (gender === 'male') {
    if (child.style === 'uyghur' && ethnicityCode === '05') {
      return uyghurName(child.fatherGiven, uyghurFatherName(next, child.fatherGiven));
    }
    if (child.style === 'yi' && ethnicityCode === '07')
      return yiName(child.surname, yiGivenName(next, 'male'));
    if (child.style === 'han') return hanName(child.surname, hanGivenName(next, 'male', birthYear));
  }
  return freshName(next, ethnicityCode, gender, birthYear);
}
