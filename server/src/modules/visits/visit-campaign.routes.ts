import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idParam, isoDate, pageOf, pageQuery, queryBool } from '@shiliuzi/shared/api';
import { ethnicityCodeSchema } from '@shiliuzi/shared/ethnicity';
import { residentFlags } from '@shiliuzi/shared/registry';
import {
  campaignPreview,
  festivals,
  plannedVisit,
  visitCampaign,
  visitCampaignInput,
} from '@shiliuzi/shared/visit-campaigns';
import type { Executor } from '../../db/database.ts';
import { actorOf, errorResponses, zodRoutes } from '../../lib/http.ts';
import { visitCampaignService } from './visit-campaign.service.ts';

const tags = ['visit-campaigns'];

/** `a,b,c` in a query string as a list. */
const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(item));

export function visitCampaignRoutes(app: FastifyInstance, db: Executor) {
  const r = zodRoutes(app);

  r.get(
    '/api/visit-campaigns',
    {
      schema: {
        tags,
        summary:
          'Festival visit campaigns (节日走访) of the subtree, latest planned first, with their progress',
        querystring: pageQuery.extend({
          orgUnitId: z.uuid().optional(),
          festival: z.enum(festivals).optional(),
          year: z.coerce.number().int().min(2000).max(2100).optional(),
          order: z.enum(['asc', 'desc']).default('desc'),
        }),
        response: { 200: pageOf(visitCampaign), ...errorResponses },
      },
    },
    async (request) => {
      const { page, pageSize, order, orgUnitId, ...filter } = request.query;
      return visitCampaignService.listCampaigns(db, actorOf(request), orgUnitId, filter, {
        page,
        pageSize,
        order,
      });
    },
  );

  r.get(
    '/api/visit-campaigns/preview',
    {
      schema: {
        tags,
        summary: 'How many visits a campaign for this unit and target group would plan, and for whom',
        querystring: z.object({
          orgUnitId: z.uuid(),
          plannedOn: isoDate,
          ethnicityCodes: csv(ethnicityCodeSchema).optional(),
          minorityOnly: queryBool.optional(),
          flags: csv(z.enum(residentFlags)).optional(),
        }),
        response: { 200: campaignPreview, ...errorResponses },
      },
    },
    async (request) => {
      const { orgUnitId, plannedOn, ethnicityCodes, minorityOnly, flags } = request.query;
      return visitCampaignService.previewCampaign(db, actorOf(request), {
        orgUnitId,
        plannedOn,
        target: {
          ethnicityCodes: ethnicityCodes ?? [],
          minorityOnly: minorityOnly ?? false,
          flags: flags ?? [],
        },
      });
    },
  );

  r.post(
    '/api/visit-campaigns',
    {
      schema: {
        tags,
        summary: 'Create a campaign and plan one visit per targeted household, in one transaction',
        body: visitCampaignInput.strict(),
        response: { 201: visitCampaign, ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await visitCampaignService.createCampaign(db, actorOf(request), request.body)),
  );

  r.get(
    '/api/visit-campaigns/:id',
    {
      schema: { tags, params: idParam, response: { 200: visitCampaign, ...errorResponses } },
    },
    async (request) => visitCampaignService.getCampaign(db, actorOf(request), request.params.id),
  );

  r.post(
    '/api/visit-campaigns/:id/replan',
    {
      schema: {
        tags,
        summary:
          'Plan the visits of a campaign again: only households or residents not planned yet are added',
        params: idParam,
        response: {
          200: z.object({ added: z.number().int(), campaign: visitCampaign }),
          ...errorResponses,
        },
      },
    },
    async (request) => visitCampaignService.replanCampaign(db, actorOf(request), request.params.id),
  );

  r.get(
    '/api/planned-visits',
    {
      schema: {
        tags,
        summary: 'Planned festival visits of the subtree: of a campaign, of an assignee, or the caller’s own',
        querystring: pageQuery.extend({
          orgUnitId: z.uuid().optional(),
          campaignId: z.uuid().optional(),
          assigneeId: z.uuid().optional(),
          mine: queryBool.optional(),
          state: z.enum(['open', 'overdue', 'done', 'pending']).optional(),
          order: z.enum(['asc', 'desc']).default('asc'),
        }),
        response: { 200: pageOf(plannedVisit), ...errorResponses },
      },
    },
    async (request) => {
      const { page, pageSize, order, orgUnitId, ...filter } = request.query;
      return visitCampaignService.listPlannedVisits(db, actorOf(request), orgUnitId, filter, {
        page,
        pageSize,
        order,
      });
    },
  );
}
