import { useQuery } from '@tanstack/react-query';
import type { Page } from '@shiliuzi/shared/api';
import type { OrgUnit } from '@shiliuzi/shared/org-units';
import { api } from '@/lib/api-client.ts';

export const orgUnitKeys = {
  all: ['org-units'] as const,
  one: (id: string) => ['org-units', 'one', id] as const,
  children: (parentId: string, type?: string) => ['org-units', 'children', parentId, type ?? ''] as const,
  ancestors: (id: string) => ['org-units', 'ancestors', id] as const,
};

export function fetchOrgUnit(id: string) {
  return api<OrgUnit>(`/api/org-units/${id}`);
}

/** Direct children of an org unit (a street's communities, a community's grids and member units). */
export async function fetchOrgChildren(parentId: string, type?: string): Promise<OrgUnit[]> {
  const page = await api<Page<OrgUnit>>('/api/org-units', {
    query: { parentId, type, pageSize: 200, sort: 'code' },
  });
  return page.items;
}

export function useOrgUnit(id: string | undefined) {
  return useQuery({
    queryKey: orgUnitKeys.one(id ?? ''),
    queryFn: () => fetchOrgUnit(id!),
    enabled: id !== undefined,
    staleTime: 5 * 60_000,
  });
}

export function useOrgChildren(parentId: string | undefined, type?: string) {
  return useQuery({
    queryKey: orgUnitKeys.children(parentId ?? '', type),
    queryFn: () => fetchOrgChildren(parentId!, type),
    enabled: parentId !== undefined,
    staleTime: 5 * 60_000,
  });
}

/** The visible chain from the user's unit down to `id`, for breadcrumbs. */
export function useOrgAncestors(id: string | undefined) {
  return useQuery({
    queryKey: orgUnitKeys.ancestors(id ?? ''),
    queryFn: () => api<OrgUnit[]>(`/api/org-units/${id}/ancestors`),
    enabled: id !== undefined,
    staleTime: 5 * 60_000,
  });
}
