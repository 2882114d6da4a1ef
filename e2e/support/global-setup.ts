import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

const root = path.resolve(import.meta.dirname, '../..');

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

/**
 * Starts the app exactly as `npm start` does (migrate, demo data, build the web app when stale, serve)
 * on a free port with a fresh data directory, and hands its address to the browser tests.
 */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'shiliuzi-e2e-'));
  const server: ChildProcess = spawn(
    process.execPath,
    [path.join(root, 'server/bin/shiliuzi.mjs'), 'start'],
    {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        TZ: 'Asia/Shanghai',
        SHILIUZI_DATA_DIR: dataDir,
        PORT: '0',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 180_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /https?:\/\/[^\s]+/.exec(output)?.[0];
      // The demo logins are printed once the server listens.
      if (url && output.includes('Demo@2026')) {
        clearTimeout(timer);
        resolve(url);
      }
    };
    server.stdout!.on('data', onData);
    server.stderr!.on('data', onData);
    server.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
  project.provide('baseUrl', baseUrl);
  return async () => {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  };
}
