import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.ts';
import type { AuditEvent, AuditTrail } from './audit.service.ts';

/** A read of sensitive data, by route: what the audit log calls it, and what it reads. */
interface AuditedRead {
  action: string;
  objectType: string;
}

/**
 * Every GET the audit log records: searches, lists, records, histories, figures, files and the
 * reveal of a masked value. Every other method is recorded under its route (e.g. `PATCH
 * /api/residents/:id`); `unauditedReads` lists the GETs that hold nothing personal, with why.
 */
export const auditedReads: Readonly<Record<string, AuditedRead>> = {
  'GET /api/residents': { action: 'resident.search', objectType: 'orgUnit' },
  'GET /api/residents/:id': { action: 'resident.read', objectType: 'resident' },
  'GET /api/residents/:id/history': { action: 'resident.history', objectType: 'resident' },
  'POST /api/residents/:id/reveal': { action: 'resident.reveal', objectType: 'resident' },
  'GET /api/households': { action: 'household.search', objectType: 'orgUnit' },
  'GET /api/households/:id': { action: 'household.read', objectType: 'household' },
  'GET /api/households/:id/members': { action: 'household.members', objectType: 'household' },
  'GET /api/households/:id/history': { action: 'household.history', objectType: 'household' },
  'POST /api/households/:id/reveal': { action: 'household.reveal', objectType: 'household' },
  'GET /api/places': { action: 'place.search', objectType: 'orgUnit' },
  'GET /api/places/:id': { action: 'place.read', objectType: 'place' },
  'GET /api/places/:id/history': { action: 'place.history', objectType: 'place' },
  'GET /api/org-units/:id/statistics': { action: 'statistics.read', objectType: 'orgUnit' },
  'GET /api/reports/basic': { action: 'report.basic', objectType: 'orgUnit' },
  'GET /api/exports/:register': { action: 'export.register', objectType: 'orgUnit' },
  'GET /api/users': { action: 'user.list', objectType: 'user' },
  'GET /api/users/pickable': { action: 'user.pick', objectType: 'user' },
  'GET /api/audit': { action: 'audit.search', objectType: 'auditLog' },
  'GET /api/audit/export': { action: 'audit.export', objectType: 'auditLog' },
  // disputes, petitions and hotline
  'GET /api/disputes': { action: 'dispute.search', objectType: 'orgUnit' },
  'GET /api/disputes/:id': { action: 'dispute.read', objectType: 'dispute' },
  'GET /api/disputes/:id/history': { action: 'dispute.history', objectType: 'dispute' },
  'GET /api/org-units/:id/dispute-petition-statistics': { action: 'statistics.read', objectType: 'orgUnit' },
  'GET /api/petitions': { action: 'petition.search', objectType: 'orgUnit' },
  'GET /api/petitions/:id': { action: 'petition.read', objectType: 'petition' },
  'GET /api/petitions/:id/history': { action: 'petition.history', objectType: 'petition' },
  'GET /api/disputes/export': { action: 'export.register', objectType: 'orgUnit' },
  'GET /api/petitions/export': { action: 'export.register', objectType: 'orgUnit' },
  // Casework: visits and must-visits, pairing, assistance.
  'GET /api/casework/statistics': { action: 'statistics.casework', objectType: 'orgUnit' },
  'GET /api/visits': { action: 'visit.search', objectType: 'orgUnit' },
  'GET /api/visits/:id': { action: 'visit.read', objectType: 'visit' },
  'GET /api/visits/export': { action: 'export.visits', objectType: 'orgUnit' },
  'GET /api/assistance/export': { action: 'export.assistance', objectType: 'orgUnit' },
  'GET /api/visits/:id/history': { action: 'visit.history', objectType: 'visit' },
  'GET /api/visits/:id/photos/:photoId': { action: 'visit.photo', objectType: 'visit' },
  'GET /api/visit-campaigns': { action: 'visitCampaign.search', objectType: 'orgUnit' },
  'GET /api/visit-campaigns/preview': { action: 'visitCampaign.preview', objectType: 'orgUnit' },
  'GET /api/visit-campaigns/:id': { action: 'visitCampaign.read', objectType: 'visitCampaign' },
  'GET /api/planned-visits': { action: 'plannedVisit.search', objectType: 'orgUnit' },
  'GET /api/must-visits': { action: 'mustVisit.search', objectType: 'orgUnit' },
  'GET /api/must-visits/overdue': { action: 'mustVisit.overdue', objectType: 'orgUnit' },
  'GET /api/must-visits/:id': { action: 'mustVisit.read', objectType: 'mustVisitTask' },
  'GET /api/must-visits/:id/history': { action: 'mustVisit.history', objectType: 'mustVisitTask' },
  'GET /api/pairings': { action: 'pairing.search', objectType: 'orgUnit' },
  'GET /api/pairings/:id': { action: 'pairing.read', objectType: 'pairing' },
  'GET /api/pairings/:id/history': { action: 'pairing.history', objectType: 'pairing' },
  'GET /api/assistance': { action: 'assistance.search', objectType: 'orgUnit' },
  'GET /api/assistance/totals': { action: 'assistance.totals', objectType: 'orgUnit' },
  'GET /api/assistance/:id': { action: 'assistance.read', objectType: 'assistance' },
  'GET /api/assistance/:id/history': { action: 'assistance.history', objectType: 'assistance' },
};

