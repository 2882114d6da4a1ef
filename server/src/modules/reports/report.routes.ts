import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isoDate } from '@shiliuzi/shared/api';
import { actorOf, attachmentDisposition, errorResponses, zodRoutes } from '../../lib/http.ts';
import type { ReportRunner } from './report.service.ts';

const tags = ['reports'];

export const DOCX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export function reportRoutes(app: FastifyInstance, reports: ReportRunner) {
  const r = zodRoutes(app);

  r.get(
    '/api/reports/basic',
    {
      schema: {
        tags,
        summary: 'The basic-situation report of an org unit’s subtree, as a Word document (.docx)',
        description:
          'Figures as of `to` (default today), moves counted from `from` (default 1 January of that year); ' +
          'the same figures as GET /api/org-units/:id/statistics. Answers the .docx file as an attachment.',
        querystring: z.object({ orgUnitId: z.uuid(), from: isoDate.optional(), to: isoDate.optional() }),
        response: {
          200: z.custom<Buffer>().describe(`The .docx file (${DOCX_CONTENT_TYPE})`),
          ...errorResponses,
        },
      },
    },
    // Built on a worker thread: a street's figures and document must not stall other requests.
    async (request, reply) => {
      const { orgUnitId, ...period } = request.query;
      const report = await reports.generateBasicReport(actorOf(request), orgUnitId, period);
      return reply
        .header('content-type', DOCX_CONTENT_TYPE)
        .header('content-disposition', attachmentDisposition(report.fileName, report.asciiFileName))
        .header('cache-control', 'no-store')
        .send(Buffer.from(report.buffer.buffer, report.buffer.byteOffset, report.buffer.byteLength));
    },
  );
}
