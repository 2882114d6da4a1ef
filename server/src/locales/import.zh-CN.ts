/**
 * The Chinese text of the register import (台账导入): why a file cannot be read, why a row is rejected or
 * flagged, and the names of registers and fields shown when the user checks the column mapping.
 */
import type { ImportFileProblem } from '../modules/imports/reading/file-format.ts';
import type { ImportProblemCode } from '../modules/imports/reading/row-mapper.ts';

/** Details a message may name. */
export interface ImportMessageDetails {
  /** A limit (MB, rows, columns, characters). */
  limit?: number;
  /** The entry of the archive, or the sheet. */
  name?: string;
  /** A line or row number. */
  line?: number;
}

const SAVE_AS_XLSX = '请在 Excel 或 WPS 中打开该文件，另存为“Excel 工作簿（*.xlsx）”后重新上传。';

/** Why a whole file is refused. */
export const importFileMessages: Record<ImportFileProblem, (details: ImportMessageDetails) => string> = {
  file_empty: () => '上传的文件是空的。',
  file_too_large: ({ limit }) => `文件超过 ${limit} MB，请拆分后分批导入。`,
  unsupported_format: () => '无法识别的文件格式。请上传 Excel 文件（.xlsx 或 .xls）或 CSV 文件（.csv）。',
  archive_truncated: () => `文件不完整（可能上传中断或文件已损坏）。请重新上传；如仍失败，${SAVE_AS_XLSX}`,
  archive_corrupt: () => `文件已损坏，无法读取。${SAVE_AS_XLSX}`,
  archive_encrypted: () => '文件设置了打开密码，请取消密码保护后重新上传。',
  zip_bomb: ({ name }) =>
    `文件内容解压后异常庞大（${name ?? '压缩包'}），疑似恶意文件，已拒绝读取。如确为正常台账，${SAVE_AS_XLSX}`,
  too_many_entries: ({ limit }) => `文件内部包含的部件超过 ${limit} 个，不像正常的台账文件，已拒绝读取。`,
  too_many_rows: ({ limit }) => `文件的数据超过 ${limit} 行，请拆分后分批导入。`,
  xls_converter_missing: () => `服务器暂不能读取旧版 Excel（.xls）等格式的文件。${SAVE_AS_XLSX}`,
  conversion_failed: () => `无法转换该文件（旧版 Excel、WPS 或网页格式的表格）。${SAVE_AS_XLSX}`,
  csv_malformed: ({ line }) =>
    `CSV 文件第 ${line ?? '?'} 行附近格式错误（可能有未闭合的引号）。请检查该行，或在 Excel 中另存后重新上传。`,
  encoding_unknown: () =>
    'CSV 文件的文字编码无法识别（文件中混用了不同编码）。请用 Excel 另存为“CSV UTF-8（逗号分隔）”后重新上传。',
  sheet_unreadable: ({ name }) => `工作表“${name ?? ''}”无法读取，文件可能已损坏。${SAVE_AS_XLSX}`,
};

/** Details a row problem's reason may name. */
export interface ImportReasonDetails {
  value: string;
  column: string;
  limit?: number;
  /** Another row of the file (duplicates). */
  otherRow?: number;
  /** What the row got instead (the gender or birth date from the ID number, say). */
  replacement?: string;
  severity: 'reject' | 'flag';
}

