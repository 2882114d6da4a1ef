import { Tag } from 'antd';
import type { MustVisitState } from '@shiliuzi/shared/casework-visits';
import { t } from '@/locales/zh-CN/index.ts';

const colors: Record<MustVisitState, string> = { open: 'blue', overdue: 'red', done: 'green' };

export function MustVisitStateTag({ state }: { state: MustVisitState }) {
  return <Tag color={colors[state]}>{t.casework.mustVisitStates[state]}</Tag>;
}
