import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import Fastify from 'fastify';
import fastJson from 'fast-json-stringify';
import { z } from 'zod';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import { isRowSecurityRefusal, runInSubtree } from './db/row-security.ts';
import { AppError, forbidden, isAppError, unauthenticated } from './errors.ts';
import type { Actor } from './lib/actor.ts';
import type { Role } from '@shiliuzi/shared/registry';
import { isOutsideRegisters } from '@shiliuzi/shared/permissions';
import { describeValidationErrors } from './lib/validation-messages.ts';
import { setFieldErrorLog } from './lib/field-crypto.ts';
import { errorMessages } from './locales/zh-CN.ts';
import { codeListRoutes } from './modules/code-lists/code-list.routes.ts';
import { householdRoutes } from './modules/households/household.routes.ts';
import { exportRoutes } from './modules/exports/exports.routes.ts';
import { createImportJobs } from './modules/imports/import-jobs.ts';
import { importRoutes } from './modules/imports/import.routes.ts';
import { orgUnitRoutes } from './modules/org-units/org-unit.routes.ts';
import { placeRoutes } from './modules/places/place.routes.ts';
import { reportRoutes } from './modules/reports/report.routes.ts';
import { createReportRunner } from './modules/reports/report.service.ts';
import { residentRoutes } from './modules/residents/resident.routes.ts';
import { createStatisticsRunner } from './modules/statistics/statistics.service.ts';
import { authRoutes, SESSION_COOKIE } from './modules/users/auth.routes.ts';
import { registerAuditHook } from './modules/audit/audit.hook.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { createAuditTrail } from './modules/audit/audit.service.ts';
import { userRoutes } from './modules/users/user.routes.ts';
import { userService } from './modules/users/user.service.ts';
import { registerWebApp } from './web-app.ts';
import { registerWebSecurity } from './web-security.ts';
import { disputeRoutes } from './modules/disputes/dispute.routes.ts';
import { petitionRoutes } from './modules/petitions/petition.routes.ts';
// Casework: visits and must-visits, pairing, assistance.
import { assistanceRoutes } from './modules/assistance/assistance.routes.ts';
import { pairingRoutes } from './modules/pairings/pairing.routes.ts';
import { visitRoutes } from './modules/visits/visit.routes.ts';
import { createPhotoStore } from './modules/visits/visit-photo.store.ts';
import { visitCampaignRoutes } from './modules/visits/visit-campaign.routes.ts';
import { retentionRoutes } from './modules/retention/retention.routes.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    /** The error code of a refused request, for the audit log. */
    auditReason: string | null;
  }
  interface FastifyContextConfig {
    /** Reachable without a session (health, login, the OpenAPI document). */
    public?: boolean;
    /** Open to a user whose password must be changed first (the change itself, who am I, logout). */
    beforePasswordChange?: boolean;
    /** Open to a session that still owes its second sign-in step (the step itself, who am I). */
    beforeSecondFactor?: boolean;
  }
}

export interface AppDependencies {
  config: Pick<Config, 'logLevel' | 'sessionTtlMinutes' | 'cookieSecure' | 'login'> &
    Partial<Pick<Config, 'sessionIdleMinutes' | 'attachmentMaxBytes' | 'retentionSchedule' | 'auditSync'>>;
  database: Database;
  /** Silence the request log (tests, benchmarks). */
  quiet?: boolean;
  /** The built web app to serve beside the API (`web/dist`); API only when absent. */
  webDist?: string | undefined;
  /**
   * Where photos of visits are kept (`<dataDir>/attachments`); a temporary folder, removed when the
   * app closes, when absent (tests, benchmarks).
   */
  attachmentsDir?: string | undefined;
}

/**
 * Responses are written by fast-json-stringify, compiled from each route's zod response schema:
 * it writes only the declared fields (an allow-list, as zod's own serializer) at twice the speed.
 */
function responseSerializer({ schema }: { schema: unknown }) {
  const jsonSchema = z.toJSONSchema(schema as z.ZodType, {
    io: 'output',
    target: 'draft-7',
    unrepresentable: 'any',
  });
  return fastJson(jsonSchema as Parameters<typeof fastJson>[0]);
}

/**
 * What a user whose duties keep away from the registers may call (三员): the audit log (auditor) or
 * the accounts and the retention periods (security administrator), their own session, org-unit
 * names and code lists.
 */
function outsiderMayUse(roles: readonly Role[], method: string, url: string): boolean {
  const path = url.split('?')[0]!;
  if (path.startsWith('/api/auth/')) return true;
  if (roles.includes('auditor') && path.startsWith('/api/audit')) return true;
  if (roles.includes('security_admin') && (path === '/api/users' || path.startsWith('/api/users/')))
    return true;
  if (roles.includes('security_admin') && path.startsWith('/api/retention/')) return true;
  if (method !== 'GET' && method !== 'HEAD') return false;
  return (
    path.startsWith('/api/code-lists/') ||
    path === '/api/org-units' ||
    /^\/api\/org-units\/[^/]+(\/ancestors)?$/.test(path)
  );
}

