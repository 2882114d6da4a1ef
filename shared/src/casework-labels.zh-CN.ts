import type {
  AssistanceKind,
  AssistanceStatus,
  FundSource,
  MustVisitKind,
  MustVisitState,
  VisitPurpose,
} from './casework-visits.ts';
import type { Festival } from './visit-campaigns.ts';

/** Chinese labels of the casework code lists (visits, must-visits, pairing, assistance). */
export const caseworkLabels = {
  visitPurposes: {
    festival: '节日慰问',
    hospitalised: '住院探望',
    hardship: '受灾困难',
    dispute: '矛盾纠纷',
    special: '特殊情况',
    routine: '日常走访',
  } satisfies Record<VisitPurpose, string>,
  mustVisitKinds: {
    hospitalised: '住院必访',
    hardship: '受灾困难必访',
    dispute: '矛盾纠纷必访',
    special: '特殊情况必访',
  } satisfies Record<MustVisitKind, string>,
  mustVisitStates: {
    open: '待走访',
    overdue: '已逾期',
    done: '已走访',
  } satisfies Record<MustVisitState, string>,
  fundSources: {
    charity_one_yuan: '爱心一元捐',
    street_budget: '街道经费',
    community_budget: '社区经费',
    civil_affairs: '民政资金',
    donation: '社会捐赠',
    other: '其他',
  } satisfies Record<FundSource, string>,
  assistanceKinds: {
    cash: '现金',
    goods: '物资',
    service: '服务',
    minimum_living: '低保',
    housing_subsidy: '住房补贴',
    other_policy: '其他政策帮扶',
  } satisfies Record<AssistanceKind, string>,
  festivals: {
    spring_festival: '春节',
    lantern_festival: '元宵节',
    eid_al_adha: '古尔邦节',
    eid_al_fitr: '肉孜节（开斋节）',
    mid_autumn: '中秋节',
    national_day: '国庆节',
    dragon_boat: '端午节',
    other: '其他',
  } satisfies Record<Festival, string>,
  assistanceStatuses: {
    pending: '待审批',
    approved: '已批准',
    rejected: '未批准',
  } satisfies Record<AssistanceStatus, string>,
};
