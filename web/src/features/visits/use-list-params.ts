import { useSearchParams } from 'react-router';

/** A list's filters, sort and page kept in the address, so a reload or a shared link keeps them. */
export function useListParams() {
  const [params, setParams] = useSearchParams();
  const get = (key: string) => params.get(key) ?? undefined;
  const set = (patch: Record<string, string | undefined>) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      for (const [key, value] of Object.entries(patch)) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      if (!('page' in patch)) next.delete('page');
      return next;
    });
  const page = Number(params.get('page') ?? 1);
  const pageSize = Number(params.get('pageSize') ?? 20);
  return { get, set, page, pageSize };
}

/** Antd pagination bound to the address. */
export function paginationOf(
  data: { page: number; pageSize: number; total: number } | undefined,
  list: ReturnType<typeof useListParams>,
  showTotal: (n: number) => string,
) {
  return {
    current: data?.page ?? list.page,
    pageSize: data?.pageSize ?? list.pageSize,
    total: data?.total ?? 0,
    showTotal,
    onChange: (p: number, size: number) => list.set({ page: String(p), pageSize: String(size) }),
  };
}
