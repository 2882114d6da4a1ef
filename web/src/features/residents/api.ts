import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Page } from '@shiliuzi/shared/api';
import type {
  Resident,
  ResidentInput,
  ResidentPatch,
  ResidentSummary,
  RevealableResidentField,
} from '@shiliuzi/shared/residents';
import { api } from '@/lib/api-client.ts';

export interface ResidentListParams {
  orgUnitId?: string | undefined;
  q?: string | undefined;
  ethnicityCode?: string | undefined;
  minority?: boolean | undefined;
  residenceType?: string | undefined;
  gender?: string | undefined;
  householdId?: string | undefined;
  dwellingId?: string | undefined;
  flags?: string[] | undefined;
  ageMin?: number | undefined;
  ageMax?: number | undefined;
  deleted?: 'live' | 'deleted' | 'all' | undefined;
  review?: boolean | undefined;
  sort?: string | undefined;
  order?: 'asc' | 'desc' | undefined;
  page?: number;
  pageSize?: number;
}

export const residentKeys = {
  all: ['residents'] as const,
  list: (params: ResidentListParams) => ['residents', 'list', params] as const,
  one: (id: string) => ['residents', 'one', id] as const,
};

export function useResidents(params: ResidentListParams, enabled = true) {
  return useQuery({
    queryKey: residentKeys.list(params),
    queryFn: () => api<Page<ResidentSummary>>('/api/residents', { query: { ...params } }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useResident(id: string | undefined) {
  return useQuery({
    queryKey: residentKeys.one(id ?? ''),
    queryFn: () => api<Resident>(`/api/residents/${id}`),
    enabled: id !== undefined,
  });
}

/** Every change to residents refreshes lists, details and the figures that count them. */
function useInvalidateResidents() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: residentKeys.all }),
      queryClient.invalidateQueries({ queryKey: ['households'] }),
      queryClient.invalidateQueries({ queryKey: ['statistics'] }),
    ]);
}

export function useCreateResident() {
  const invalidate = useInvalidateResidents();
  return useMutation({
    mutationFn: (input: ResidentInput) => api<Resident>('/api/residents', { method: 'POST', body: input }),
    onSuccess: invalidate,
  });
}

export function useUpdateResident(id: string) {
  const invalidate = useInvalidateResidents();
  return useMutation({
    mutationFn: (patch: ResidentPatch) =>
      api<Resident>(`/api/residents/${id}`, { method: 'PATCH', body: patch }),
    onSuccess: invalidate,
  });
}

export function useDeleteResident() {
  const invalidate = useInvalidateResidents();
  return useMutation({
    mutationFn: ({ id, version }: { id: string; version: number }) =>
      api<Resident>(`/api/residents/${id}`, { method: 'DELETE', query: { version } }),
    onSuccess: invalidate,
  });
}

export function useRestoreResident() {
  const invalidate = useInvalidateResidents();
  return useMutation({
    mutationFn: ({ id, version }: { id: string; version: number }) =>
      api<Resident>(`/api/residents/${id}/restore`, { method: 'POST', body: { version } }),
    onSuccess: invalidate,
  });
}

/** Asks the server for one unmasked value; each call is its own (auditable) act, never cached. */
export function revealResidentField(id: string, field: RevealableResidentField, reason: string) {
  return api<{ value: string | null }>(`/api/residents/${id}/reveal`, {
    method: 'POST',
    body: { field, reason },
  });
}
