import { Result } from 'antd';
import { PageLoading } from '@/components/page-loading.tsx';
import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useMe } from '@/features/auth/api.ts';
import { t } from '@/locales/zh-CN/index.ts';

/**
 * Shows its children to a signed-in user and sends everyone else to the login page; a session that
 * owes its second sign-in step goes to the two-factor page first, and a user whose password must be
 * changed to the password page (unless this is it).
 */
export function RequireSession({
  children,
  passwordPage = false,
  twoFactorPage = false,
}: {
  children: ReactNode;
  passwordPage?: boolean;
  twoFactorPage?: boolean;
}) {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <PageLoading />;
  if (me.isError) return <Result status="error" title={t.common.loadFailed} subTitle={me.error.message} />;
  if (!me.data) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  if (me.data.secondFactor && !twoFactorPage) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/two-factor?next=${next}`} replace />;
  }
  if (me.data.mustChangePassword && !passwordPage && !twoFactorPage) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/password?next=${next}`} replace />;
  }
  return children;
}
