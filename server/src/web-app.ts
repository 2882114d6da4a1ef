import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** The browser app's sources and its production build. */
export const webRoot = path.resolve(import.meta.dirname, '../../web');
export const webDist = path.join(webRoot, 'dist');

function newestChange(target: string): number {
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestChange(path.join(target, entry)));
  return newest;
}

/** Whether `web/dist` is missing or older than a file of the web app or the shared code it bundles. */
export function isWebBuildStale(): boolean {
  const index = path.join(webDist, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const sources = [
    path.join(webRoot, 'src'),
    path.join(webRoot, 'index.html'),
    path.join(webRoot, 'vite.config.ts'),
    path.resolve(webRoot, '../shared/src'),
  ];
  return sources.some((source) => existsSync(source) && newestChange(source) > built);
}

/** Builds the web app with Vite when its build is missing or stale (the first `npm start`). */
export async function ensureWebBuild(log: (message: string) => void): Promise<void> {
  if (!existsSync(webRoot) || !isWebBuildStale()) return;
  log('web');
  const { build } = await import('vite');
  await build({ root: webRoot, configFile: path.join(webRoot, 'vite.config.ts'), logLevel: 'warn' });
}

/**
 * Serves the built web app beside the API: hashed assets are cached for a year. Returns what writes
 * the app's page, which every other path that is not an API call gets so the browser's router can
 * take it (none when there is no build).
 */
export async function registerWebApp(
  app: FastifyInstance,
  distDir: string,
): Promise<((reply: FastifyReply) => FastifyReply) | undefined> {
  const index = path.join(distDir, 'index.html');
  if (!existsSync(index)) return undefined;
  const page = readFileSync(index, 'utf8');
  await app.register(fastifyStatic, {
    root: distDir,
    wildcard: false,
    index: false,
    // Our own cache headers below (the library's default would overwrite them with max-age=0).
    cacheControl: false,
    // The page itself is always written by `sendWebPage`, with this response's style nonce.
    allowedPath: (pathName) => pathName !== '/index.html',
    setHeaders: (response, filePath) => {
      response.setHeader(
        'cache-control',
        filePath.includes(`${path.sep}assets${path.sep}`)
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      );
    },
  });
  return (reply) => sendWebPage(reply, page);
}

/**
 * The app's page, carrying this response's style nonce (`<meta name="csp-nonce">`) for the styles
 * antd writes at run time: the Content Security Policy allows no other inline style.
 */
function sendWebPage(reply: FastifyReply, page: string): FastifyReply {
  // Set per page answer (web-security.ts).
  const nonce = reply.cspNonce?.style;
  if (!nonce) throw new Error('a page is answered without the nonces of its policy');
  return reply
    .header('cache-control', 'no-cache')
    .type('text/html; charset=utf-8')
    .send(page.replace('</head>', `  <meta name="csp-nonce" content="${nonce}" />\n  </head>`));
}
