import type { PageQuery } from '@shiliuzi/shared/api';
import { offsetOf } from '../lib/pagination.ts';
import type { Executor } from './database.ts';
import { dialectOf } from './dialect-of.ts';

/**
 * A page of rows and the total they were taken from. On SQLite (one connection, queries in turn)
 * the page runs first and a page that is not full gives the total by itself, so the count is
 * skipped: a lookup by ID number costs one query. On PostgreSQL both run at once on the pool.
 */
export async function pageWithTotal<R>(
  db: Executor,
  page: PageQuery,
  selectRows: () => Promise<R[]>,
  countRows: () => Promise<{ total: number | string | bigint }>,
): Promise<{ rows: R[]; total: number }> {
  if (dialectOf(db).name === 'postgres') {
    const [rows, count] = await Promise.all([selectRows(), countRows()]);
    return { rows, total: Number(count.total) };
  }
  const rows = await selectRows();
  if (rows.length < page.pageSize && (rows.length > 0 || page.page === 1)) {
    return { rows, total: offsetOf(page) + rows.length };
  }
  return { rows, total: Number((await countRows()).total) };
}
