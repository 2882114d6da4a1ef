import { Result } from 'antd';
import { PageLoading } from '@/components/page-loading.tsx';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useMe } from '@/features/auth/api.ts';
import { t } from '@/locales/zh-CN/index.ts';

/**
 * Shows its children to a signed-in user and sends everyone else to the login page; a user whose
 * password must be changed first is sent to the password page (unless this is it).
 */
export function RequireSession({
  children,
  passwordPage = false,
}: {
  children: ReactNode;
  passwordPage?: boolean;
}) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <PageLoading />;
  if (me.isError) return <Result status="error" title={t.common.loadFailed} subTitle={me.error.message} />;
  if (!me.data) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  if (me.data.mustChangePassword && !passwordPage) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/password?next=${next}`} replace />;
  }
  return children;
}
