import { Navigate } from 'react-router';
import { useMe } from '@/features/auth/api.ts';
import { homeSection } from './sections.tsx';

/** The first page after signing in: the registers, or the audit log for an auditor. */
export function HomeRedirect() {
  const me = useMe().data;
  return <Navigate to={`/${homeSection(me ?? { roles: [], wholeTree: false })}`} replace />;
}
