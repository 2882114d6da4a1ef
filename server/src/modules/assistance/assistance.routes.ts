import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isoDate, idParam, pageOf, pageQuery, queryBool } from '@shiliuzi/shared/api';
import {
  assistance,
  assistanceDecision,
  assistanceInput,
  assistanceKinds,
  assistancePatch,
  assistanceStatuses,
  assistanceTotals,
  fundSources,
} from '@shiliuzi/shared/casework-visits';
import type { Executor } from '../../db/database.ts';
import type { Readable } from 'node:stream';
import { actorOf, errorResponses, registerRecordRoutes, zodRoutes } from '../../lib/http.ts';
import { exportFormats } from '../exports/exports.service.ts';
import { sendRegisterFile } from '../exports/exports.routes.ts';
import { caseworkRegisters } from '../visits/casework-registers.ts';
import { assistanceService } from './assistance.service.ts';

const tags = ['assistance'];

const assistanceQuery = z.object({
  orgUnitId: z.uuid().optional(),
  kind: z.enum(assistanceKinds).optional(),
  fundSource: z.enum(fundSources).optional(),
  status: z.enum(assistanceStatuses).optional(),
  residentId: z.uuid().optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  q: z.string().trim().max(50).optional(),
  includeDeleted: queryBool.optional(),
});

export function assistanceRoutes(app: FastifyInstance, db: Executor) {
  const r = zodRoutes(app);

  r.get(
    '/api/assistance',
    {
      schema: {
        tags,
        querystring: pageQuery.extend(assistanceQuery.shape).extend({
          sort: z.enum(['appliedOn', 'amountFen', 'createdAt']).default('appliedOn'),
        }),
        response: { 200: pageOf(assistance), ...errorResponses },
      },
    },
    async (request) => {
      const { page, pageSize, order, sort, orgUnitId, ...filter } = request.query;
      return assistanceService.listAssistance(db, actorOf(request), orgUnitId, filter, sort, {
        page,
        pageSize,
        order,
      });
    },
  );

  r.get(
    '/api/assistance/totals',
    {
      schema: {
        tags,
        summary: 'Count and amount (fen) of the matching records, in total and per source of funds',
        querystring: assistanceQuery,
        response: { 200: assistanceTotals, ...errorResponses },
      },
    },
    async (request) => {
      const { orgUnitId, ...filter } = request.query;
      return assistanceService.totalAssistance(db, actorOf(request), orgUnitId, filter);
    },
  );

  r.get(
    '/api/assistance/export',
    {
      schema: {
        tags,
        summary: '帮困台账 of an org unit’s subtree as .xlsx or .csv (the list’s filters apply)',
        querystring: assistanceQuery.omit({ orgUnitId: true, includeDeleted: true }).extend({
          orgUnitId: z.uuid(),
          format: z.enum(exportFormats).default('xlsx'),
        }),
        response: { 200: z.custom<Readable>().describe('The register file'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { orgUnitId, format, ...filter } = request.query;
      const file = await caseworkRegisters.prepareAssistanceRegister(
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
    '/api/assistance',
    { schema: { tags, body: assistanceInput.strict(), response: { 201: assistance, ...errorResponses } } },
    async (request, reply) =>
      reply.status(201).send(await assistanceService.createAssistance(db, actorOf(request), request.body)),
  );

  r.patch(
    '/api/assistance/:id',
    {
      schema: {
        tags,
        params: idParam,
        body: assistancePatch.strict(),
        response: { 200: assistance, ...errorResponses },
      },
    },
    async (request) =>
      assistanceService.updateAssistance(db, actorOf(request), request.params.id, request.body),
  );

  r.post(
    '/api/assistance/:id/decision',
    {
      schema: {
        tags,
        summary: 'Approves or refuses a pending application',
        params: idParam,
        body: assistanceDecision.strict(),
        response: { 200: assistance, ...errorResponses },
      },
    },
    async (request) =>
      assistanceService.decideAssistance(db, actorOf(request), request.params.id, request.body),
  );

  registerRecordRoutes(r, '/api/assistance', tags, assistance, {
    get: (actor, id) => assistanceService.getAssistance(db, actor, id),
    history: (actor, id) => assistanceService.listAssistanceHistory(db, actor, id),
    remove: (actor, id, version) => assistanceService.deleteAssistance(db, actor, id, version),
    restore: (actor, id, version) => assistanceService.restoreAssistance(db, actor, id, version),
  });
}
