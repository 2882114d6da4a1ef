import type { FastifyInstance } from 'fastify';
import { idParam, pageOf, pageQuery } from '@shiliuzi/shared/api';
import {
  retentionPolicyInput,
  retentionRecordTypeParam,
  retentionRun,
  retentionRunInput,
  retentionSettings,
} from '@shiliuzi/shared/retention';
import type { Executor } from '../../db/database.ts';
import { actorOf, errorResponses, zodRoutes } from '../../lib/http.ts';
import { retentionService, type PhotoFiles } from './retention.service.ts';

const tags = ['retention'];

/**
 * Retention of records: the periods in force (system and security administrators of the whole
 * tree), setting one (security administrator), running the job or a dry run, and past reports.
 */
export function retentionRoutes(
  app: FastifyInstance,
  db: Executor,
  photos: PhotoFiles,
  options: { scheduled: boolean },
) {
  const r = zodRoutes(app);

  r.get(
    '/api/retention/policies',
    {
      schema: {
        tags,
        summary: 'Retention period and action in force for every record type',
        response: { 200: retentionSettings, ...errorResponses },
      },
    },
    async (request) => retentionService.getSettings(db, actorOf(request), options.scheduled),
  );

  r.put(
    '/api/retention/policies/:recordType',
    {
      schema: {
        tags,
        summary: 'Set the retention period and action of one record type (security administrator)',
        params: retentionRecordTypeParam,
        body: retentionPolicyInput,
        response: { 200: retentionSettings, ...errorResponses },
      },
    },
    async (request) =>
      retentionService.setPolicy(
        db,
        actorOf(request),
        request.params.recordType,
        request.body,
        options.scheduled,
      ),
  );

  r.post(
    '/api/retention/runs',
    {
      schema: {
        tags,
        summary: 'Run the retention job now, or a dry run that changes nothing; answers its report',
        body: retentionRunInput,
        response: { 200: retentionRun, ...errorResponses },
      },
    },
    async (request) =>
      retentionService.requestRun(db, actorOf(request), {
        trigger: 'api',
        dryRun: request.body.dryRun,
        photos,
      }),
  );

  r.get(
    '/api/retention/runs',
    {
      schema: {
        tags,
        summary: 'Reports of past runs, newest first',
        querystring: pageQuery,
        response: { 200: pageOf(retentionRun), ...errorResponses },
      },
    },
    async (request) => retentionService.listRuns(db, actorOf(request), request.query),
  );

  r.get(
    '/api/retention/runs/:id',
    {
      schema: { tags, params: idParam, response: { 200: retentionRun, ...errorResponses } },
    },
    async (request) => retentionService.getRun(db, actorOf(request), request.params.id),
  );
}
