import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Page } from '@shiliuzi/shared/api';
import type {
  Dispute,
  DisputeInput,
  DisputePatch,
  DisputeStatistics,
  DisputeStepInput,
} from '@shiliuzi/shared/casework-disputes';
import type { PetitionFigures } from '@shiliuzi/shared/casework-petitions';
import { api } from '@/lib/api-client.ts';

export interface DisputeListParams {
  orgUnitId?: string | undefined;
  outcome?: string | undefined;
  handlingLevel?: string | undefined;
  category?: string | undefined;
  riskLevel?: string | undefined;
  q?: string | undefined;
  includeDeleted?: boolean | undefined;
  page?: number;
  pageSize?: number;
}

export function useDisputes(params: DisputeListParams, enabled = true) {
  return useQuery({
    queryKey: ['disputes', 'list', params],
    queryFn: () => api<Page<Dispute>>('/api/disputes', { query: { ...params } }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useDispute(id: string | undefined) {
  return useQuery({
    queryKey: ['disputes', 'one', id ?? ''],
    queryFn: () => api<Dispute>(`/api/disputes/${id}`),
    enabled: Boolean(id),
  });
}

/** Dispute, petition and hotline figures of an org subtree for this year (counted on the server). */
export function useDisputePetitionFigures(orgUnitId: string | undefined) {
  return useQuery({
    queryKey: ['disputes', 'figures', orgUnitId ?? ''],
    queryFn: () =>
      api<{ disputes: DisputeStatistics; petitions: PetitionFigures; hotline: PetitionFigures }>(
        `/api/org-units/${orgUnitId}/dispute-petition-statistics`,
      ),
    enabled: Boolean(orgUnitId),
  });
}

function useInvalidateDisputes() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['disputes'] });
}

export function useCreateDispute() {
  const invalidate = useInvalidateDisputes();
  return useMutation({
    mutationFn: (input: DisputeInput) => api<Dispute>('/api/disputes', { method: 'POST', body: input }),
    onSuccess: invalidate,
  });
}

export function useUpdateDispute(id: string) {
  const invalidate = useInvalidateDisputes();
  return useMutation({
    mutationFn: (patch: DisputePatch) =>
      api<Dispute>(`/api/disputes/${id}`, { method: 'PATCH', body: patch }),
    onSuccess: invalidate,
  });
}

export function useAddMediationStep(id: string) {
  const invalidate = useInvalidateDisputes();
  return useMutation({
    mutationFn: (step: DisputeStepInput) =>
      api<Dispute>(`/api/disputes/${id}/steps`, { method: 'POST', body: step }),
    onSuccess: invalidate,
  });
}

export function useDeleteDispute() {
  const invalidate = useInvalidateDisputes();
  return useMutation({
    mutationFn: ({ id, version }: { id: string; version: number }) =>
      api<Dispute>(`/api/disputes/${id}`, { method: 'DELETE', query: { version } }),
    onSuccess: invalidate,
  });
}

export function useRestoreDispute() {
  const invalidate = useInvalidateDisputes();
  return useMutation({
    mutationFn: ({ id, version }: { id: string; version: number }) =>
      api<Dispute>(`/api/disputes/${id}/restore`, { method: 'POST', body: { version } }),
    onSuccess: invalidate,
  });
}
