import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { loginInput, passwordChangeInput, user } from '@shiliuzi/shared/users';
import type { Config } from '../../config.ts';
import type { Executor } from '../../db/database.ts';
import { actorOf, errorResponses, zodRoutes } from '../../lib/http.ts';
import { isAppError } from '../../errors.ts';
import type { AuditTrail } from '../audit/audit.service.ts';
import { userService } from './user.service.ts';

export const SESSION_COOKIE = 'shiliuzi_session';
const tags = ['auth'];

export function authRoutes(
  app: FastifyInstance,
  db: Executor,
  config: Pick<Config, 'sessionTtlMinutes' | 'cookieSecure' | 'login'>,
  audit: AuditTrail,
) {
  const r = zodRoutes(app);

  r.post(
    '/api/auth/login',
    {
      config: {
        public: true,
        // Per IP address, whatever the user names; the lockout per user name is in the service.
        rateLimit: { max: config.login.attemptsPerIpMinute, timeWindow: 60_000 },
      },
      schema: { tags, body: loginInput.strict(), response: { 200: z.object({ user }), ...errorResponses } },
    },
    async (request, reply) => {
      const attempt = { username: request.body.username, ip: request.ip, action: 'auth.login' };
      let signedIn;
      try {
        signedIn = await userService.login(
          db,
          request.body.username,
          request.body.password,
          request.ip,
          config.sessionTtlMinutes,
          config.login,
        );
      } catch (error) {
        await audit.record({
          ...attempt,
          result: 'denied',
          reason: isAppError(error) ? error.code : 'error',
        });
        throw error;
      }
      const { token, user: signedInUser } = signedIn;
      // A session the browser still held is ended: a new sign-in always gets a new session id.
      const previous = request.cookies[SESSION_COOKIE];
      if (previous) await userService.logout(db, previous);
      await audit.record({
        ...attempt,
        actor: {
          userId: signedInUser.id,
          name: signedInUser.username,
          roles: signedInUser.roles,
          orgUnitId: signedInUser.orgUnitId,
        },
        result: 'ok',
        objectType: 'user',
        objectId: signedInUser.id,
      });
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: config.cookieSecure,
        maxAge: config.sessionTtlMinutes * 60,
      });
      return { user: signedInUser };
    },
  );

  r.post(
    '/api/auth/logout',
    { config: { public: true }, schema: { tags, response: { 200: z.object({ ok: z.literal(true) }) } } },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) {
        const actor = await userService.authenticate(db, token);
        await userService.logout(db, token);
        if (actor) await audit.record({ actor, ip: request.ip, action: 'auth.logout', result: 'ok' });
      }
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  r.get(
    '/api/auth/me',
    { config: { beforePasswordChange: true }, schema: { tags, response: { 200: user, ...errorResponses } } },
    async (request) => userService.getCurrentUser(db, actorOf(request)),
  );

  r.post(
    '/api/auth/password',
    {
      config: { beforePasswordChange: true },
      schema: {
        tags,
        summary:
          'Change your own password (required first when it was set by an administrator or has expired)',
        body: passwordChangeInput.strict(),
        response: { 200: user, ...errorResponses },
      },
    },
    async (request) =>
      userService.changePassword(db, actorOf(request), request.cookies[SESSION_COOKIE] ?? '', request.body),
  );
}
