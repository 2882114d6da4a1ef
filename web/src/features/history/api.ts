import { useQuery } from '@tanstack/react-query';
import type { ChangeEntry } from '@shiliuzi/shared/api';
import { api } from '@/lib/api-client.ts';

/** The change history of one record, e.g. `residents` + id. */
export type HistoryCollection =
  | 'residents'
  | 'households'
  | 'places'
  | 'disputes'
  | 'petitions'
  | 'visits'
  | 'must-visits'
  | 'pairings'
  | 'assistance';

export function useHistory(collection: HistoryCollection, id: string) {
  return useQuery({
    queryKey: [collection, 'history', id],
    queryFn: () => api<ChangeEntry[]>(`/api/${collection}/${id}/history`),
  });
}
