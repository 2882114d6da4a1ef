import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { TEST_MASTER_KEY } from './field-keys.ts';
import type { TestDatabase } from './test-database.ts';

const run = promisify(execFile);

/** The `shiliuzi` command as a user runs it. */
export const cliBin = path.resolve(import.meta.dirname, '../bin/shiliuzi.mjs');

/** The environment of a CLI process that opens the same database as the test. */
export function cliEnv(t: TestDatabase): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    TZ: 'Asia/Shanghai',
    LOG_LEVEL: 'silent',
    // The key the test process seals with, so both read what the other wrote.
    SHILIUZI_MASTER_KEY: TEST_MASTER_KEY,
    ...(t.dataDir ? { SHILIUZI_DATA_DIR: t.dataDir } : {}),
    ...(t.url ? { DATABASE_URL: t.url } : {}),
    ...(t.ownerUrl ? { DATABASE_OWNER_URL: t.ownerUrl } : {}),
  };
}

/** Runs `shiliuzi …` against the test's database: `cli` answers stdout, `cliFails` the stderr of a refusal. */
export function cliRunner(env: () => NodeJS.ProcessEnv, timeout = 120_000) {
  const cli = async (...args: string[]): Promise<string> =>
    (await run(process.execPath, [cliBin, ...args], { env: env(), timeout })).stdout;
  const cliFails = async (...args: string[]): Promise<string> => {
    try {
      await run(process.execPath, [cliBin, ...args], { env: env(), timeout });
    } catch (error) {
      return (error as { stderr: string }).stderr;
    }
    throw new Error(`expected shiliuzi ${args.join(' ')} to fail`);
  };
  return { cli, cliFails };
}
