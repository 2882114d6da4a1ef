import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

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
 * Serves the built web app beside the API: hashed assets are cached for a year, every other path
 * that is not an API call gets index.html so the browser's router can take it.
 */
export async function registerWebApp(app: FastifyInstance, distDir: string): Promise<boolean> {
  if (!existsSync(path.join(distDir, 'index.html'))) return false;
  await app.register(fastifyStatic, {
    root: distDir,
    wildcard: false,
    index: false,
    setHeaders: (response, filePath) => {
      response.setHeader(
        'cache-control',
        filePath.includes(`${path.sep}assets${path.sep}`)
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      );
    },
  });
  return true;
}
