import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Page } from '@shiliuzi/shared/api';
import type {
  RetentionPolicyInput,
  RetentionRecordType,
  RetentionRun,
  RetentionSettings,
} from '@shiliuzi/shared/retention';
import { api, toQueryString } from '@/lib/api-client.ts';

const retentionKey = ['retention'] as const;

/** The period and action in force for every record type, and whether the server runs the job daily. */
export function useRetentionSettings() {
  return useQuery({
    queryKey: [...retentionKey, 'policies'],
    queryFn: () => api<RetentionSettings>('/api/retention/policies'),
  });
}

export function useSetRetentionPolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ recordType, ...input }: RetentionPolicyInput & { recordType: RetentionRecordType }) =>
      api<RetentionSettings>(`/api/retention/policies/${recordType}`, { method: 'PUT', body: input }),
    onSuccess: (settings) => queryClient.setQueryData([...retentionKey, 'policies'], settings),
  });
}

/** Runs the job now (or a dry run); answers its report, and the list of runs is read again. */
export function useRunRetention() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (dryRun: boolean) =>
      api<RetentionRun>('/api/retention/runs', { method: 'POST', body: { dryRun } }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: [...retentionKey, 'runs'] }),
  });
}

export function useRetentionRuns(page: number, pageSize: number) {
  return useQuery({
    queryKey: [...retentionKey, 'runs', page, pageSize],
    queryFn: () => api<Page<RetentionRun>>(`/api/retention/runs${toQueryString({ page, pageSize })}`),
    placeholderData: keepPreviousData,
  });
}
