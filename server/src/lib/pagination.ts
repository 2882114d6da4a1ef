import type { Page, PageQuery } from '@shiliuzi/shared/api';

export function offsetOf(page: PageQuery): number {
  return (page.page - 1) * page.pageSize;
}

export function toPage<T>(items: T[], total: number, page: PageQuery): Page<T> {
  return { items, total, page: page.page, pageSize: page.pageSize };
}

/** Case-insensitive containment, as the lists' SQL searches match (LIKE, ILIKE). */
export function containsText(text: string | null, query: string): boolean {
  return text !== null && text.toLowerCase().includes(query.toLowerCase());
}

/**
 * A page of the rows (already in list order) that `matches` accepts, and how many do: for searches
 * the database cannot run because the text is stored sealed.
 */
export function pageOfMatches<R extends { id: string }>(
  rows: readonly R[],
  matches: (row: R) => boolean,
  page: PageQuery,
): { ids: string[]; total: number } {
  const ids: string[] = [];
  const from = offsetOf(page);
  let total = 0;
  for (const row of rows) {
    if (!matches(row)) continue;
    if (total >= from && ids.length < page.pageSize) ids.push(row.id);
    total += 1;
  }
  return { ids, total };
}
