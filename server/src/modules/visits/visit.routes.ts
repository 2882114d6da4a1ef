import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isoDate, idParam, pageOf, pageQuery, queryBool } from '@shiliuzi/shared/api';
import {
  caseworkStatistics,
  mustVisitInput,
  mustVisitKinds,
  mustVisitRule,
  mustVisitRuleInput,
  mustVisitTask,
  overdueCount,
  visit,
  visitInput,
  visitPatch,
  visitPhoto,
  visitPurposes,
  visitSortFields,
} from '@shiliuzi/shared/casework-visits';
import type { Executor } from '../../db/database.ts';
import { Readable } from 'node:stream';
import {
  actorOf,
  attachmentDisposition,
  errorResponses,
  registerRecordRoutes,
  zodRoutes,
} from '../../lib/http.ts';
import { exportFormats } from '../exports/exports.service.ts';
import { sendRegisterFile } from '../exports/exports.routes.ts';
import { caseworkRegisters } from './casework-registers.ts';
import type { StatisticsRunner } from '../statistics/statistics.service.ts';
import { visitService } from './visit.service.ts';
import type { PhotoStore } from './visit-photo.store.ts';
import { photoExtensions } from '@shiliuzi/shared/image-type';

const tags = ['visits'];

const photoParams = z.object({ id: z.uuid(), photoId: z.uuid() });

