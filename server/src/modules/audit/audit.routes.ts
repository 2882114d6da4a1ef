import { PassThrough, type Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { pageOf, pageQuery } from '@shiliuzi/shared/api';
import { auditEntry, auditFilter } from '@shiliuzi/shared/audit';
import type { Executor } from '../../db/database.ts';
import { actorOf, attachmentDisposition, errorResponses, zodRoutes } from '../../lib/http.ts';
import { localDateText } from '@shiliuzi/shared/dates';
import { auditReadService } from './audit.service.ts';

const tags = ['audit'];

/** The audit log for auditors: a filtered page, or the whole filtered log as CSV. */
export function auditRoutes(app: FastifyInstance, db: Executor) {
  const r = zodRoutes(app);

  r.get(
    '/api/audit',
    {
      schema: {
        tags,
        summary: 'Audit log entries of your subtree, newest first (auditors only)',
        querystring: auditFilter.extend(pageQuery.shape),
        response: { 200: pageOf(auditEntry), ...errorResponses },
      },
    },
    async (request) => {
      const { page, pageSize, order, ...filter } = request.query;
      return auditReadService.listEntries(db, actorOf(request), filter, { page, pageSize, order });
    },
  );

  r.get(
    '/api/audit/export',
    {
      schema: {
        tags,
        summary: 'The filtered audit log of your subtree as CSV, oldest first (auditors only)',
        querystring: auditFilter,
        response: { 200: z.custom<Readable>().describe('CSV, UTF-8 with BOM'), ...errorResponses },
      },
    },
    async (request, reply) => {
      // Checked before the answer starts: a refusal is a plain error, not a broken download.
      const writeTo = auditReadService.exportEntries(db, actorOf(request), request.query);
      const body = new PassThrough();
      writeTo(body).catch((error: unknown) => {
        request.log.error({ err: error }, 'audit export failed');
        body.destroy(error instanceof Error ? error : new Error(String(error)));
      });
      const day = localDateText(new Date());
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', attachmentDisposition(`审计日志-${day}.csv`, `audit-${day}.csv`))
        .header('cache-control', 'no-store')
        .send(body);
    },
  );
}
