import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { changeEntry, errorBody, idParam, versionQuery, type ChangeEntry } from '@shiliuzi/shared/api';
import type { FastifyRequest } from 'fastify';
import { unauthenticated } from '../errors.ts';
import type { Actor } from './actor.ts';

/** The route registrar every module's routes file receives. */
export function zodRoutes(app: FastifyInstance) {
  return app.withTypeProvider<ZodTypeProvider>();
}
export type ZodRoutes = ReturnType<typeof zodRoutes>;

/** Error answers every authenticated route may give, for the OpenAPI document. */
export const errorResponses = {
  400: errorBody,
  401: errorBody,
  403: errorBody,
  404: errorBody,
  409: errorBody,
} as const;

/** The signed-in actor of a request; routes behind the auth hook always have one. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthenticated();
  return request.actor;
}

export const versionBody = z.object({ version: z.number().int().min(1) }).strict();

/** The routes every versioned record has beside list, create and update. */
export interface RecordRouteHandlers<T> {
  get(actor: Actor, id: string): Promise<T>;
  history(actor: Actor, id: string): Promise<ChangeEntry[]>;
  remove(actor: Actor, id: string, version: number): Promise<T>;
  restore(actor: Actor, id: string, version: number): Promise<T>;
}

/**
 * GET /:id, GET /:id/history, DELETE /:id?version= (soft) and POST /:id/restore for one kind of
 * record at `basePath`, all scoped through the handlers' services.
 */
export function registerRecordRoutes<S extends z.ZodType>(
  r: ZodRoutes,
  basePath: string,
  tags: string[],
  record: S,
  handlers: RecordRouteHandlers<z.output<S>>,
) {
  // Handlers are typed against `record` through RecordRouteHandlers; Fastify's reply typing cannot
  // follow a generic schema, so the routes see it as a plain schema.
  const recordSchema: z.ZodType = record;
  r.get(
    `${basePath}/:id`,
    { schema: { tags, params: idParam, response: { 200: recordSchema, ...errorResponses } } },
    async (request) => handlers.get(actorOf(request), request.params.id),
  );
  r.get(
    `${basePath}/:id/history`,
    { schema: { tags, params: idParam, response: { 200: z.array(changeEntry), ...errorResponses } } },
    async (request) => handlers.history(actorOf(request), request.params.id),
  );
  r.delete(
    `${basePath}/:id`,
    {
      schema: {
        tags,
        params: idParam,
        querystring: versionQuery,
        response: { 200: recordSchema, ...errorResponses },
      },
    },
    async (request) => handlers.remove(actorOf(request), request.params.id, request.query.version),
  );
  r.post(
    `${basePath}/:id/restore`,
    {
      schema: {
        tags,
        params: idParam,
        body: versionBody,
        response: { 200: recordSchema, ...errorResponses },
      },
    },
    async (request) => handlers.restore(actorOf(request), request.params.id, request.body.version),
  );
}

/**
 * A Content-Disposition header for a download: the real name as RFC 5987 `filename*` (UTF-8,
 * percent-encoded), and an ASCII `filename` for clients that do not read it.
 */
export function attachmentDisposition(fileName: string, asciiFallback: string): string {
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  const ascii = asciiFallback.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
