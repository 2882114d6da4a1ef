import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { useMe } from '@/features/auth/api.ts';

/**
 * The org unit every page is scoped to: `?org=<id>` in the address (so a link or a reload keeps it),
 * the user's own unit when none is given.
 */
export function useSelectedOrg() {
  const [searchParams, setSearchParams] = useSearchParams();
  const me = useMe();
  const orgUnitId = searchParams.get('org') ?? me.data?.orgUnitId;
  const setOrgUnitId = useCallback(
    (id: string) =>
      setSearchParams((params) => {
        const next = new URLSearchParams(params);
        next.set('org', id);
        next.delete('page');
        return next;
      }),
    [setSearchParams],
  );
  return { orgUnitId, setOrgUnitId };
}

/** A link to `path` that keeps the selected org unit. */
export function useOrgLink() {
  const { orgUnitId } = useSelectedOrg();
  return useCallback(
    (path: string) => (orgUnitId ? `${path}${path.includes('?') ? '&' : '?'}org=${orgUnitId}` : path),
    [orgUnitId],
  );
}
