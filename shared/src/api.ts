import { z } from 'zod';

/** Server-side paging, sorting and the common list envelope. */
export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  order: z.enum(['asc', 'desc']).default('asc'),
});
export type PageQuery = z.infer<typeof pageQuery>;

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });
}
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export const idParam = z.object({ id: z.uuid() });

/** Optimistic locking: every update, delete and restore names the version it was based on. */
export const versionField = z.coerce.number().int().min(1);
export const versionQuery = z.object({ version: versionField });

export const isoDate = z.iso.date();

export const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** Booleans in query strings: 'true'/'1' and 'false'/'0'. */
export const queryBool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** `anonymise`: the retention job cleared the record's personal content (its earlier snapshots too). */
export const changeActions = ['create', 'update', 'delete', 'restore', 'anonymise'] as const;
export type ChangeAction = (typeof changeActions)[number];

/** One entry of a record's history of changes. */
export const changeEntry = z.object({
  id: z.string(),
  action: z.enum(changeActions),
  version: z.number().int(),
  actorName: z.string(),
  at: z.string(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
});
export type ChangeEntry = z.infer<typeof changeEntry>;
