/** The audit log's export: column headers and result names. */
export const auditCsvHeader = [
  '序号',
  '时间（UTC）',
  '用户',
  '角色',
  '所属组织',
  'IP 地址',
  '操作',
  '对象类型',
  '对象',
  '结果',
  '事由或拒绝原因',
  '详情',
] as const;

export const auditResultLabels = { ok: '成功', denied: '拒绝', failed: '失败' } as const;
