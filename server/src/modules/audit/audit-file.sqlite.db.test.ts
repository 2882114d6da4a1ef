import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditFileOf, openSqliteFile } from '../../db/database.ts';
import { useRegistryTest } from '../../../test/fixtures.ts';

// SQLite only: the embedded database keeps its audit trail in a file of its own (db/audit-file.ts).
const r = useRegistryTest();

describe('the audit trail of the embedded database', () => {
  it('answers reads while a long write holds the registers, each read already recorded', async () => {
    const worker = await r.signIn('audit-file-worker', 'community_worker', r.tree.communityA.id);
    const { file, options } = r.t.database;
    // Another process (an import, a CLI command) holds the registers' write lock for a long time.
    const importer = openSqliteFile(file!, options.encryptionKey);
    importer.exec('begin immediate');
    try {
      const listed = await worker.get(`/api/residents?orgUnitId=${r.tree.gridA1.id}`);
      expect(listed.status).toBe(200);
      const rows = await r.t.database.db
        .selectFrom('auditLog')
        .select(['action', 'username', 'objectId'])
        .orderBy('seq', 'desc')
        .limit(1)
        .execute();
      expect(rows).toEqual([
        { action: 'resident.search', username: 'audit-file-worker', objectId: r.tree.gridA1.id },
      ]);
    } finally {
      importer.exec('rollback');
      importer.close();
    }
  });

  it('holds a read while another process holds the audit file, answers it once its row is in, and serves the rest meanwhile', async () => {
    const worker = await r.signIn('audit-lock-worker', 'community_worker', r.tree.communityA.id);
    const { file, options } = r.t.database;
    const countRows = async () =>
      (
        await r.t.database.db
          .selectFrom('auditLog')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('username', '=', 'audit-lock-worker')
          .where('action', '=', 'resident.search')
          .executeTakeFirstOrThrow()
      ).n;
    expect(await countRows()).toBe(0);
    // Another process (a CLI command writing its own rows) holds the audit file's write lock.
    const other = openSqliteFile(auditFileOf(file!), options.encryptionKey);
    other.exec('begin immediate');
    let answered = false;
    const listed = worker.get(`/api/residents?orgUnitId=${r.tree.gridA1.id}`).then((response) => {
      answered = true;
      return response;
    });
    try {
      // The server goes on answering what needs no audit row, without waiting for the lock (a
      // connection that waited would hold this thread for its 5 s busy timeout); the read waits.
      const started = Date.now();
      for (let i = 0; i < 3; i++) {
        expect((await worker.get('/api/auth/me')).status).toBe(200);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(Date.now() - started).toBeLessThan(4000);
      expect(answered).toBe(false);
    } finally {
      other.exec('rollback');
      other.close();
    }
    expect((await listed).status).toBe(200);
    expect(await countRows()).toBe(1);
  });

  it('syncs a read’s row into the audit file itself within seconds, not only into its WAL', async () => {
    const worker = await r.signIn('audit-sync-worker', 'community_worker', r.tree.communityA.id);
    const { file, options } = r.t.database;
    const listed = await worker.get(`/api/residents?orgUnitId=${r.tree.gridA2.id}`);
    expect(listed.status).toBe(200);
    // The audit file as the disk holds it without its WAL: the row is there only once checkpointed.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-sync-'));
    const readFileAlone = () => {
      const copy = path.join(dir, `copy-${Date.now()}.db`);
      fs.copyFileSync(auditFileOf(file!), copy);
      const sqlite = openSqliteFile(copy, options.encryptionKey);
      try {
        return sqlite
          .prepare(`select count(*) as n from audit_log where username = ? and object_id = ?`)
          .get('audit-sync-worker', r.tree.gridA2.id) as { n: number };
      } finally {
        sqlite.close();
      }
    };
    try {
      await expect.poll(readFileAlone, { timeout: 8000, interval: 250 }).toEqual({ n: 1 });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
