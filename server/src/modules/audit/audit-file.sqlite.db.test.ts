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
