import { useQuery } from '@tanstack/react-query';
import type { RegistryStatistics } from '@shiliuzi/shared/statistics';
import { api } from '@/lib/api-client.ts';

/** The registry figures of an org subtree, counted by the server's statistics code. */
export function useStatistics(orgUnitId: string | undefined, to?: string) {
  return useQuery({
    queryKey: ['statistics', orgUnitId ?? '', to ?? ''],
    queryFn: () => api<RegistryStatistics>(`/api/org-units/${orgUnitId}/statistics`, { query: { to } }),
    enabled: orgUnitId !== undefined,
  });
}
