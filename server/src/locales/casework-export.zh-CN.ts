/** Titles and headers of the casework registers (走访慰问台账, 帮困台账). */
export const caseworkExportText = {
  visitsRegister: '走访慰问台账',
  assistanceRegister: '帮困台账',
  title: (orgName: string, register: string, today: string) => `${orgName}${register}（${today}）`,
  fileName: (orgName: string, register: string, today: string, format: string) =>
    `${orgName}${register}（${today}）.${format}`,
  visitHeaders: [
    '序号',
    '走访日期',
    '走访事由',
    '走访人',
    '走访对象',
    '走访户',
    '地点',
    '慰问物品',
    '慰问金（元）',
    '资金来源',
    '走访情况',
  ],
  assistanceHeaders: [
    '序号',
    '帮扶对象',
    '帮扶方式',
    '金额（元）',
    '资金来源',
    '申请日期',
    '审批状态',
    '审批人',
    '审批日期',
    '情况说明',
  ],
};
