import { PassThrough, type Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { queryBool } from '@shiliuzi/shared/api';
import type { Executor } from '../../db/database.ts';
import { actorOf, attachmentDisposition, errorResponses, zodRoutes } from '../../lib/http.ts';
import { ExportAborted } from './register-writers.ts';
import { exportFormats, exportService, registerKinds, type RegisterFile } from './exports.service.ts';

const tags = ['exports'];

const registerParam = z.object({ register: z.enum(registerKinds) });

/**
 * Sends a register file as a download, streamed as it is written. A HEAD request gets the headers
 * only (the checks have run), without the export.
 */
export function sendRegisterFile(request: FastifyRequest, reply: FastifyReply, file: RegisterFile) {
  reply
    .header('content-type', file.contentType)
    .header('content-disposition', attachmentDisposition(file.fileName, file.asciiFileName))
    .header('cache-control', 'no-store');
  if (request.method === 'HEAD') return reply.send();
  const body = new PassThrough();
  file.writeTo(body).catch((error: unknown) => {
    if (error instanceof ExportAborted) request.log.info('register export aborted by the client');
    else request.log.error({ err: error }, 'register export failed');
    body.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return reply.send(body);
}

export function exportRoutes(app: FastifyInstance, db: Executor) {
  const r = zodRoutes(app);
  const fileResponse = (what: string) => ({
    200: z.custom<Readable>().describe(what),
    ...errorResponses,
  });

  r.get(
    '/api/exports/templates/:register',
    {
      schema: {
        tags,
        summary: 'An empty register to fill in (.xlsx): the title and header rows of the export',
        params: registerParam,
        response: fileResponse('The .xlsx template'),
      },
    },
    async (request, reply) =>
      sendRegisterFile(request, reply, exportService.registerTemplate(request.params.register)),
  );

  r.get(
    '/api/exports/:register',
    {
      schema: {
        tags,
        summary: 'A register of an org unit’s subtree as .xlsx or .csv, streamed',
        description:
          'residents (全部居民台账), minority (少数民族居民台账), floating (流动人口台账) or dwellings ' +
          '(房屋台账) of the org unit and every unit under it, as of today. ID numbers, phones and ' +
          'addresses (entrance and room) are masked unless `reveal=true`, which only roles that may ' +
          'reveal can ask for (403 otherwise). ' +
          'CSV is UTF-8 with a byte-order mark and CRLF line ends; cells that would run as formulas ' +
          'start with an apostrophe in both formats.',
        params: registerParam,
        querystring: z.object({
          orgUnitId: z.uuid(),
          format: z.enum(exportFormats).optional(),
          reveal: queryBool.optional(),
        }),
        response: fileResponse('The .xlsx or .csv file'),
      },
    },
    async (request, reply) => {
      const { orgUnitId, format, reveal } = request.query;
      const file = await exportService.prepareRegisterExport(db, actorOf(request), {
        register: request.params.register,
        orgUnitId,
        format: format ?? 'xlsx',
        reveal: reveal ?? false,
      });
      return sendRegisterFile(request, reply, file);
    },
  );
}
