import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Page } from '@shiliuzi/shared/api';
import type {
  Assistance,
  AssistanceDecision,
  AssistanceInput,
  AssistanceTotals,
  CaseworkStatistics,
  MustVisitInput,
  MustVisitRule,
  MustVisitTask,
  Pairing,
  PairingInput,
  PairingPatch,
  Visit,
  VisitInput,
  VisitPatch,
  VisitPhoto,
} from '@shiliuzi/shared/casework-visits';
import type {
  CampaignPreview,
  CampaignTarget,
  PlannedVisit,
  VisitCampaign,
  VisitCampaignInput,
} from '@shiliuzi/shared/visit-campaigns';
import { api, uploadFile } from '@/lib/api-client.ts';
import { preparePhoto } from './prepare-photo.ts';

type Params = Record<string, string | number | boolean | undefined>;

// Visits, must-visits, pairing and assistance change one another's figures (a visit closes a
// must-visit and is a pairing's contact), so every change refreshes all of them.
const caseworkRoots = [
  'visits',
  'must-visits',
  'pairings',
  'assistance',
  'casework-statistics',
  'visit-campaigns',
  'planned-visits',
];

function useInvalidateCasework() {
  const queryClient = useQueryClient();
  return () => Promise.all(caseworkRoots.map((key) => queryClient.invalidateQueries({ queryKey: [key] })));
}

function useList<T>(root: string, params: Params, enabled = true) {
  return useQuery({
    queryKey: [root, 'list', params],
    queryFn: () => api<Page<T>>(`/api/${root}`, { query: { ...params } }),
    placeholderData: keepPreviousData,
    enabled,
  });
}

function useOne<T>(root: string, id: string | undefined) {
  return useQuery({
    queryKey: [root, 'one', id ?? ''],
    queryFn: () => api<T>(`/api/${root}/${id}`),
    enabled: Boolean(id),
  });
}

function useWrite<I, T>(request: (input: I) => Promise<T>) {
  const invalidate = useInvalidateCasework();
  return useMutation({ mutationFn: request, onSuccess: invalidate });
}

/** Soft delete and restore of one record of `root`, at its version. */
export function useDeleteRestore<T>(root: string, id: string) {
  const remove = useWrite((version: number) =>
    api<T>(`/api/${root}/${id}`, { method: 'DELETE', query: { version } }),
  );
  const restore = useWrite((version: number) =>
    api<T>(`/api/${root}/${id}/restore`, { method: 'POST', body: { version } }),
  );
  return { remove, restore };
}

export const useVisits = (params: Params, enabled = true) => useList<Visit>('visits', params, enabled);
export const useVisit = (id: string | undefined) => useOne<Visit>('visits', id);
export const useCreateVisit = () =>
  useWrite((input: VisitInput) => api<Visit>('/api/visits', { method: 'POST', body: input }));
export const useUpdateVisit = (id: string) =>
  useWrite((patch: VisitPatch) => api<Visit>(`/api/visits/${id}`, { method: 'PATCH', body: patch }));

/** Redraws a photo (upright, small, without its EXIF) and adds it to a visit. */
export async function uploadVisitPhoto(visitId: string, file: File): Promise<VisitPhoto> {
  const prepared = await preparePhoto(file);
  return uploadFile<VisitPhoto>(
    `/api/visits/${visitId}/photos?fileName=${encodeURIComponent(prepared.name)}`,
    prepared,
  );
}

export const removeVisitPhoto = (visitId: string, photoId: string) =>
  api<Visit>(`/api/visits/${visitId}/photos/${photoId}`, { method: 'DELETE' });

/** After photos changed outside a mutation: the visit and the lists are read again. */
export function useRefreshVisits() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ['visits'] });
}

export const useMustVisits = (params: Params, enabled = true) =>
  useList<MustVisitTask>('must-visits', params, enabled);
export const useRecordMustVisit = () =>
  useWrite((input: MustVisitInput) =>
    api<MustVisitTask>('/api/must-visits', { method: 'POST', body: input }),
  );

