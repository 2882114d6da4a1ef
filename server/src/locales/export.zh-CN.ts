/**
 * The Chinese text of register exports (台账导出): register names, column headers as the paper
 * registers print them, titles, file names and the export's own messages.
 */

/** The registers that can be exported, keyed as in the API (`/api/exports/:register`). */
export const registerNames = {
  residents: '全部居民台账',
  minority: '少数民族居民台账',
  floating: '流动人口台账',
  dwellings: '房屋台账',
} as const;

/** Column headers, keyed by the column's identifier in register-layouts.ts. */
export const columnHeaders = {
  serial: '序号',
  name: '姓名',
  gender: '性别',
  ethnicity: '民族',
  idNumber: '公民身份号码',
  birthDate: '出生日期',
  phone: '联系电话',
  orgUnit: '所属网格',
  address: '现住址',
  headName: '户主姓名',
  relationToHead: '与户主关系',
  residenceType: '人员类别',
  origin: '户籍地',
  languages: '使用语言',
  flags: '人员标识',
  movedInOn: '迁入日期',
  reviewFlag: '待核实',
  note: '备注',
  originAddress: '原籍详细地址',
  arrivalDate: '来本地日期',
  floatingReason: '流动原因',
  expectedStayMonths: '预计居住（月）',
  stall: '摊位/经营地点',
  landlordName: '房东姓名',
  landlordPhone: '房东电话',
  estate: '小区/院落',
  building: '楼栋',
  entrance: '单元',
  room: '房号',
  dwellingAddress: '地址',
  occupancy: '房屋状态',
  households: '户数',
  occupants: '居住人数',
} as const;

export type ColumnId = keyof typeof columnHeaders;

/** 出租 / 自住 / 空置: a dwelling with no live resident and no household is vacant. */
export const occupancyLabels = { rented: '出租', owner: '自住', vacant: '空置' } as const;

/** Why a resident is held for review; an unknown code is shown as it is, so no doubt is hidden. */
export { reviewFlagLabels } from '@shiliuzi/shared/registry-labels.zh-CN';

/** 2026-11-29 → 2026年11月29日. */
export function chineseDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return `${year}年${month}月${day}日`;
}

/** Full-width spaces to write on. */
const blank = (n: number) => '\u3000'.repeat(n);

export const exportText = {
  /** The merged title row: 云朵社区少数民族居民台账（制表日期：2026年11月29日）. */
  title: (orgName: string, registerName: string, date: string) =>
    `${orgName}${registerName}（制表日期：${chineseDate(date)}）`,
  /** The title row of an empty template. */
  templateTitle: (registerName: string) =>
    `${registerName}（填报单位：${blank(6)}填报日期：${blank(2)}年${blank(1)}月${blank(1)}日）`,
  fileName: (orgName: string, registerName: string, date: string, extension: string) =>
    `${orgName}${registerName}（${date}）.${extension}`,
  templateFileName: (registerName: string) => `${registerName}（模板）.xlsx`,
  /** Shown as the author of every exported workbook. */
  creator: '石榴籽社区民族团结工作平台',
  /** Several values in one cell (flags, languages, review reasons). */
  listSeparator: '、',
  revealForbidden: '您没有查看完整身份证号码、联系电话和详细住址的权限，请导出脱敏台账',
};
