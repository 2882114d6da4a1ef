import { Spin } from 'antd';
import { t } from '@/locales/zh-CN/index.ts';

/** A full-page spinner while the session or a page's code loads. */
export function PageLoading() {
  return (
    <div style={{ display: 'grid', placeItems: 'center', minHeight: '60vh' }}>
      <Spin size="large" description={t.common.loading}>
        <div style={{ width: 80, height: 80 }} />
      </Spin>
    </div>
  );
}
