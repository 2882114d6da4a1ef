import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Page } from '@shiliuzi/shared/api';
import type { AuditEntry, AuditFilter } from '@shiliuzi/shared/audit';
import { api, downloadFile, toQueryString } from '@/lib/api-client.ts';

export function useAuditEntries(filter: AuditFilter, page: number, pageSize: number) {
  return useQuery({
    queryKey: ['audit', filter, page, pageSize],
    queryFn: () => api<Page<AuditEntry>>(`/api/audit${toQueryString({ ...filter, page, pageSize })}`),
    placeholderData: keepPreviousData,
  });
}

export function exportAudit(filter: AuditFilter) {
  return downloadFile('/api/audit/export', { ...filter });
}
