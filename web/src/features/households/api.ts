import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { Page } from '@shiliuzi/shared/api';
import type { Household, RevealableHouseholdField } from '@shiliuzi/shared/households';
import type { ResidentSummary } from '@shiliuzi/shared/residents';
import { api } from '@/lib/api-client.ts';

export interface HouseholdListParams {
  orgUnitId?: string | undefined;
  dwellingId?: string | undefined;
  q?: string | undefined;
  includeDeleted?: boolean | undefined;
  sort?: string | undefined;
  order?: 'asc' | 'desc' | undefined;
  page?: number;
  pageSize?: number;
}

export function useHouseholds(params: HouseholdListParams, enabled = true) {
  return useQuery({
    queryKey: ['households', 'list', params],
    queryFn: () => api<Page<Household>>('/api/households', { query: { ...params } }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useHousehold(id: string | undefined | null) {
  return useQuery({
    queryKey: ['households', 'one', id ?? ''],
    queryFn: () => api<Household>(`/api/households/${id}`),
    enabled: Boolean(id),
  });
}

export function useHouseholdMembers(id: string | undefined) {
  return useQuery({
    queryKey: ['households', 'members', id ?? ''],
    queryFn: () => api<ResidentSummary[]>(`/api/households/${id}/members`),
    enabled: id !== undefined,
  });
}

/** Asks the server for one unmasked address; each call is its own (auditable) act, never cached. */
export function revealHouseholdField(id: string, field: RevealableHouseholdField, reason: string) {
  return api<{ value: string | null }>(`/api/households/${id}/reveal`, {
    method: 'POST',
    body: { field, reason },
  });
}
