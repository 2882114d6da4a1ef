import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idParam, isoDate, pageOf, pageQuery, queryBool } from '@shiliuzi/shared/api';
import {
  dispute,
  disputeCategories,
  disputeInput,
  disputeLevels,
  disputeOutcomes,
  disputePatch,
  disputeRiskLevels,
  disputeSortFields,
  disputeStatistics,
  disputeStepInput,
} from '@shiliuzi/shared/casework-disputes';
import { petitionFigures } from '@shiliuzi/shared/casework-petitions';
import type { Executor } from '../../db/database.ts';
import { actorOf, errorResponses, registerRecordRoutes, zodRoutes } from '../../lib/http.ts';
import type { StatisticsRunner } from '../statistics/statistics.service.ts';
import { disputeService } from './dispute.service.ts';
import { sendRegisterFile } from '../exports/exports.routes.ts';
import { prepareCaseworkRegister } from './dispute-petition-registers.ts';

const tags = ['disputes'];

export function disputeRoutes(app: FastifyInstance, db: Executor, statistics: StatisticsRunner) {
  const r = zodRoutes(app);

  r.get(
    '/api/disputes',
    {
      schema: {
        tags,
        summary: 'Disputes of the caller’s subtree (or of one unit), filtered, searched and paged',
        querystring: pageQuery.extend({
          orgUnitId: z.uuid().optional(),
          outcome: z.enum(disputeOutcomes).optional(),
          handlingLevel: z.enum(disputeLevels).optional(),
          category: z.enum(disputeCategories).optional(),
          riskLevel: z.enum(disputeRiskLevels).optional(),
          isEthnicFactor: queryBool.optional(),
          from: isoDate.optional(),
          to: isoDate.optional(),
          q: z.string().trim().max(50).optional(),
          includeDeleted: queryBool.optional(),
          sort: z.enum(disputeSortFields).default('intakeDate'),
          order: z.enum(['asc', 'desc']).default('desc'),
        }),
        response: { 200: pageOf(dispute), ...errorResponses },
      },
    },
    async (request) => {
      const { page, pageSize, order, sort, orgUnitId, ...filter } = request.query;
      return disputeService.listDisputes(db, actorOf(request), orgUnitId, filter, sort, {
        page,
        pageSize,
        order,
      });
    },
  );

  r.post(
    '/api/disputes',
    { schema: { tags, body: disputeInput, response: { 201: dispute, ...errorResponses } } },
    async (request, reply) =>
      reply.status(201).send(await disputeService.recordDispute(db, actorOf(request), request.body)),
  );

  r.patch(
    '/api/disputes/:id',
    { schema: { tags, params: idParam, body: disputePatch, response: { 200: dispute, ...errorResponses } } },
    async (request) => disputeService.updateDispute(db, actorOf(request), request.params.id, request.body),
  );

  r.post(
    '/api/disputes/:id/steps',
    {
      schema: {
        tags,
        summary: 'Add a mediation step to the dispute’s timeline',
        params: idParam,
        body: disputeStepInput,
        response: { 201: dispute, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await disputeService.addMediationStep(db, actorOf(request), request.params.id, request.body)),
  );

  r.get(
    '/api/disputes/export',
    {
      schema: {
        tags,
        summary: 'The dispute register (矛盾纠纷排查调处台账) of an org unit’s subtree as .xlsx or .csv',
        querystring: z.object({ orgUnitId: z.uuid(), format: z.enum(['xlsx', 'csv']).optional() }),
        response: { 200: z.custom<Readable>().describe('The .xlsx or .csv file'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { orgUnitId, format } = request.query;
      const file = await prepareCaseworkRegister(
        db,
        actorOf(request),
        'disputes',
        orgUnitId,
        format ?? 'xlsx',
      );
      return sendRegisterFile(request, reply, file);
    },
  );

  registerRecordRoutes(r, '/api/disputes', tags, dispute, {
    get: (actor, id) => disputeService.getDispute(db, actor, id),
    history: (actor, id) => disputeService.listDisputeHistory(db, actor, id),
    remove: (actor, id, version) => disputeService.deleteDispute(db, actor, id, version),
    restore: (actor, id, version) => disputeService.restoreDispute(db, actor, id, version),
  });

  r.get(
    '/api/org-units/:id/dispute-petition-statistics',
    {
      schema: {
        tags,
        summary: 'Dispute, petition and hotline figures for the subtree of this unit',
        params: idParam,
        querystring: z.object({ from: isoDate.optional(), to: isoDate.optional() }),
        response: {
          200: z.object({
            disputes: disputeStatistics,
            petitions: petitionFigures,
            hotline: petitionFigures,
          }),
          ...errorResponses,
        },
      },
    },
    async (request) =>
      statistics.computeDisputePetitionStatistics(actorOf(request), request.params.id, request.query),
  );
}
