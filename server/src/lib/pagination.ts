import type { Page, PageQuery } from '@shiliuzi/shared/api';

export function offsetOf(page: PageQuery): number {
  return (page.page - 1) * page.pageSize;
}

export function toPage<T>(items: T[], total: number, page: PageQuery): Page<T> {
  return { items, total, page: page.page, pageSize: page.pageSize };
}