/** Builds the HTTP API: every route under /api, each one behind the session check unless public. */
export async function buildApp({ config, database, quiet, webDist, attachmentsDir }: AppDependencies) {
  const app = Fastify({
    logger: quiet ? false : { level: config.logLevel },
    trustProxy: false,
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializer);
  // A sealed value that cannot be decrypted is logged here, with its table, column and row.
  if (!quiet) setFieldErrorLog((context, message) => app.log.error(context, message));

  await registerWebSecurity(app, { behindTls: config.cookieSecure });
  await app.register(fastifyCookie);
  // Only routes that ask for it (the login) are rate-limited; over the limit answers 429 in Chinese.
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: () => new AppError(429, 'too_many_login_attempts'),
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Shiliuzi API', description: '石榴籽社区民族团结工作平台接口', version: '0.1.0' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });

  app.decorateRequest('actor', null);
  // Requests being answered now (until their connection is done with them, whatever the outcome).
  let answering = 0;
  app.addHook('onRequest', (_request, reply, done) => {
    answering++;
    reply.raw.once('close', () => answering--);
    done();
  });
  // Who read, searched, exported, revealed or changed what: every such answer is recorded.
  const audit = createAuditTrail(
    database,
    (error) => app.log.error({ err: error }, 'audit log write failed'),
    config.auditSync ?? 'batched',
    () => answering > 1,
  );
  registerAuditHook(app, audit);
  app.addHook('onClose', () => audit.close());
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.public || !request.url.startsWith('/api/')) return;
    const token = request.cookies[SESSION_COOKIE];
    const actor = token
      ? await userService.authenticate(database.db, token, config.sessionIdleMinutes)
      : undefined;
    if (!actor) throw unauthenticated();
    if (actor.secondFactor && !request.routeOptions.config.beforeSecondFactor)
      throw forbidden('second_factor_required');
    if (actor.mustChangePassword && !request.routeOptions.config.beforePasswordChange)
      throw forbidden('password_change_required');
    // An auditor or a security administrator finds their way in the tree; the registers are not theirs.
    if (isOutsideRegisters(actor.roles) && !outsiderMayUse(actor.roles, request.method, request.url))
      throw forbidden();
    request.actor = actor;
  });
  // The second wall (PostgreSQL row-level security): the handler's database work sees the actor's
  // subtree only. Set just before the handler, after the body is read (stream callbacks would lose it).
  // SQLite has no row security: nothing to set there.
  if (database.dialect.name === 'postgres') {
    app.addHook('preHandler', (request, _reply, done) => {
      if (request.actor) runInSubtree(request.actor.scopePath, done);
      else done();
    });
  }

  app.setErrorHandler((error, request, reply) => {
    if (isAppError(error)) {
      request.auditReason = error.code;
      if (error.status >= 500) request.log.error({ err: error }, 'application error');
      else request.log.info({ code: error.code, url: request.url }, 'request refused');
      return reply.status(error.status).send({ error: { code: error.code, message: error.message } });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const { code, message } = describeValidationErrors(error.validation);
      request.log.info(
        { code, issues: error.validation.map((v) => `${v.instancePath} ${v.message}`) },
        'invalid input',
      );
      return reply.status(400).send({ error: { code, message } });
    }
    if (isRowSecurityRefusal(error)) {
      // Out of the actor's subtree, answered as such; logged as an error, since the application's
      // own scope check should have refused it first.
      request.auditReason = 'row_security_refused';
      request.log.error({ err: error }, 'row-level security refused what the scope filter let through');
      return reply.status(404).send({ error: { code: 'not_found', message: errorMessages.not_found } });
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status === 400 || status === 415 || status === 413) {
      request.log.info({ err: (error as Error).message }, 'malformed request');
      return reply.status(400).send({ error: { code: 'invalid_json', message: errorMessages.invalid_json } });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .status(500)
      .send({ error: { code: 'internal_error', message: errorMessages.internal_error } });
  });

  const sendWebPage = webDist === undefined ? undefined : await registerWebApp(app, webDist);
  app.setNotFoundHandler((request, reply) => {
    // Any other page address belongs to the browser app's router.
    if (sendWebPage && request.method === 'GET' && !request.url.startsWith('/api/')) {
      return sendWebPage(reply);
    }
    const error = new AppError(404, 'route_not_found');
    return reply.status(404).send({ error: { code: error.code, message: error.message } });
  });

  app.get('/api/health', { config: { public: true }, schema: { hide: true } }, async () => ({
    status: 'ok',
  }));
  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  const db = database.db;
  const statistics = createStatisticsRunner(database);
  app.addHook('onClose', () => statistics.close());
  const reports = createReportRunner(database);
  app.addHook('onClose', () => reports.close());
  const imports = createImportJobs(database);
  app.addHook('onClose', () => imports.close());
  const photoDir = attachmentsDir ?? mkdtempSync(path.join(tmpdir(), 'shiliuzi-attachments-'));
  if (!attachmentsDir) app.addHook('onClose', async () => rmSync(photoDir, { recursive: true, force: true }));
  const photos = createPhotoStore(photoDir, config.attachmentMaxBytes);
  await app.register(async (api) => {
    authRoutes(api, db, config, audit);
    userRoutes(api, db);
    orgUnitRoutes(api, db, statistics);
    placeRoutes(api, db);
    householdRoutes(api, db);
    residentRoutes(api, db);
    reportRoutes(api, reports);
    exportRoutes(api, db);
    importRoutes(api, db, imports);
    codeListRoutes(api);
    auditRoutes(api, db);
    disputeRoutes(api, db, statistics);
    petitionRoutes(api, db);
    visitRoutes(api, db, statistics, photos);
    visitCampaignRoutes(api, db);
    pairingRoutes(api, db);
    assistanceRoutes(api, db);
    retentionRoutes(api, db, photos, { scheduled: (config.retentionSchedule ?? 'daily') === 'daily' });
  });
  await app.ready();
  return app;
}
