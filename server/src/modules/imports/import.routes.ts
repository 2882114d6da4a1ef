import type { FastifyInstance } from 'fastify';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { idParam } from '@shiliuzi/shared/api';
import { importJob, importTemplate, sheetLayout } from '@shiliuzi/shared/imports';
import type { Executor } from '../../db/database.ts';
import { forbidden, invalidInput } from '../../errors.ts';
import { actorOf, errorResponses, zodRoutes } from '../../lib/http.ts';
import { canEditRegistry } from '../../lib/permissions.ts';
import { orgUnitService } from '../org-units/org-unit.service.ts';
import type { ImportJobs } from './import-jobs.ts';
import { importTemplateService, templateMapping } from './import-template.service.ts';

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
            /** Layouts corrected by the user after a dry run (as the report gave them). */
            layouts: z.array(sheetLayout).max(100).optional(),
            /** A saved mapping to apply to the detected layouts. */
            templateId: z.uuid().optional(),
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
      const { templateId, ...options } = request.body;
      const template = templateId
        ? templateMapping(await importTemplateService.requireTemplate(db, actor, templateId))
        : undefined;
      return reply.status(202).send(jobs.start(actor, { ...options, template }));
    },
  );

  r.get(
    '/api/imports/templates',
    {
      schema: {
        tags,
        summary: 'Saved column mappings usable for an org unit (its own and those of the units above it)',
        querystring: z.object({ orgUnitId: z.uuid() }),
        response: { 200: z.array(importTemplate), ...errorResponses },
      },
    },
    async (request) => importTemplateService.listTemplates(db, actorOf(request), request.query.orgUnitId),
  );

  r.post(
    '/api/imports/templates',
    {
      schema: {
        tags,
        summary: "Save a sheet's (corrected) column mapping under a name; the same name replaces it",
        body: z
          .object({ orgUnitId: z.uuid(), name: z.string().trim().min(1).max(50), layout: sheetLayout })
          .strict(),
        response: { 201: importTemplate, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await importTemplateService.saveTemplate(db, actorOf(request), request.body)),
  );

  r.delete(
    '/api/imports/templates/:id',
    {
      schema: {
        tags,
        summary: 'Delete a saved column mapping',
        params: idParam,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await importTemplateService.deleteTemplate(db, actorOf(request), request.params.id);
      return reply.status(204).send(null);
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
