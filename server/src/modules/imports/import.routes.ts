import type { FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { idParam } from '@shiliuzi/shared/api';
import { importJob } from '@shiliuzi/shared/imports';
import type { Executor } from '../../db/database.ts';
import { forbidden, invalidInput } from '../../errors.ts';
import { actorOf, errorResponses, zodRoutes } from '../../lib/http.ts';
import { canEditRegistry } from '../../lib/permissions.ts';
import { orgUnitService } from '../org-units/org-unit.service.ts';
import type { ImportJobs } from './import-jobs.ts';

const tags = ['imports'];

/** Largest register file accepted (bytes); the reader applies its own row, column and cell limits. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

export function importRoutes(app: FastifyInstance, db: Executor, jobs: ImportJobs) {
  // The file arrives as the raw request body and is streamed to disk, never held in memory.
  app.addContentTypeParser(
    'application/octet-stream',
    { bodyLimit: MAX_UPLOAD_BYTES },
    (_request, payload, done) => done(null, payload),
  );
  const r = zodRoutes(app);

  r.post(
    '/api/imports/uploads',
    {
      bodyLimit: MAX_UPLOAD_BYTES,
      schema: {
        tags,
        summary: 'Upload a register file (.xlsx, .xls, .csv) as the raw body; answers its id for a dry run',
        querystring: z.object({ fileName: z.string().trim().min(1).max(200) }),
        response: {
          201: z.object({ id: z.string(), fileName: z.string(), size: z.number().int(), sha256: z.string() }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (!canEditRegistry(actor)) throw forbidden();
      if (!(request.body instanceof Readable)) throw invalidInput('import_upload_body');
      const upload = await jobs.saveUpload(actor, request.query.fileName, request.body);
      return reply.status(201).send(upload);
    },
  );

  r.post(
    '/api/imports',
    {
      schema: {
        tags,
        summary: 'Start a dry run (preview) or the commit of an uploaded register into an org unit',
        body: z
          .object({
            uploadId: z.uuid(),
            orgUnitId: z.uuid(),
            dryRun: z.boolean(),
            holdInvalidIdNumbers: z.boolean().default(false),
          })
          .strict(),
        response: { 202: importJob, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      // The target is resolved here, so a unit outside the scope is refused at once, like everywhere.
      await orgUnitService.requireOrgUnit(db, actor, request.body.orgUnitId);
      if (!canEditRegistry(actor)) throw forbidden();
      return reply.status(202).send(jobs.start(actor, request.body));
    },
  );

  r.get(
    '/api/imports/jobs/:id',
    {
      schema: {
        tags,
        summary: 'Progress and, when done, the report of an import job (poll it)',
        params: idParam,
        response: { 200: importJob, ...errorResponses },
      },
    },
    async (request) => jobs.getJob(actorOf(request), request.params.id),
  );
}
