import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idParam, isoDate, pageOf, pageQuery, queryBool } from '@shiliuzi/shared/api';
import { orgUnit, orgUnitInput, orgUnitPatch, orgUnitSortFields } from '@shiliuzi/shared/org-units';
import { orgUnitTypes } from '@shiliuzi/shared/registry';
import { registryStatistics } from '@shiliuzi/shared/statistics';
import type { Executor } from '../../db/database.ts';
import { actorOf, errorResponses, registerRecordRoutes, zodRoutes } from '../../lib/http.ts';
import type { StatisticsRunner } from '../statistics/statistics.service.ts';
import { orgUnitService } from './org-unit.service.ts';

const tags = ['org-units'];

export function orgUnitRoutes(app: FastifyInstance, db: Executor, statistics: StatisticsRunner) {
  const r = zodRoutes(app);

  r.get(
    '/api/org-units',
    {
      schema: {
        tags,
        summary: 'List org units in the caller’s subtree',
        querystring: pageQuery.extend({
          type: z.enum(orgUnitTypes).optional(),
          parentId: z.uuid().optional(),
          q: z.string().trim().max(50).optional(),
          includeDeleted: queryBool.optional(),
          sort: z.enum(orgUnitSortFields).default('code'),
        }),
        response: { 200: pageOf(orgUnit), ...errorResponses },
      },
    },
    async (request) => {
      const { page, pageSize, order, sort, ...filter } = request.query;
      return orgUnitService.listOrgUnits(db, actorOf(request), filter, sort, { page, pageSize, order });
    },
  );

  r.get(
    '/api/org-units/:id/ancestors',
    {
      schema: {
        tags,
        summary: 'The visible chain from the caller’s unit down to this one (breadcrumbs)',
        params: idParam,
        response: { 200: z.array(orgUnit), ...errorResponses },
      },
    },
    async (request) => orgUnitService.listAncestors(db, actorOf(request), request.params.id),
  );

  r.get(
    '/api/org-units/:id/statistics',
    {
      schema: {
        tags,
        summary: 'Registry figures for the subtree of this unit',
        params: idParam,
        querystring: z.object({ from: isoDate.optional(), to: isoDate.optional() }),
        response: { 200: registryStatistics, ...errorResponses },
      },
    },
    // Counted on a worker thread: a district's figures must not stall other requests.
    async (request) =>
      statistics.computeRegistryStatistics(actorOf(request), request.params.id, request.query),
  );

  r.post(
    '/api/org-units',
    { schema: { tags, body: orgUnitInput.strict(), response: { 201: orgUnit, ...errorResponses } } },
    async (request, reply) =>
      reply.status(201).send(await orgUnitService.createOrgUnit(db, actorOf(request), request.body)),
  );

  r.patch(
    '/api/org-units/:id',
    {
      schema: {
        tags,
        params: idParam,
        body: orgUnitPatch.strict(),
        response: { 200: orgUnit, ...errorResponses },
      },
    },
    async (request) => orgUnitService.updateOrgUnit(db, actorOf(request), request.params.id, request.body),
  );

  registerRecordRoutes(r, '/api/org-units', tags, orgUnit, {
    get: (actor, id) => orgUnitService.getOrgUnit(db, actor, id),
    history: (actor, id) => orgUnitService.listOrgUnitHistory(db, actor, id),
    remove: (actor, id, version) => orgUnitService.deleteOrgUnit(db, actor, id, version),
    restore: (actor, id, version) => orgUnitService.restoreOrgUnit(db, actor, id, version),
  });
}
