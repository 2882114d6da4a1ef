import type { RetentionAction, RetentionRecordType, RetentionTrigger } from './retention.ts';

/** Chinese names of the retention record types, actions and triggers (the CLI and the web app). */
export const retentionLabels = {
  recordTypes: {
    visit: '走访慰问记录',
    visit_photo: '走访照片',
    assistance: '帮困记录（已审批）',
    dispute: '矛盾纠纷（已办结）',
    petition: '信访（已办结）',
    hotline: '热线（已办结）',
    pairing: '结对（已结束）',
    must_visit: '四个必访任务（已走访）',
    moved_out_resident: '迁出居民的个人信息',
    deleted_record: '已删除的记录',
    import_report: '导入报告',
    session: '登录会话与登录失败记录',
  } satisfies Record<RetentionRecordType, string>,
  /** The date a period is counted from. */
  clocks: {
    visit: '走访日期',
    visit_photo: '所属走访的日期',
    assistance: '审批日期',
    dispute: '办结日期',
    petition: '答复（办结）日期',
    hotline: '答复（办结）日期',
    pairing: '结对结束日期',
    must_visit: '完成走访日期',
    moved_out_resident: '迁出日期',
    deleted_record: '删除日期',
    import_report: '导入日期',
    session: '会话到期日期',
  } satisfies Record<RetentionRecordType, string>,
  actions: { anonymise: '匿名化', delete: '删除' } satisfies Record<RetentionAction, string>,
  triggers: { schedule: '每日自动', cli: '命令行', api: '网页' } satisfies Record<RetentionTrigger, string>,
};