export function useOverdueCounts(orgUnitId: string | undefined, by: 'assignee' | 'orgUnit') {
  return useQuery({
    queryKey: ['must-visits', 'overdue', orgUnitId ?? '', by],
    queryFn: () =>
      api<{ id: string | null; name: string | null; overdue: number }[]>('/api/must-visits/overdue', {
        query: { orgUnitId, by },
      }),
    enabled: orgUnitId !== undefined,
  });
}

export function useMustVisitRules(orgUnitId: string | undefined) {
  return useQuery({
    queryKey: ['must-visits', 'rules', orgUnitId ?? ''],
    queryFn: () => api<MustVisitRule[]>('/api/must-visits/rules', { query: { orgUnitId } }),
    enabled: orgUnitId !== undefined,
  });
}

export const useSetMustVisitRule = () =>
  useWrite((input: { orgUnitId: string; kind: string; dueDays: number }) =>
    api<MustVisitRule[]>('/api/must-visits/rules', { method: 'POST', body: input }),
  );

export const usePairings = (params: Params, enabled = true) => useList<Pairing>('pairings', params, enabled);
export const useCreatePairing = () =>
  useWrite((input: PairingInput) => api<Pairing>('/api/pairings', { method: 'POST', body: input }));
export const useUpdatePairing = () =>
  useWrite(({ id, ...patch }: PairingPatch & { id: string }) =>
    api<Pairing>(`/api/pairings/${id}`, { method: 'PATCH', body: patch }),
  );

export const useAssistanceList = (params: Params, enabled = true) =>
  useList<Assistance>('assistance', params, enabled);
export const useCreateAssistance = () =>
  useWrite((input: AssistanceInput) => api<Assistance>('/api/assistance', { method: 'POST', body: input }));
export const useDecideAssistance = () =>
  useWrite(({ id, ...decision }: AssistanceDecision & { id: string }) =>
    api<Assistance>(`/api/assistance/${id}/decision`, { method: 'POST', body: decision }),
  );

export function useAssistanceTotals(params: Params, enabled = true) {
  return useQuery({
    queryKey: ['assistance', 'totals', params],
    queryFn: () => api<AssistanceTotals>('/api/assistance/totals', { query: { ...params } }),
    enabled,
  });
}

export function useCaseworkStatistics(orgUnitId: string | undefined) {
  return useQuery({
    queryKey: ['casework-statistics', orgUnitId ?? ''],
    queryFn: () => api<CaseworkStatistics>('/api/casework/statistics', { query: { orgUnitId } }),
    enabled: orgUnitId !== undefined,
  });
}

// Festival visit campaigns (节日走访).

export const useVisitCampaigns = (params: Params, enabled = true) =>
  useList<VisitCampaign>('visit-campaigns', params, enabled);
export const useVisitCampaign = (id: string | undefined) => useOne<VisitCampaign>('visit-campaigns', id);
export const usePlannedVisits = (params: Params, enabled = true) =>
  useList<PlannedVisit>('planned-visits', params, enabled);

/** What a campaign would plan; asked for when the user presses 预览, never cached. */
export const previewCampaign = (orgUnitId: string, plannedOn: string, target: CampaignTarget) =>
  api<CampaignPreview>('/api/visit-campaigns/preview', {
    query: {
      orgUnitId,
      plannedOn,
      ethnicityCodes: target.ethnicityCodes,
      minorityOnly: target.minorityOnly || undefined,
      flags: target.flags,
    },
  });

export const useCreateCampaign = () =>
  useWrite((input: VisitCampaignInput) =>
    api<VisitCampaign>('/api/visit-campaigns', { method: 'POST', body: input }),
  );
export const useReplanCampaign = (id: string) =>
  useWrite(() =>
    api<{ added: number; campaign: VisitCampaign }>(`/api/visit-campaigns/${id}/replan`, { method: 'POST' }),
  );
