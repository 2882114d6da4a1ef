import { useQuery } from '@tanstack/react-query';
import type { Page } from '@shiliuzi/shared/api';
import type { Place } from '@shiliuzi/shared/places';
import { api } from '@/lib/api-client.ts';

/** Places directly under `parentId` (or the top-level places of the org subtree for `root`). */
export async function fetchPlaceChildren(orgUnitId: string, parentId: string | 'root'): Promise<Place[]> {
  const items: Place[] = [];
  for (let page = 1; ; page++) {
    const result = await api<Page<Place>>('/api/places', {
      query: { orgUnitId, parentId, pageSize: 200, page, sort: 'name' },
    });
    items.push(...result.items);
    if (items.length >= result.total || result.items.length === 0) return items;
  }
}

export function usePlace(id: string | undefined) {
  return useQuery({
    queryKey: ['places', 'one', id ?? ''],
    queryFn: () => api<Place>(`/api/places/${id}`),
    enabled: id !== undefined,
  });
}
