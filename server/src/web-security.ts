import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';
import { AppError } from './errors.ts';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Whether a request that changes something comes from a page of this server. Browsers name the
 * page's origin on every such request (`Origin`) and say whether it is same-origin (`Sec-Fetch-Site`);
 * a form or script on another site cannot forge either. Calls without them (the CLI, scripts, tests)
 * come from no browser and carry no ambient cookie to abuse.
 */
export function isSameOriginRequest(headers: FastifyRequest['headers']): boolean {
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  const origin = headers.origin;
  if (origin === undefined) return true;
  if (origin === 'null') return false;
  try {
    return new URL(origin).host === headers.host;
  } catch {
    return false;
  }
}

/** A fresh pair of nonces a page's policy names, for its scripts and its styles. */
export interface CspNonces {
  script: string;
  style: string;
}

declare module 'fastify' {
  interface FastifyReply {
    /** The nonces of this answer's policy: set for pages (anything outside /api/), null for the API. */
    cspNonce: CspNonces | null;
  }
}

const policyDirectives = {
  defaultSrc: ["'self'"],
  // 'report-sample': a violation names the start of what was blocked.
  scriptSrc: ["'self'", "'report-sample'"],
  styleSrc: ["'self'", "'report-sample'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  workerSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** helmet's options: the policy (with a page's nonces), and the headers beside it. */
function headerOptions(behindTls: boolean, nonces?: CspNonces): HelmetOptions {
  const directives = nonces
    ? {
        ...policyDirectives,
        scriptSrc: [...policyDirectives.scriptSrc, `'nonce-${nonces.script}'`],
        styleSrc: [...policyDirectives.styleSrc, `'nonce-${nonces.style}'`],
      }
    : policyDirectives;
  return {
    contentSecurityPolicy: { useDefaults: false, directives },
    // The app is not embedded anywhere and embeds nothing.
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: behindTls ? { maxAge: 31_536_000, includeSubDomains: true } : false,
  };
}

/**
 * Browser-facing hardening: security headers with a Content Security Policy that allows no inline
 * script or style (antd's runtime styles carry the per-response nonce the page is given), HSTS behind
 * TLS, a same-origin check on every request that changes something (with the SameSite=Strict session
 * cookie, the answer to cross-site request forgery), and `no-store` on every API answer, since most
 * of them carry personal data. API answers carry one policy without nonces (they hold no markup),
 * whose headers helmet computes once; pages get a new pair of nonces each.
 */
export async function registerWebSecurity(app: FastifyInstance, options: { behindTls: boolean }) {
  const apiHeaders = helmet(headerOptions(options.behindTls));
  app.decorateReply('cspNonce', null);
  // helmet sets the headers and calls on (it throws rather than passing an error on).
  app.addHook('onRequest', (request, reply, done) => {
    if (request.url.startsWith('/api/')) {
      apiHeaders(request.raw, reply.raw, () => done());
      return;
    }
    const nonces = { script: randomBytes(16).toString('hex'), style: randomBytes(16).toString('hex') };
    reply.cspNonce = nonces;
    helmet(headerOptions(options.behindTls, nonces))(request.raw, reply.raw, () => done());
  });

  app.addHook('onRequest', async (request) => {
    if (!MUTATING.has(request.method) || isSameOriginRequest(request.headers)) return;
    request.log.warn(
      {
        origin: request.headers.origin,
        site: request.headers['sec-fetch-site'],
        host: request.headers.host,
        url: request.url,
      },
      'cross-site request refused',
    );
    throw new AppError(403, 'cross_site_request');
  });

  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    if (request.url.startsWith('/api/')) {
      reply.header('cache-control', 'no-store');
      reply.header('pragma', 'no-cache');
    }
    return payload;
  });
}
