export const reports = {
  title: '报告',
  basic: '基本情况',
  basicDescription:
    '根据台账数据自动统计人口、户数、房屋、民族构成、少数民族占比、族际通婚、流动人口和驻区单位，生成符合公文格式（GB/T 9704）的 Word 文件。',
  asOf: '统计截至',
  download: '生成并下载',
  generating: '正在生成报告…',
  done: (name: string) => `已生成：${name}`,
  failed: '报告生成失败',
  scope: (name: string) => `当前组织：${name}`,
};