/** GETs not recorded, and why: nothing in them is about a person beyond the caller. */
export const unauditedReads: Readonly<Record<string, string>> = {
  'GET /api/health': 'liveness probe',
  'GET /api/openapi.json': 'API description',
  'GET /api/auth/me': 'the caller themself',
  'GET /api/code-lists/ethnic-groups': 'public code list',
  'GET /api/code-lists/regions': 'public code list',
  'GET /api/org-units': 'names of org units',
  'GET /api/org-units/:id': 'an org unit',
  'GET /api/org-units/:id/ancestors': 'names of org units',
  'GET /api/org-units/:id/history': 'changes to an org unit',
  'GET /api/exports/templates/:register': 'an empty register',
  'GET /api/imports/jobs/:id': "the caller's own import (its start and commit are recorded)",
  'GET /api/imports/templates': 'column mappings',
  'GET /api/petitions/sla': 'answer deadlines of an org unit',
  'GET /api/must-visits/rules': 'due days of must-visits',
  'GET /api/retention/policies': 'retention periods of record types',
  'GET /api/retention/runs': 'reports of retention runs: counts per record type, nothing personal',
  'GET /api/retention/runs/:id': 'the report of one retention run: counts per record type',
};

/** Login and logout record themselves (with the user name typed); nothing else is left out. */
const selfRecorded = new Set(['POST /api/auth/login', 'POST /api/auth/logout']);

function routeKey(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`;
}

function objectIdOf(request: FastifyRequest): string | undefined {
  const params = request.params as Record<string, string> | undefined;
  const query = request.query as Record<string, unknown> | undefined;
  const body = request.body as Record<string, unknown> | undefined;
  const candidate = params?.id ?? query?.orgUnitId ?? body?.orgUnitId;
  return typeof candidate === 'string' ? candidate : undefined;
}

const resultOf = (status: number): AuditEvent['result'] =>
  status < 400 ? 'ok' : [401, 403, 404].includes(status) ? 'denied' : 'failed';

/**
 * Records every audited act before its answer goes out: who (the session's actor), from where,
 * what, on which object, with which result and, for a refusal, its error code. Refusals anywhere
 * (401, 403) are recorded as `access.denied`. The answer waits until its row is committed (rows of
 * requests answered at the same time share one commit), so no answered request can lack its row.
 * When the row cannot be written, personal data is not sent (503 `audit_unavailable`); a refusal,
 * or a change already committed, is answered all the same and the failure is logged.
 */
export function registerAuditHook(app: FastifyInstance, trail: AuditTrail): void {
  app.decorateRequest('auditReason', null);
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method === 'HEAD' || !request.url.startsWith('/api/')) return payload;
    const key = routeKey(request);
    if (selfRecorded.has(key)) return payload;
    const read = auditedReads[key];
    const status = reply.statusCode;
    const isWrite = request.method !== 'GET';
    if (!read && !isWrite && status !== 401 && status !== 403) return payload;
    const body = request.body as Record<string, unknown> | undefined;
    const isReveal = read?.action.endsWith('.reveal') === true;
    const event: AuditEvent = {
      actor: request.actor ?? undefined,
      ip: request.ip,
      action: read?.action ?? (isWrite ? key : 'access.denied'),
      objectType: read?.objectType,
      objectId: objectIdOf(request),
      result: resultOf(status),
      reason: request.auditReason ?? (isReveal && typeof body?.reason === 'string' ? body.reason : undefined),
      detail: {
        route: key,
        status,
        ...(request.query && Object.keys(request.query).length > 0 ? { query: request.query } : {}),
        // Which value was asked for; the value itself is never recorded.
        ...(isReveal && typeof body?.field === 'string' ? { field: body.field } : {}),
      },
    };
    try {
      await trail.record(event);
    } catch {
      if (read && status < 400) throw new AppError(503, 'audit_unavailable');
    }
    return payload;
  });
}
