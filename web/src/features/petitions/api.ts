import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Page } from '@shiliuzi/shared/api';
import type {
  Petition,
  PetitionFigures,
  PetitionInput,
  PetitionSla,
  PetitionSlaInput,
  PetitionStatusChange,
} from '@shiliuzi/shared/casework-petitions';
import type { DisputeStatistics } from '@shiliuzi/shared/casework-disputes';
import { api } from '@/lib/api-client.ts';

export interface PetitionListParams {
  orgUnitId?: string | undefined;
  hotline?: boolean | undefined;
  channel?: string | undefined;
  status?: string | undefined;
  overdue?: boolean | undefined;
  q?: string | undefined;
  includeDeleted?: boolean | undefined;
  page?: number;
  pageSize?: number;
}

export function usePetitions(params: PetitionListParams, enabled = true) {
  return useQuery({
    queryKey: ['petitions', 'list', params],
    queryFn: () => api<Page<Petition>>('/api/petitions', { query: { ...params } }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function usePetition(id: string | undefined) {
  return useQuery({
    queryKey: ['petitions', 'one', id ?? ''],
    queryFn: () => api<Petition>(`/api/petitions/${id}`),
    enabled: Boolean(id),
  });
}

/** Petition and hotline figures of an org subtree for this year (counted on the server). */
export function usePetitionFigures(orgUnitId: string | undefined) {
  return useQuery({
    queryKey: ['petitions', 'figures', orgUnitId ?? ''],
    queryFn: () =>
      api<{ disputes: DisputeStatistics; petitions: PetitionFigures; hotline: PetitionFigures }>(
        `/api/org-units/${orgUnitId}/dispute-petition-statistics`,
      ),
    enabled: Boolean(orgUnitId),
  });
}

function useInvalidatePetitions() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['petitions'] });
}

export function useCreatePetition() {
  const invalidate = useInvalidatePetitions();
  return useMutation({
    mutationFn: (input: PetitionInput) => api<Petition>('/api/petitions', { method: 'POST', body: input }),
    onSuccess: invalidate,
  });
}

export function useChangePetitionStatus(id: string) {
  const invalidate = useInvalidatePetitions();
  return useMutation({
    mutationFn: (change: PetitionStatusChange) =>
      api<Petition>(`/api/petitions/${id}/status`, { method: 'POST', body: change }),
    onSuccess: invalidate,
  });
}

export function useDeletePetition() {
  const invalidate = useInvalidatePetitions();
  return useMutation({
    mutationFn: ({ id, version }: { id: string; version: number }) =>
      api<Petition>(`/api/petitions/${id}`, { method: 'DELETE', query: { version } }),
    onSuccess: invalidate,
  });
}

export function useRestorePetition() {
  const invalidate = useInvalidatePetitions();
  return useMutation({
    mutationFn: ({ id, version }: { id: string; version: number }) =>
      api<Petition>(`/api/petitions/${id}/restore`, { method: 'POST', body: { version } }),
    onSuccess: invalidate,
  });
}

/** Answer deadlines (days) by channel in force for an org unit, and which the unit set itself. */
export function usePetitionSla(orgUnitId: string | undefined) {
  return useQuery({
    queryKey: ['petitions', 'sla', orgUnitId ?? ''],
    queryFn: () => api<PetitionSla>('/api/petitions/sla', { query: { orgUnitId } }),
    enabled: Boolean(orgUnitId),
  });
}

/** Sets one channel's deadline for an org unit; the units below that inherit it change too. */
export function useSetPetitionSla() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: PetitionSlaInput) =>
      api<PetitionSla>('/api/petitions/sla', { method: 'POST', body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['petitions', 'sla'] }),
  });
}
