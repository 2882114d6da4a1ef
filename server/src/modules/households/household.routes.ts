import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idParam, pageOf, pageQuery, queryBool } from '@shiliuzi/shared/api';
import {
  household,
  householdInput,
  householdPatch,
  householdSortFields,
  revealableHouseholdFields,
} from '@shiliuzi/shared/households';
import { residentSummary } from '@shiliuzi/shared/residents';
import type { Executor } from '../../db/database.ts';
import { actorOf, errorResponses, registerRecordRoutes, zodRoutes } from '../../lib/http.ts';
import { residentService } from '../residents/resident.service.ts';
import { householdService } from './household.service.ts';

const tags = ['households'];

export function householdRoutes(app: FastifyInstance, db: Executor) {
  const r = zodRoutes(app);

  r.get(
    '/api/households',
    {
      schema: {
        tags,
        querystring: pageQuery.extend({
          orgUnitId: z.uuid().optional(),
          dwellingId: z.uuid().optional(),
          q: z.string().trim().max(50).optional(),
          includeDeleted: queryBool.optional(),
          sort: z.enum(householdSortFields).default('householdNumber'),
        }),
        response: { 200: pageOf(household), ...errorResponses },
      },
    },
    async (request) => {
      const { page, pageSize, order, sort, orgUnitId, ...filter } = request.query;
      return householdService.listHouseholds(db, actorOf(request), orgUnitId, filter, sort, {
        page,
        pageSize,
        order,
      });
    },
  );

  r.get(
    '/api/households/:id/members',
    {
      schema: {
        tags,
        summary: 'Members of a household with their relation to the head',
        params: idParam,
        response: { 200: z.array(residentSummary), ...errorResponses },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await householdService.getHousehold(db, actor, request.params.id);
      const members = await residentService.listResidents(
        db,
        actor,
        undefined,
        { householdId: request.params.id },
        'birthDate',
        { page: 1, pageSize: 200, order: 'asc' },
      );
      return members.items;
    },
  );

  r.post(
    '/api/households',
    { schema: { tags, body: householdInput.strict(), response: { 201: household, ...errorResponses } } },
    async (request, reply) =>
      reply.status(201).send(await householdService.createHousehold(db, actorOf(request), request.body)),
  );

  r.patch(
    '/api/households/:id',
    {
      schema: {
        tags,
        params: idParam,
        body: householdPatch.strict(),
        response: { 200: household, ...errorResponses },
      },
    },
    async (request) =>
      householdService.updateHousehold(db, actorOf(request), request.params.id, request.body),
  );

  r.post(
    '/api/households/:id/reveal',
    {
      schema: {
        tags,
        summary: 'Reveal one masked address of a household (each call is its own, auditable act)',
        params: idParam,
        // Why the value is needed: kept with the reveal in the audit log.
        body: z
          .object({
            field: z.enum(revealableHouseholdFields),
            reason: z.string().trim().min(2).max(200),
          })
          .strict(),
        response: { 200: z.object({ value: z.string().nullable() }), ...errorResponses },
      },
    },
    async (request) => ({
      value: await householdService.revealHouseholdField(
        db,
        actorOf(request),
        request.params.id,
        request.body.field,
      ),
    }),
  );

  registerRecordRoutes(r, '/api/households', tags, household, {
    get: (actor, id) => householdService.getHousehold(db, actor, id),
    history: (actor, id) => householdService.listHouseholdHistory(db, actor, id),
    remove: (actor, id, version) => householdService.deleteHousehold(db, actor, id, version),
    restore: (actor, id, version) => householdService.restoreHousehold(db, actor, id, version),
  });
}
