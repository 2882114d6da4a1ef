import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ethnicGroups } from '@shiliuzi/shared/ethnicity';
import { findChildRegions, REGION_EDITION } from '@shiliuzi/shared/region';
import { errorResponses, zodRoutes } from '../../lib/http.ts';

const tags = ['code-lists'];

/** Standard code lists (GB/T 3304 ethnic groups, GB/T 2260 regions) for pickers. */
export function codeListRoutes(app: FastifyInstance) {
  const r = zodRoutes(app);

  r.get(
    '/api/code-lists/ethnic-groups',
    {
      schema: {
        tags,
        response: {
          200: z.array(
            z.object({
              code: z.string(),
              name: z.string(),
              roman: z.string(),
              abbrev: z.string(),
              isExtension: z.boolean(),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async () => [...ethnicGroups],
  );

  r.get(
    '/api/code-lists/regions',
    {
      schema: {
        tags,
        summary: 'GB/T 2260 regions directly under a code (provinces when no parent is given)',
        querystring: z.object({
          parent: z
            .string()
            .regex(/^\d{6}$/)
            .optional(),
        }),
        response: {
          200: z.object({
            edition: z.string(),
            items: z.array(
              z.object({ code: z.string(), name: z.string(), fullName: z.string(), level: z.string() }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => ({ edition: REGION_EDITION, items: findChildRegions(request.query.parent ?? '') }),
  );
}
