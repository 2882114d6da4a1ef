import { useQuery } from '@tanstack/react-query';
import type { ImportJob, ImportTemplateRecord, SheetLayout } from '@shiliuzi/shared/imports';
import { api, toQueryString, uploadFile } from '@/lib/api-client.ts';

export interface Upload {
  id: string;
  fileName: string;
  size: number;
}

export function uploadRegister(file: File, onProgress: (share: number) => void) {
  return uploadFile<Upload>(
    `/api/imports/uploads${toQueryString({ fileName: file.name })}`,
    file,
    onProgress,
  );
}

export function startImport(input: {
  uploadId: string;
  orgUnitId: string;
  dryRun: boolean;
  holdInvalidIdNumbers: boolean;
  layouts?: SheetLayout[];
  templateId?: string;
}) {
  return api<ImportJob>('/api/imports', { method: 'POST', body: input });
}

/** Polls a running import twice a second until it is done or failed. */
export function useImportJob(id: string | undefined) {
  return useQuery({
    queryKey: ['imports', 'job', id ?? ''],
    queryFn: () => api<ImportJob>(`/api/imports/jobs/${id}`),
    enabled: id !== undefined,
    refetchInterval: (query) => (query.state.data?.state === 'running' ? 500 : false),
    staleTime: 0,
  });
}

/** Saved column mappings usable for an org unit. */
export function useImportTemplates(orgUnitId: string | undefined) {
  return useQuery({
    queryKey: ['imports', 'templates', orgUnitId ?? ''],
    queryFn: () => api<ImportTemplateRecord[]>(`/api/imports/templates${toQueryString({ orgUnitId })}`),
    enabled: orgUnitId !== undefined,
  });
}

export function saveImportTemplate(input: { orgUnitId: string; name: string; layout: SheetLayout }) {
  return api<ImportTemplateRecord>('/api/imports/templates', { method: 'POST', body: input });
}

export function deleteImportTemplate(id: string) {
  return api<null>(`/api/imports/templates/${id}`, { method: 'DELETE' });
}