export function visitRoutes(
  app: FastifyInstance,
  db: Executor,
  statistics: StatisticsRunner,
  photos: PhotoStore,
) {
  const r = zodRoutes(app);

  r.get(
    '/api/casework/statistics',
    {
      schema: {
        tags,
        summary: 'Figures of visits, must-visits, pairing and assistance for the subtree of a unit',
        querystring: z.object({ orgUnitId: z.uuid(), from: isoDate.optional(), to: isoDate.optional() }),
        response: { 200: caseworkStatistics, ...errorResponses },
      },
    },
    // Counted on the statistics worker thread, like the registry figures.
    async (request) => {
      const { orgUnitId, ...period } = request.query;
      return statistics.computeCaseworkStatistics(actorOf(request), orgUnitId, period);
    },
  );

  r.get(
    '/api/visits',
    {
      schema: {
        tags,
        querystring: pageQuery.extend({
          orgUnitId: z.uuid().optional(),
          purpose: z.enum(visitPurposes).optional(),
          from: isoDate.optional(),
          to: isoDate.optional(),
          residentId: z.uuid().optional(),
          householdId: z.uuid().optional(),
          q: z.string().trim().max(50).optional(),
          includeDeleted: queryBool.optional(),
          sort: z.enum(visitSortFields).default('visitedOn'),
        }),
        response: { 200: pageOf(visit), ...errorResponses },
      },
    },
    async (request) => {
      const { page, pageSize, order, sort, orgUnitId, ...filter } = request.query;
      return visitService.listVisits(db, actorOf(request), orgUnitId, filter, sort, {
        page,
        pageSize,
        order,
      });
    },
  );

  r.get(
    '/api/visits/export',
    {
      schema: {
        tags,
        summary: '走访慰问台账 of an org unit’s subtree as .xlsx or .csv (the list’s filters apply)',
        querystring: z.object({
          orgUnitId: z.uuid(),
          format: z.enum(exportFormats).default('xlsx'),
          purpose: z.enum(visitPurposes).optional(),
          from: isoDate.optional(),
          to: isoDate.optional(),
          q: z.string().trim().max(50).optional(),
        }),
        response: { 200: z.custom<Readable>().describe('The register file'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { orgUnitId, format, ...filter } = request.query;
      const file = await caseworkRegisters.prepareVisitRegister(
        db,
        actorOf(request),
        orgUnitId,
        format,
        filter,
      );
      return sendRegisterFile(request, reply, file);
    },
  );

  r.post(
    '/api/visits',
    { schema: { tags, body: visitInput.strict(), response: { 201: visit, ...errorResponses } } },
    async (request, reply) =>
      reply.status(201).send(await visitService.createVisit(db, actorOf(request), request.body)),
  );

  r.patch(
    '/api/visits/:id',
    {
      schema: {
        tags,
        params: idParam,
        body: visitPatch.strict(),
        response: { 200: visit, ...errorResponses },
      },
    },
    async (request) => visitService.updateVisit(db, actorOf(request), request.params.id, request.body),
  );

  registerRecordRoutes(r, '/api/visits', tags, visit, {
    get: (actor, id) => visitService.getVisit(db, actor, id),
    history: (actor, id) => visitService.listVisitHistory(db, actor, id),
    remove: (actor, id, version) => visitService.deleteVisit(db, actor, id, version),
    restore: (actor, id, version) => visitService.restoreVisit(db, actor, id, version),
  });

  // Photos of a visit: uploaded as the raw body (application/octet-stream), like a register file.
  r.post(
    '/api/visits/:id/photos',
    {
      schema: {
        tags,
        summary: 'Add a photo (JPEG, PNG or WebP by content, within the size limit) to a visit',
        params: idParam,
        querystring: z.object({ fileName: z.string().trim().max(200).optional() }),
        response: { 201: visitPhoto, ...errorResponses },
      },
    },
    async (request, reply) => {
      const photo = await visitService.addVisitPhoto(
        db,
        photos,
        actorOf(request),
        request.params.id,
        request.body instanceof Readable ? request.body : undefined,
        request.query.fileName,
      );
      return reply.status(201).send(photo);
    },
  );

  r.get(
    '/api/visits/:id/photos/:photoId',
    {
      schema: {
        tags,
        summary: 'A photo of a visit, shown in the page (or saved with `download=true`)',
        params: photoParams,
        querystring: z.object({ download: queryBool.optional() }),
        response: { 200: z.custom<Readable | Buffer>().describe('The photo'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { photo, storageKey } = await visitService.findVisitPhoto(
        db,
        actorOf(request),
        request.params.id,
        request.params.photoId,
      );
      // Decrypted and checked whole before anything is sent, so a damaged file is a clear error.
      const bytes =
        request.method === 'HEAD'
          ? undefined
          : await photos.read(storageKey, (context, message) => request.log.error(context, message));
      const disposition = attachmentDisposition(
        photo.fileName,
        /^[\x20-\x7e]+$/.test(photo.fileName)
          ? photo.fileName
          : `photo-${photo.id.slice(0, 8)}${photoExtensions[photo.contentType]}`,
      );
      reply
        .header('content-type', photo.contentType)
        .header('content-length', photo.size)
        .header(
          'content-disposition',
          request.query.download ? disposition : disposition.replace(/^attachment/, 'inline'),
        )
        .header('x-content-type-options', 'nosniff')
        // Opened on its own, the photo may run nothing and load nothing.
        .header('content-security-policy', "default-src 'none'; img-src 'self'; sandbox");
      return reply.send(bytes ?? Readable.from([]));
    },
  );

  r.delete(
    '/api/visits/:id/photos/:photoId',
    {
      schema: {
        tags,
        summary: 'Remove a photo from a visit (kept, and named in the visit’s history)',
        params: photoParams,
        response: { 200: visit, ...errorResponses },
      },
    },
    async (request) =>
      visitService.removeVisitPhoto(db, actorOf(request), request.params.id, request.params.photoId),
  );

  // The four must-visits (四个必访).
  r.get(
    '/api/must-visits',
    {
      schema: {
        tags,
        summary: 'Must-visit tasks, by due date; `mine` narrows to the caller’s own',
        querystring: pageQuery.extend({
          orgUnitId: z.uuid().optional(),
          state: z.enum(['open', 'overdue', 'done', 'pending']).optional(),
          kind: z.enum(mustVisitKinds).optional(),
          assigneeId: z.uuid().optional(),
          residentId: z.uuid().optional(),
          mine: queryBool.optional(),
          q: z.string().trim().max(50).optional(),
          includeDeleted: queryBool.optional(),
        }),
        response: { 200: pageOf(mustVisitTask), ...errorResponses },
      },
    },
    async (request) => {
      const { page, pageSize, order, orgUnitId, ...filter } = request.query;
      return visitService.listMustVisits(db, actorOf(request), orgUnitId, filter, { page, pageSize, order });
    },
  );

  r.get(
    '/api/must-visits/overdue',
    {
      schema: {
        tags,
        summary: 'Overdue must-visits counted per assignee or per org unit',
        querystring: z.object({ orgUnitId: z.uuid().optional(), by: z.enum(['assignee', 'orgUnit']) }),
        response: { 200: z.array(overdueCount), ...errorResponses },
      },
    },
    async (request) =>
      visitService.countOverdueMustVisits(db, actorOf(request), request.query.orgUnitId, request.query.by),
  );

  r.post(
    '/api/must-visits',
    {
      schema: {
        tags,
        summary: 'Records a must-visit event for a resident and creates the visit task',
        body: mustVisitInput.strict(),
        response: { 201: mustVisitTask, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await visitService.recordMustVisitEvent(db, actorOf(request), request.body)),
  );

  r.get(
    '/api/must-visits/rules',
    {
      schema: {
        tags,
        summary: 'Days each kind of must-visit may wait in an org unit (nearest setting up the tree)',
        querystring: z.object({ orgUnitId: z.uuid() }),
        response: { 200: z.array(mustVisitRule), ...errorResponses },
      },
    },
    async (request) => visitService.listMustVisitRules(db, actorOf(request), request.query.orgUnitId),
  );

  r.post(
    '/api/must-visits/rules',
    {
      schema: {
        tags,
        body: mustVisitRuleInput.strict(),
        response: { 200: z.array(mustVisitRule), ...errorResponses },
      },
    },
    async (request) => visitService.setMustVisitRule(db, actorOf(request), request.body),
  );

  registerRecordRoutes(r, '/api/must-visits', tags, mustVisitTask, {
    get: (actor, id) => visitService.getMustVisit(db, actor, id),
    history: (actor, id) => visitService.listMustVisitHistory(db, actor, id),
    remove: (actor, id, version) => visitService.deleteMustVisit(db, actor, id, version),
    restore: (actor, id, version) => visitService.restoreMustVisit(db, actor, id, version),
  });
}
