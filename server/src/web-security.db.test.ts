import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.ts';
import { defaultLoginPolicy } from './config.ts';
import { buildTestApp, buildTestTree, loginAs, type TestApp, type TestTree } from '../test/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../test/test-database.ts';

let t: TestDatabase;
let tree: TestTree;
let app: TestApp;
let cookie: string;

beforeAll(async () => {
  t = await createTestDatabase();
  tree = await buildTestTree(t.database, 'W');
  app = await buildTestApp(t.database);
  ({ cookie } = await loginAs(app, t.database, 'hardening', 'community_worker', tree.communityA.id));
});

afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

const newPlace = (headers: Record<string, string>) =>
  app.inject({
    method: 'POST',
    url: '/api/places',
    headers: { cookie, host: 'shiliuzi.example:3000', ...headers },
    payload: { orgUnitId: tree.communityA.id, kind: 'estate', name: `小区${Object.keys(headers).join('-')}` },
  });

describe('requests from other sites', () => {
  it('refuses a change sent by a page of another site, in Chinese, and changes nothing', async () => {
    const before = (await app.inject({ url: '/api/places', headers: { cookie } })).json().total as number;

    for (const headers of <Record<string, string>[]>[
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site', origin: 'http://shiliuzi.example:3000' },
    ]) {
      const refused = await newPlace(headers);
      expect(refused.statusCode, JSON.stringify(headers)).toBe(403);
      expect(refused.json().error).toEqual({
        code: 'cross_site_request',
        message: '请求来源不是本系统的页面，已拒绝。请刷新页面后重试',
      });
    }
    // A sign-in from another site is refused too (no login CSRF).
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: 'https://evil.example' },
      payload: { username: 'hardening', password: 'whatever' },
    });
    expect(login.statusCode).toBe(403);

    expect((await app.inject({ url: '/api/places', headers: { cookie } })).json().total).toBe(before);
  });

  it('accepts a change from its own pages and from clients that are no browser', async () => {
    const samePage = await newPlace({
      origin: 'http://shiliuzi.example:3000',
      'sec-fetch-site': 'same-origin',
    });
    expect(samePage.statusCode).toBe(201);
    const script = await newPlace({});
    expect(script.statusCode).toBe(201);
  });
});

describe('security headers', () => {
  it('answers every API call with no-store and a policy that allows no inline script or style', async () => {
    const answer = await app.inject({ url: '/api/residents', headers: { cookie } });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['x-frame-options']).toBe('DENY');
    const policy = String(answer.headers['content-security-policy']);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("default-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
    // Not behind TLS: no HSTS (a browser would pin a plain-HTTP host to HTTPS).
    expect(answer.headers['strict-transport-security']).toBeUndefined();
  });

  it('gives the page the nonce its policy names, a new one each time, and HSTS behind TLS', async () => {
    const dist = mkdtempSync(path.join(tmpdir(), 'shiliuzi-dist-'));
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(
      path.join(dist, 'index.html'),
      '<html><head><title>石榴籽</title></head><body></body></html>',
    );
    writeFileSync(path.join(dist, 'assets', 'app.js'), 'console.log(1)');
    const web = await buildApp({
      config: { logLevel: 'silent', sessionTtlMinutes: 60, cookieSecure: true, login: defaultLoginPolicy },
      database: t.database,
      quiet: true,
      webDist: dist,
    });
    try {
      const nonces = [];
      for (const url of ['/residents', '/index.html']) {
        const page = await web.inject({ url });
        expect(page.statusCode).toBe(200);
        const nonce = /<meta name="csp-nonce" content="([^"]+)"/.exec(page.body)?.[1];
        expect(nonce).toBeDefined();
        expect(String(page.headers['content-security-policy'])).toContain(`'nonce-${nonce}'`);
        expect(page.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
        nonces.push(nonce);
      }
      expect(nonces[0]).not.toBe(nonces[1]);
      const asset = await web.inject({ url: '/assets/app.js' });
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    } finally {
      await web.close();
      rmSync(dist, { recursive: true, force: true });
    }
  });
});
