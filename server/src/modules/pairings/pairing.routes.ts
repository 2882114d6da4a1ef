import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isoDate, idParam, pageOf, pageQuery, queryBool } from '@shiliuzi/shared/api';
import { pairing, pairingInput, pairingPatch } from '@shiliuzi/shared/casework-visits';
import type { Executor } from '../../db/database.ts';
import { actorOf, errorResponses, registerRecordRoutes, zodRoutes } from '../../lib/http.ts';
import { pairingService } from './pairing.service.ts';

const tags = ['pairings'];

export function pairingRoutes(app: FastifyInstance, db: Executor) {
  const r = zodRoutes(app);

  r.get(
    '/api/pairings',
    {
      schema: {
        tags,
        summary: 'Pairings; `activeOn` gives who was responsible on that date, `mine` the caller’s own',
        querystring: pageQuery.extend({
          orgUnitId: z.uuid().optional(),
          householdId: z.uuid().optional(),
          cadreId: z.uuid().optional(),
          mine: queryBool.optional(),
          activeOn: isoDate.optional(),
          contactDueBy: isoDate.optional(),
          q: z.string().trim().max(50).optional(),
          includeDeleted: queryBool.optional(),
        }),
        response: { 200: pageOf(pairing), ...errorResponses },
      },
    },
    async (request) => {
      const { page, pageSize, order, orgUnitId, mine, ...filter } = request.query;
      const actor = actorOf(request);
      const cadreId = mine ? (actor.userId ?? '') : filter.cadreId;
      return pairingService.listPairings(
        db,
        actor,
        orgUnitId,
        { ...filter, cadreId },
        { page, pageSize, order },
      );
    },
  );

  r.post(
    '/api/pairings',
    { schema: { tags, body: pairingInput.strict(), response: { 201: pairing, ...errorResponses } } },
    async (request, reply) =>
      reply.status(201).send(await pairingService.createPairing(db, actorOf(request), request.body)),
  );

  r.patch(
    '/api/pairings/:id',
    {
      schema: {
        tags,
        params: idParam,
        body: pairingPatch.strict(),
        response: { 200: pairing, ...errorResponses },
      },
    },
    async (request) => pairingService.updatePairing(db, actorOf(request), request.params.id, request.body),
  );

  registerRecordRoutes(r, '/api/pairings', tags, pairing, {
    get: (actor, id) => pairingService.getPairing(db, actor, id),
    history: (actor, id) => pairingService.listPairingHistory(db, actor, id),
    remove: (actor, id, version) => pairingService.deletePairing(db, actor, id, version),
    restore: (actor, id, version) => pairingService.restorePairing(db, actor, id, version),
  });
}
