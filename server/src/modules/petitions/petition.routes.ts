import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idParam, isoDate, pageOf, pageQuery, queryBool } from '@shiliuzi/shared/api';
import {
  petition,
  petitionChannels,
  petitionInput,
  petitionPatch,
  petitionSla,
  petitionSlaInput,
  petitionSortFields,
  petitionStatusChange,
  petitionStatuses,
} from '@shiliuzi/shared/casework-petitions';
import { localDateText } from '@shiliuzi/shared/dates';
import type { Executor } from '../../db/database.ts';
import { actorOf, errorResponses, registerRecordRoutes, zodRoutes } from '../../lib/http.ts';
import { petitionService } from './petition.service.ts';
import { sendRegisterFile } from '../exports/exports.routes.ts';
import { prepareCaseworkRegister } from '../disputes/dispute-petition-registers.ts';

const tags = ['petitions'];

export function petitionRoutes(app: FastifyInstance, db: Executor) {
  const r = zodRoutes(app);

  r.get(
    '/api/petitions',
    {
      schema: {
        tags,
        summary: 'Petitions and hotline calls of the caller’s subtree (or of one unit), filtered and paged',
        querystring: pageQuery.extend({
          orgUnitId: z.uuid().optional(),
          channel: z.enum(petitionChannels).optional(),
          hotline: queryBool.optional(),
          status: z.enum(petitionStatuses).optional(),
          assigneeId: z.uuid().optional(),
          overdue: queryBool.optional(),
          from: isoDate.optional(),
          to: isoDate.optional(),
          q: z.string().trim().max(50).optional(),
          includeDeleted: queryBool.optional(),
          sort: z.enum(petitionSortFields).default('receivedDate'),
          order: z.enum(['asc', 'desc']).default('desc'),
        }),
        response: { 200: pageOf(petition), ...errorResponses },
      },
    },
    async (request) => {
      const { page, pageSize, order, sort, orgUnitId, overdue, ...filter } = request.query;
      return petitionService.listPetitions(
        db,
        actorOf(request),
        orgUnitId,
        { ...filter, ...(overdue ? { overdueOn: localDateText() } : {}) },
        sort,
        { page, pageSize, order },
      );
    },
  );

  r.get(
    '/api/petitions/sla',
    {
      schema: {
        tags,
        summary: 'Answer deadlines (days) by channel in force for an org unit',
        querystring: z.object({ orgUnitId: z.uuid() }),
        response: { 200: petitionSla, ...errorResponses },
      },
    },
    async (request) => petitionService.getPetitionSla(db, actorOf(request), request.query.orgUnitId),
  );

  r.post(
    '/api/petitions/sla',
    { schema: { tags, body: petitionSlaInput, response: { 200: petitionSla, ...errorResponses } } },
    async (request) => petitionService.setPetitionSla(db, actorOf(request), request.body),
  );

  r.post(
    '/api/petitions',
    { schema: { tags, body: petitionInput, response: { 201: petition, ...errorResponses } } },
    async (request, reply) =>
      reply.status(201).send(await petitionService.recordPetition(db, actorOf(request), request.body)),
  );

  r.patch(
    '/api/petitions/:id',
    {
      schema: { tags, params: idParam, body: petitionPatch, response: { 200: petition, ...errorResponses } },
    },
    async (request) => petitionService.updatePetition(db, actorOf(request), request.params.id, request.body),
  );

  r.post(
    '/api/petitions/:id/status',
    {
      schema: {
        tags,
        summary: 'Move a petition to its next status',
        params: idParam,
        body: petitionStatusChange,
        response: { 200: petition, ...errorResponses },
      },
    },
    async (request) =>
      petitionService.changePetitionStatus(db, actorOf(request), request.params.id, request.body),
  );

  r.get(
    '/api/petitions/export',
    {
      schema: {
        tags,
        summary: 'The petition and hotline register (信访热线台账) of an org unit’s subtree as .xlsx or .csv',
        querystring: z.object({ orgUnitId: z.uuid(), format: z.enum(['xlsx', 'csv']).optional() }),
        response: { 200: z.custom<Readable>().describe('The .xlsx or .csv file'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { orgUnitId, format } = request.query;
      const file = await prepareCaseworkRegister(
        db,
        actorOf(request),
        'petitions',
        orgUnitId,
        format ?? 'xlsx',
      );
      return sendRegisterFile(request, reply, file);
    },
  );

  registerRecordRoutes(r, '/api/petitions', tags, petition, {
    get: (actor, id) => petitionService.getPetition(db, actor, id),
    history: (actor, id) => petitionService.listPetitionHistory(db, actor, id),
    remove: (actor, id, version) => petitionService.deletePetition(db, actor, id, version),
    restore: (actor, id, version) => petitionService.restorePetition(db, actor, id, version),
  });
}
