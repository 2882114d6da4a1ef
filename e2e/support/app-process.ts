import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

/** Debian's Chromium, started headless the way this machine allows (no sandbox as root, no network chatter). */
export const chromiumOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

export interface RunningApp {
  /** The address the server printed, e.g. http://localhost:40123 */
  url: string;
  stop: () => Promise<void>;
}

/**
 * Starts the app exactly as `npm start` does (migrate, demo data, build the web app when stale,
 * serve) on a free port with a fresh data directory; resolves once the demo logins are printed.
 */
export async function startApp(): Promise<RunningApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'shiliuzi-app-'));
  const server = spawn(process.execPath, [path.join(root, 'server/bin/shiliuzi.mjs'), 'start'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      TZ: 'Asia/Shanghai',
      SHILIUZI_DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'warn',
      // Every test signs in from 127.0.0.1, many times a minute; the per-IP limit has its own tests.
      LOGIN_ATTEMPTS_PER_IP_MINUTE: '1000',
      // The demo auditor signs in with TOTP (production's rule for privileged roles); the others need not.
      TOTP_REQUIRED_ROLES: 'auditor',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 180_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = /https?:\/\/[^\s]+/.exec(output)?.[0];
      if (found && output.includes('Demo@2026')) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    stop: async () => {
      if (server.exitCode === null) {
        server.kill('SIGTERM');
        await new Promise((resolve) => server.once('exit', resolve));
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
