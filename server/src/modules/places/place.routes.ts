import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idParam, pageOf, pageQuery, queryBool } from '@shiliuzi/shared/api';
import { place, placeInput, placePatch, placeSortFields } from '@shiliuzi/shared/places';
import { placeKinds } from '@shiliuzi/shared/registry';
import type { Executor } from '../../db/database.ts';
import { actorOf, errorResponses, registerRecordRoutes, zodRoutes } from '../../lib/http.ts';
import { placeService } from './place.service.ts';

const tags = ['places'];

export function placeRoutes(app: FastifyInstance, db: Executor) {
  const r = zodRoutes(app);

  r.get(
    '/api/places',
    {
      schema: {
        tags,
        summary: 'List places (estates, buildings, entrances, dwellings, venues)',
        querystring: pageQuery.extend({
          orgUnitId: z.uuid().optional(),
          kind: z.enum(placeKinds).optional(),
          /** A place id, or `root` for top-level places. */
          parentId: z.union([z.uuid(), z.literal('root')]).optional(),
          isRental: queryBool.optional(),
          q: z.string().trim().max(50).optional(),
          includeDeleted: queryBool.optional(),
          sort: z.enum(placeSortFields).default('name'),
        }),
        response: { 200: pageOf(place), ...errorResponses },
      },
    },
    async (request) => {
      const { page, pageSize, order, sort, orgUnitId, parentId, ...filter } = request.query;
      return placeService.listPlaces(
        db,
        actorOf(request),
        orgUnitId,
        { ...filter, parentId: parentId === 'root' ? null : parentId },
        sort,
        { page, pageSize, order },
      );
    },
  );

  r.post(
    '/api/places',
    { schema: { tags, body: placeInput.strict(), response: { 201: place, ...errorResponses } } },
    async (request, reply) =>
      reply.status(201).send(await placeService.createPlace(db, actorOf(request), request.body)),
  );

  r.patch(
    '/api/places/:id',
    {
      schema: {
        tags,
        params: idParam,
        body: placePatch.strict(),
        response: { 200: place, ...errorResponses },
      },
    },
    async (request) => placeService.updatePlace(db, actorOf(request), request.params.id, request.body),
  );

  registerRecordRoutes(r, '/api/places', tags, place, {
    get: (actor, id) => placeService.getPlace(db, actor, id),
    history: (actor, id) => placeService.listPlaceHistory(db, actor, id),
    remove: (actor, id, version) => placeService.deletePlace(db, actor, id, version),
    restore: (actor, id, version) => placeService.restorePlace(db, actor, id, version),
  });
}
