import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idParam, pageOf, pageQuery, queryBool } from '@shiliuzi/shared/api';
import { ethnicityCodeSchema } from '@shiliuzi/shared/ethnicity';
import { genders, residenceTypes, residentFlags } from '@shiliuzi/shared/registry';
import {
  resident,
  residentInput,
  residentSummary,
  residentPatch,
  residentSortFields,
  revealableResidentFields,
} from '@shiliuzi/shared/residents';
import type { Executor } from '../../db/database.ts';
import { actorOf, errorResponses, registerRecordRoutes, zodRoutes } from '../../lib/http.ts';
import { residentService } from './resident.service.ts';

const tags = ['residents'];

/** Comma-separated list in a query string, e.g. `flags=hardship,disabled`. */
const flagList = z
  .string()
  .transform((s) => s.split(',').filter(Boolean))
  .pipe(z.array(z.enum(residentFlags)));

export function residentRoutes(app: FastifyInstance, db: Executor) {
  const r = zodRoutes(app);

  r.get(
    '/api/residents',
    {
      schema: {
        tags,
        summary: 'Search and list residents; ID numbers and phones are masked',
        querystring: pageQuery.extend({
          orgUnitId: z.uuid().optional(),
          q: z.string().trim().max(50).optional(),
          ethnicityCode: ethnicityCodeSchema.optional(),
          minority: queryBool.optional(),
          residenceType: z.enum(residenceTypes).optional(),
          gender: z.enum(genders).optional(),
          householdId: z.uuid().optional(),
          dwellingId: z.uuid().optional(),
          flags: flagList.optional(),
          ageMin: z.coerce.number().int().min(0).max(150).optional(),
          ageMax: z.coerce.number().int().min(0).max(150).optional(),
          deleted: z.enum(['live', 'deleted', 'all']).optional(),
          /** true: only residents held for review (待核实) after an import. */
          review: queryBool.optional(),
          sort: z.enum(residentSortFields).default('name'),
        }),
        response: { 200: pageOf(residentSummary), ...errorResponses },
      },
    },
    async (request) => {
      const { page, pageSize, order, sort, orgUnitId, ...query } = request.query;
      return residentService.listResidents(db, actorOf(request), orgUnitId, query, sort, {
        page,
        pageSize,
        order,
      });
    },
  );

  r.post(
    '/api/residents',
    { schema: { tags, body: residentInput.strict(), response: { 201: resident, ...errorResponses } } },
    async (request, reply) =>
      reply.status(201).send(await residentService.registerResident(db, actorOf(request), request.body)),
  );

  r.patch(
    '/api/residents/:id',
    {
      schema: {
        tags,
        params: idParam,
        body: residentPatch.strict(),
        response: { 200: resident, ...errorResponses },
      },
    },
    async (request) => residentService.updateResident(db, actorOf(request), request.params.id, request.body),
  );

  r.post(
    '/api/residents/:id/reveal',
    {
      schema: {
        tags,
        summary: 'Reveal one masked value of a resident (each call is its own, auditable act)',
        params: idParam,
        // Why the value is needed: kept with the reveal in the audit log.
        body: z
          .object({
            field: z.enum(revealableResidentFields),
            reason: z.string().trim().min(2).max(200),
          })
          .strict(),
        response: { 200: z.object({ value: z.string().nullable() }), ...errorResponses },
      },
    },
    async (request) => ({
      value: await residentService.revealResidentField(
        db,
        actorOf(request),
        request.params.id,
        request.body.field,
      ),
    }),
  );

  registerRecordRoutes(r, '/api/residents', tags, resident, {
    get: (actor, id) => residentService.getResident(db, actor, id),
    history: (actor, id) => residentService.listResidentHistory(db, actor, id),
    remove: (actor, id, version) => residentService.deleteResident(db, actor, id, version),
    restore: (actor, id, version) => residentService.restoreResident(db, actor, id, version),
  });
}
