import { describe, expect, it } from 'vitest';
import { openSqliteFile } from '../../db/database.ts';
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
});
