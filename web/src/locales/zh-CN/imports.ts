export const imports = {
  title: '导入导出',
  importTitle: '导入台账',
  importHint:
    '支持 .xlsx、.xls、.csv（UTF-8 或 GBK）。自动识别标题行和表头，同一身份证号只登记一次；先预览，确认无误后再导入。',
  target: (name: string) => `导入到：${name}`,
  targetHint: '请在左侧选择社区或网格作为导入目标',
  chooseFile: '点击或拖入台账文件',
  uploading: '正在上传…',
  holdInvalid: '身份证号校验位错误时仍导入，并标记“待核实”',
  preview: '预览',
  previewing: (n: number) => `正在检查，已读 ${n} 行…`,
  committing: (n: number) => `正在导入，已处理 ${n} 行…`,
  commit: '确认导入',
  again: '导入其他文件',
  dryRunTitle: '预览结果（尚未导入）',
  doneTitle: '导入完成',
  seenBefore: '该文件此前已导入过，本次只会更新有变化的信息，不会重复登记。',
  counts: {
    rows: '读取行数',
    accepted: '登记/更新',
    created: '新增',
    updated: '更新',
    merged: '合并（重复或无变化）',
    rejected: '未导入',
    flagged: '待核实',
    blankRows: '空行',
  },
  rejectedRows: '未导入的行',
  flaggedRows: '待核实的行',
  mergedRows: '重复的行',
  createdPlaces: '新建的网格、户与房屋',
  createdSummary: (p: {
    grids: string[];
    households: number;
    estates: string[];
    buildings: number;
    entrances: number;
    dwellings: number;
  }) =>
    [
      p.grids.length ? `网格 ${p.grids.join('、')}` : '',
      p.households ? `户 ${p.households} 户` : '',
      p.estates.length ? `小区 ${p.estates.join('、')}` : '',
      p.buildings ? `楼栋 ${p.buildings} 栋` : '',
      p.entrances ? `单元 ${p.entrances} 个` : '',
      p.dwellings ? `房屋 ${p.dwellings} 套` : '',
    ]
      .filter(Boolean)
      .join('；') || '无',
  columns: {
    sheet: '工作表',
    row: '行',
    column: '列',
    value: '内容',
    reason: '原因',
    sameAs: '与第几行重复',
  },
  failed: '导入失败',
  invariant: (rows: number, accepted: number, merged: number, rejected: number) =>
    `${rows} 行 = 登记/更新 ${accepted} + 合并 ${merged} + 未导入 ${rejected}`,
  exportTitle: '导出台账',
  exportHint: '导出所选组织及其下级的台账（Excel 带标题行与冻结表头；CSV 为 UTF-8，可直接用 Excel 打开）。',
  register: '台账',
  registers: {
    residents: '全部居民台账',
    minority: '少数民族居民台账',
    floating: '流动人口台账',
    dwellings: '房屋台账',
  } as Record<string, string>,
  format: '格式',
  reveal: '导出完整身份证号和电话',
  download: '导出',
  template: '下载空白模板',
  exported: (name: string) => `已导出：${name}`,
};
