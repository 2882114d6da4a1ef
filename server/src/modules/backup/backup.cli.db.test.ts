import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliBin, cliEnv, cliRunner } from '../../../test/cli.ts';
import {
  createTestDatabase,
  openInstallDatabase,
  testDialect,
  type TestDatabase,
} from '../../../test/test-database.ts';
import { createRestoreTarget, type RestoreTarget } from './backup-test-support.ts';

let t: TestDatabase;
let target: RestoreTarget;
let dir: string;
/** The first install (demo data, its own demo key) and the fresh one restored into. */
let sourceEnv: NodeJS.ProcessEnv;
let targetEnv: NodeJS.ProcessEnv;
let sourceDataDir: string;

const source = cliRunner(() => sourceEnv, 240_000);
const restored = cliRunner(() => targetEnv, 240_000);

async function tableCounts(
  dataDir: string,
  databaseUrl: string | undefined,
): Promise<Record<string, number>> {
  const database = openInstallDatabase(dataDir, databaseUrl);
  try {
    const tables = databaseUrl
      ? await sql<{
          name: string;
        }>`select tablename as name from pg_tables where schemaname = 'public'`.execute(database.db)
      : // With the audit trail's own file (a restored copy holds it in the main file until it starts).
        await sql<{ name: string }>`
          select name from main.sqlite_schema where type = 'table' and name not like 'sqlite_%'
          union select name from audit.sqlite_schema where type = 'table' and name not like 'sqlite_%'`.execute(
          database.db,
        );
    const counts: Record<string, number> = {};
    for (const { name } of tables.rows) {
      const { rows } = await sql<{ n: number }>`select count(*) as n from ${sql.table(name)}`.execute(
        database.db,
      );
      counts[name] = Number(rows[0]!.n);
    }
    return counts;
  } finally {
    await database.destroy();
  }
}

beforeAll(async () => {
  t = await createTestDatabase();
  target = await createRestoreTarget(t);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiliuzi-backup-cli-'));
  // On PostgreSQL the data dir still holds the demo key.
  sourceDataDir = t.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'shiliuzi-backup-cli-key-'));
  // No configured key: demo mode makes its own in the data dir, which is what is tested here.
  const { SHILIUZI_MASTER_KEY: _testKey, ...env } = cliEnv(t);
  sourceEnv = { ...env, SHILIUZI_DATA_DIR: sourceDataDir };
  targetEnv = {
    ...env,
    SHILIUZI_DATA_DIR: target.dataDir,
    ...(target.databaseUrl ? { DATABASE_URL: target.databaseUrl } : {}),
    ...(target.databaseOwnerUrl ? { DATABASE_OWNER_URL: target.databaseOwnerUrl } : {}),
  };
  await source.cli('demo');
}, 240_000);

afterAll(async () => {
  await target?.cleanup();
  await t?.cleanup();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  if (!t?.dataDir && sourceDataDir) fs.rmSync(sourceDataDir, { recursive: true, force: true });
});

// Every step spawns the CLI (several seconds each on a busy machine).
describe(`shiliuzi backup and restore (${testDialect})`, { timeout: 180_000 }, () => {
  const file = () => path.join(dir, 'demo.slzbak');
  const demoKey = () => path.join(sourceDataDir, 'keys', 'master.key');

  it('backs up the demo database into an encrypted file, with the demo key made on first use', async () => {
    const out = await source.cli('backup', '--out', file());
    expect(out).toContain(`备份完成：${file()}`);
    expect(out).toMatch(/共 \d+ 张表，[\d,]+ 行/);
    expect(fs.statSync(file()).mode & 0o777).toBe(0o600);
    expect(fs.statSync(demoKey()).mode & 0o777).toBe(0o600);
    expect(await source.cliFails('backup', '--out', file())).toContain('备份文件已存在');
  });

  it('removes the plaintext copy when the backup is interrupted (Ctrl-C)', async () => {
    const out = path.join(dir, 'interrupted', 'demo.slzbak');
    fs.mkdirSync(path.dirname(out));
    const child = spawn(process.execPath, [cliBin, 'backup', '--out', out], { env: sourceEnv });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const hasPlaintext = () => fs.readdirSync(path.dirname(out)).some((name) => name.endsWith('.tmp'));
    while (!hasPlaintext()) {
      if (child.exitCode !== null) throw new Error(`backup ended before it could be interrupted: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toContain('已中断：临时文件已删除');
    expect(fs.readdirSync(path.dirname(out))).toEqual([]);
  });

  it('will not restore into a fresh data dir without the key, nor with another one', async () => {
    expect(await restored.cliFails('restore', file())).toContain('找不到主密钥');
    const otherKey = path.join(dir, 'other.key');
    fs.writeFileSync(otherKey, crypto.randomBytes(32));
    expect(await restored.cliFails('restore', file(), '--key-file', otherKey)).toContain('密钥不符');
    expect(await target.listTables()).toEqual([]);
  });

  it('refuses a damaged file with a Chinese message and a non-zero exit', async () => {
    const bytes = fs.readFileSync(file());
    bytes[bytes.length - 1000] = bytes[bytes.length - 1000]! ^ 0xff;
    const damaged = path.join(dir, 'damaged.slzbak');
    fs.writeFileSync(damaged, bytes);
    const message = await restored.cliFails('restore', damaged, '--key-file', demoKey());
    expect(message).toContain('命令执行失败：备份文件已损坏或被改动');
    expect(await target.listTables()).toEqual([]);
  });

  it('restores into a second fresh install with the key file, every table counted the same', async () => {
    const out = await restored.cli('restore', file(), '--key-file', demoKey());
    expect(out).toContain('恢复完成');
    expect(out).toContain('每张表的行数和校验和均与备份清单一致');
    const before = await tableCounts(sourceDataDir, t.url);
    const after = await tableCounts(target.dataDir, target.databaseUrl);
    expect(after).toEqual(before);
    expect(before.resident).toBeGreaterThan(1000);
    // The summary shows what was counted.
    expect(out).toContain(`共 ${Object.keys(before).length} 张表`);
    // Demo mode without a configured key: the restored install adopts the key its data came with.
    expect(out).toContain('已把所用主密钥复制到');
    expect(fs.readFileSync(path.join(target.dataDir, 'keys', 'master.key'))).toEqual(
      fs.readFileSync(demoKey()),
    );
  });

  it('answers the same figures from the restored install', async () => {
    const database = openInstallDatabase(sourceDataDir, t.url);
    const district = await database.db
      .selectFrom('orgUnit')
      .select('code')
      .where('parentId', 'is', null)
      .executeTakeFirstOrThrow()
      .finally(() => database.destroy());
    const figures = (cli: typeof source) =>
      cli.cli('stats', '--org', district.code, '--json', '--to', '2026-11-01');
    expect(JSON.parse(await figures(restored))).toEqual(JSON.parse(await figures(source)));
  });

  it('refuses to restore over the restored database', async () => {
    const message = await restored.cliFails('restore', file(), '--key-file', demoKey());
    expect(message).toMatch(/已有数据库|不是空库/);
  });
});
