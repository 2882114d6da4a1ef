import { downloadFile } from '@/lib/api-client.ts';

/** Generates the 基本情况 report for an org unit and saves it; resolves with the file name. */
export function downloadBasicReport(orgUnitId: string, to?: string) {
  return downloadFile('/api/reports/basic', { orgUnitId, to });
}
