import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  currentUser,
  loginInput,
  passwordChangeInput,
  secondFactors,
  totpCodeInput,
  user,
} from '@shiliuzi/shared/users';
import type { Config } from '../../config.ts';
import type { Executor } from '../../db/database.ts';
import { actorOf, errorResponses, zodRoutes } from '../../lib/http.ts';
import { isAppError } from '../../errors.ts';
import type { AuditTrail } from '../audit/audit.service.ts';
import { twoFactorService } from './two-factor.service.ts';
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
      schema: {
        tags,
        body: loginInput.strict(),
        response: {
          200: z.object({ user, secondFactor: z.enum(secondFactors).nullable() }),
          ...errorResponses,
        },
      },
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
      const { token, user: signedInUser, secondFactor } = signedIn;
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
      return { user: signedInUser, secondFactor };
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
    {
      config: { beforePasswordChange: true, beforeSecondFactor: true },
      schema: { tags, response: { 200: currentUser, ...errorResponses } },
    },
    async (request) => userService.getCurrentUser(db, actorOf(request)),
  );

  const tokenOf = (request: { cookies: Record<string, string | undefined> }) =>
    request.cookies[SESSION_COOKIE] ?? '';

  r.post(
    '/api/auth/totp/verify',
    {
      config: { beforePasswordChange: true, beforeSecondFactor: true },
      schema: {
        tags,
        summary: 'The second sign-in step: a code from the authenticator app, or a recovery code',
        body: totpCodeInput,
        response: { 200: currentUser, ...errorResponses },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      await twoFactorService.verifySecondFactor(db, actor, tokenOf(request), request.body.code, config.login);
      return userService.getCurrentUser(db, { ...actor, secondFactor: undefined });
    },
  );

  r.post(
    '/api/auth/totp/enrolment',
    {
      config: { beforePasswordChange: true, beforeSecondFactor: true },
      schema: {
        tags,
        summary:
          'Start binding an authenticator app: a new secret and its otpauth:// address (for the QR code)',
        response: { 200: z.object({ secret: z.string(), uri: z.string() }), ...errorResponses },
      },
    },
    async (request) => twoFactorService.startEnrolment(db, actorOf(request)),
  );

  r.post(
    '/api/auth/totp/enrolment/confirm',
    {
      config: { beforePasswordChange: true, beforeSecondFactor: true },
      schema: {
        tags,
        summary: 'Confirm the binding with a code from the app; answers the recovery codes, shown once',
        body: totpCodeInput,
        response: { 200: z.object({ recoveryCodes: z.array(z.string()) }), ...errorResponses },
      },
    },
    async (request) =>
      twoFactorService.confirmEnrolment(db, actorOf(request), tokenOf(request), request.body.code),
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
