import { z } from 'zod';
import { isoDate } from './api.ts';

/** One row of the audit log as an auditor sees it. */
export const auditEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  userId: z.string().nullable(),
  username: z.string().nullable(),
  roles: z.string().nullable(),
  orgUnitId: z.string().nullable(),
  ip: z.string().nullable(),
  action: z.string(),
  objectType: z.string().nullable(),
  objectId: z.string().nullable(),
  result: z.enum(['ok', 'denied', 'failed']),
  reason: z.string().nullable(),
  detail: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntry>;

/** Filters of the audit log: a period (dates in China time, inclusive), who, what, with what result. */
export const auditFilter = z.object({
  from: isoDate.optional(),
  to: isoDate.optional(),
  username: z.string().trim().min(1).max(50).optional(),
  action: z.string().trim().min(1).max(100).optional(),
  result: z.enum(['ok', 'denied', 'failed']).optional(),
});
export type AuditFilter = z.infer<typeof auditFilter>;