/** Why a row is rejected or flagged; severity is decided by the mapper, the wording here. */
export const importProblemReasons: Record<ImportProblemCode, (details: ImportReasonDetails) => string> = {
  cell_too_long: ({ limit }) => `单元格内容超过 ${limit} 个字符，本行未导入。`,
  too_many_columns: ({ limit }) => `本行在第 ${limit} 列之后仍有内容，超过了列数上限，本行未导入。`,
  not_a_record: () => '这一行不是人员或房屋记录（分组标题、合计、签名或说明行），未导入。',
  header_repeated: () => '这一行是重复的表头，未导入。',
  cell_error: ({ value }) => `单元格是公式错误值 ${value}，按空白处理。`,
  name_missing: () => '缺少姓名，本行未导入。',
  name_too_long: ({ limit }) => `姓名超过 ${limit} 个字符，本行未导入。`,
  id_number_scientific_notation: () =>
    '身份证号码被 Excel 当作数字保存（显示为 5.10703E+17 之类），后几位已经丢失，无法恢复。请把该列设为“文本”格式，重新填写号码后再导入。',
  id_number_length: () => '身份证号码应为 18 位（或 15 位旧号码）。',
  id_number_characters: () => '身份证号码只能包含数字和最后一位的 X。',
  id_number_birth_date: () => '身份证号码中的出生日期不存在。',
  id_number_empty: () => '身份证号码为空。',
  id_check_digit: ({ severity }) =>
    severity === 'flag'
      ? '身份证号码校验位错误，已按原样保留并标记为“待核实”，请尽快核对。'
      : '身份证号码校验位错误（最后一位与前 17 位不符），本行未导入，请核对号码。',
  gender_mismatch: ({ replacement }) => `性别与身份证号码不符，已按身份证号码记为“${replacement}”，请核实。`,
  gender_unknown: () => '无法识别的性别（应为“男”或“女”），未导入该项。',
  birth_date_mismatch: ({ replacement }) =>
    `出生日期与身份证号码不符，已按身份证号码记为 ${replacement}，请核实。`,
  date_incomplete: () => '日期只有年份或年月，未导入该项。',
  date_invalid: () => '无法识别的日期（可写作 1985-03-02、1985.3.2、1985年3月2日 等），未导入该项。',
  ethnicity_unknown: () => '无法识别的民族名称，本行未导入。请填写国家标准中的民族名称，如“羌族”“回族”。',
  ethnicity_missing: () => '缺少民族。',
  not_minority: () => '少数民族台账中登记的民族不是少数民族，请核实。',
  phone_invalid: () => '电话号码格式不正确（应为 11 位手机号或带区号的固定电话），未导入该项。',
  phone_extra: ({ replacement }) => `单元格中有多个号码，只导入了第一个（其余：${replacement}）。`,
  origin_unknown: () => '无法识别的户籍地（应写到县或区，如“四川省阿坝州汶川县”），未导入该项。',
  residence_type_unknown: () => '无法识别的人员类别（应为常住、户籍或流动），未导入该项。',
  relation_unknown: () => '无法识别的与户主关系，未导入该项。',
  flag_unknown: ({ replacement }) => `人员标识中有无法识别的内容：${replacement}，未导入这部分。`,
  yes_no_unknown: () => '应填“是”或“否”，无法识别，未导入该项。',
  floating_reason_unknown: () => '无法识别的流入原因（务工、经商、就学、投亲或其他），未导入该项。',
  dwelling_status_unknown: () => '无法识别的房屋状态（自住、出租或空置），未导入该项。',
  stay_unknown: () => '无法识别的预计居住时间（如“6个月”“1年”），未导入该项。',
  household_head_id_invalid: () => '户主身份证号码不正确，未导入该项。',
  address_missing: () => '缺少房屋地址（小区、楼栋、单元、房号），本行未导入。',
  duplicate_row: ({ otherRow }) => `与本表第 ${otherRow} 行完全相同（重复录入），导入时按一条处理。`,
  duplicate_id_number: ({ otherRow }) =>
    `身份证号码与本表第 ${otherRow} 行相同，但其他内容不同。同一个人只登记一次，请核对哪一行正确。`,
};

/** Why a sheet was not read. */
export const importSheetMessages = {
  no_header: (rows: number) =>
    `前 ${rows} 行中没有找到表头（如“姓名”“身份证号码”“民族”等列名），该工作表未导入。`,
  ignored: () => '按导入设置跳过了该工作表。',
  unmapped_columns: (headers: readonly string[]) => `以下列未对应到任何项目，未导入：${headers.join('、')}。`,
} as const;

export { importFieldLabels, registerKindLabels } from '@shiliuzi/shared/registry-labels.zh-CN';
