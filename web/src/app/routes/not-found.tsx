import { Button, Result } from 'antd';
import { Link } from 'react-router';
import { t } from '@/locales/zh-CN/index.ts';

export function NotFoundPage() {
  return (
    <Result
      status="404"
      title={t.errors.notFound}
      subTitle={t.errors.notFoundHint}
      extra={
        <Link to="/residents">
          <Button type="primary">{t.errors.backHome}</Button>
        </Link>
      }
    />
  );
}
