import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { idParam } from '@shiliuzi/shared/api';
import { pickableUser, user, userInput, userRolesInput } from '@shiliuzi/shared/users';
import type { Executor } from '../../db/database.ts';
import { actorOf, errorResponses, zodRoutes } from '../../lib/http.ts';
import { userService } from './user.service.ts';

const tags = ['users'];

export function userRoutes(app: FastifyInstance, db: Executor) {
  const r = zodRoutes(app);

  r.get(
    '/api/users',
    { schema: { tags, response: { 200: z.array(user), ...errorResponses } } },
    async (request) => userService.listUsers(db, actorOf(request)),
  );

  r.get(
    '/api/users/pickable',
    {
      schema: {
        tags,
        summary:
          'Users a visit, a pairing or a petition may name (visitor, cadre, assignee): the caller’s subtree, by name',
        querystring: z.object({
          orgUnitId: z.uuid().optional(),
          q: z.string().trim().max(50).optional(),
        }),
        response: { 200: z.array(pickableUser), ...errorResponses },
      },
    },
    async (request) => userService.listPickableUsers(db, actorOf(request), request.query),
  );

  r.post(
    '/api/users',
    { schema: { tags, body: userInput.strict(), response: { 201: user, ...errorResponses } } },
    async (request, reply) =>
      reply.status(201).send(await userService.createUser(db, actorOf(request), request.body)),
  );

  for (const [action, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    r.post(
      `/api/users/:id/${action}`,
      {
        schema: {
          tags,
          summary: disabled
            ? 'Disable a user of your subtree; every session of the user ends at once'
            : 'Enable a disabled user again',
          params: idParam,
          response: { 200: user, ...errorResponses },
        },
      },
      async (request) => userService.setUserDisabled(db, actorOf(request), request.params.id, disabled),
    );
  }

  r.put(
    '/api/users/:id/roles',
    {
      schema: {
        tags,
        summary:
          'Replace the roles of a user of your subtree (security administrator); the user signs in again',
        params: idParam,
        body: userRolesInput,
        response: { 200: user, ...errorResponses },
      },
    },
    async (request) => userService.setUserRoles(db, actorOf(request), request.params.id, request.body.roles),
  );

  r.post(
    '/api/users/:id/unlock',
    {
      schema: {
        tags,
        summary: 'Lift the sign-in lock of a user after repeated wrong passwords (security administrator)',
        params: idParam,
        response: { 200: user, ...errorResponses },
      },
    },
    async (request) => userService.unlockUser(db, actorOf(request), request.params.id),
  );
}
