import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { cliEnv, cliRunner } from '../../test/cli.ts';
import { installTestFieldKeys, TEST_MASTER_KEY, testKeyring } from '../../test/field-keys.ts';
import {
  buildTestTree,
  loginAs,
  makeIdNumber,
  sessionCookie,
  TEST_PASSWORD,
  useRegistryTest,
} from '../../test/fixtures.ts';
import { createTestDatabase, testDialect, type TestDatabase } from '../../test/test-database.ts';
import { isAppError } from '../errors.ts';
import { cliActor } from '../lib/actor.ts';
import {
  fieldKeysOf,
  idNumberIndex,
  installFieldKeys,
  sealedKeyId,
  setFieldErrorLog,
} from '../lib/field-crypto.ts';
import { keyringOf } from '../lib/keys.ts';
import { disputeService } from '../modules/disputes/dispute.service.ts';
import { historyService } from '../modules/history/history.service.ts';
import { residentService } from '../modules/residents/resident.service.ts';
import { migrateDatabase, openDatabase, type Database } from './database.ts';
import type { Executor } from './database.ts';
import { sealedTables, SealedFieldsKeyError, sealOutstandingFields } from './sealed-fields.ts';

const logToConsole = (context: Record<string, unknown>, message: string) => console.error(message, context);

/** Every table of the database, read raw, as one text per table. */
async function rawTables(db: Executor): Promise<Map<string, string>> {
  const names =
    testDialect === 'postgres'
      ? await sql<{
          name: string;
        }>`select tablename as name from pg_tables where schemaname = 'public'`.execute(db)
      : await sql<{
          name: string;
        }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db);
  const tables = new Map<string, string>();
  for (const { name } of names.rows) {
    const { rows } = await sql`select * from ${sql.table(name)}`.execute(db);
    tables.set(name, JSON.stringify(rows));
  }
  return tables;
}

/** The tables holding any of the texts, as `table: text`. */
async function plaintextHits(db: Executor, texts: string[]): Promise<string[]> {
  const hits: string[] = [];
  for (const [table, content] of await rawTables(db)) {
    for (const text of texts) if (content.includes(text)) hits.push(`${table}: ${text}`);
  }
  return hits;
}

describe(`sealed fields at rest (${testDialect})`, () => {
  const r = useRegistryTest();
  const idNumber = makeIdNumber('513221', '19880808', 123);
  const secrets = {
    idNumber,
    phone: '13955556666',
    landlordPhone: '13577778888',
    placeLandlordPhone: '13611112222',
    summary: '装修噪音扰民引发口角',
    followUp: '回访时双方已和好',
    stepNotes: '调解员组织双方当面协商',
    subject: '楼道照明长期损坏',
    requesterName: '匿名求助者甲',
    eventNotes: '已转物业维修班组',
  };
  let residentId: string;
  let disputeId: string;

  it('keeps no ID number, phone or casework text in plaintext in any table, and still shows them', async () => {
    const worker = await r.signIn('sealed-worker', 'community_worker', r.tree.communityA.id);
    const dwelling = await worker.post('/api/places', {
      orgUnitId: r.tree.gridA1.id,
      kind: 'dwelling',
      name: '101',
      isRental: true,
      landlordName: '房东',
      landlordPhone: secrets.placeLandlordPhone,
    });
    expect(dwelling.status).toBe(201);
    const resident = await worker.post('/api/residents', {
      orgUnitId: r.tree.gridA1.id,
      name: '木加甲',
      ethnicityCode: '33',
      idNumber: secrets.idNumber,
      phone: secrets.phone,
      residenceType: 'floating',
      floating: { reason: 'work', landlordPhone: secrets.landlordPhone },
    });
    expect(resident.status).toBe(201);
    residentId = resident.body.id;
    const dispute = await worker.post('/api/disputes', {
      orgUnitId: r.tree.gridA1.id,
      intakeDate: '2026-03-02',
      source: 'survey',
      category: 'neighbour',
      isEthnicFactor: false,
      riskLevel: 'low',
      handlingLevel: 'grid',
      summary: secrets.summary,
      followUp: secrets.followUp,
      parties: [{ residentId }],
    });
    expect(dispute.status).toBe(201);
    disputeId = dispute.body.id;
    const step = await worker.post(`/api/disputes/${disputeId}/steps`, {
      version: dispute.body.version,
      stepDate: '2026-03-03',
      notes: secrets.stepNotes,
    });
    expect(step.status).toBe(201);
    const petition = await worker.post('/api/petitions', {
      orgUnitId: r.tree.gridA1.id,
      channel: 'visit',
      receivedDate: '2026-03-02',
      requesterName: secrets.requesterName,
      subject: secrets.subject,
    });
    expect(petition.status).toBe(201);
    const moved = await worker.post(`/api/petitions/${petition.body.id}/status`, {
      version: petition.body.version,
      status: 'handling',
      notes: secrets.eventNotes,
    });
    expect(moved.status).toBe(200);
    // A TOTP secret being bound is stored too.
    await loginAs(r.app, r.t.database, 'sealed-totp', 'community_worker', r.tree.communityA.id);
    const signedIn = await r.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'sealed-totp', password: TEST_PASSWORD },
    });
    const enrolment = await r.app.inject({
      method: 'POST',
      url: '/api/auth/totp/enrolment',
      headers: { cookie: sessionCookie(signedIn) },
    });
    const { secret } = enrolment.json() as { secret: string };

    expect(await plaintextHits(r.t.database.db, [...Object.values(secrets), secret])).toEqual([]);
    // The control: the same scan finds what is stored in plaintext on purpose (names are).
    expect(await plaintextHits(r.t.database.db, ['木加甲'])).toContain('resident: 木加甲');

    // Everything still reads as before: masked in the answers, whole on a reveal.
    const detail = await worker.get(`/api/residents/${residentId}`);
    expect(detail.body).toMatchObject({
      idNumber: '513***********' + idNumber.slice(-4),
      phone: '139****6666',
      floating: { landlordPhone: '135****8888' },
    });
    const revealed = await worker.post(`/api/residents/${residentId}/reveal`, {
      field: 'idNumber',
      reason: '核对身份',
    });
    expect(revealed.body).toEqual({ value: idNumber });
    expect((await worker.get(`/api/places/${dwelling.body.id}`)).body.landlordPhone).toBe('136****2222');
    const shown = await worker.get(`/api/disputes/${disputeId}`);
    expect(shown.body).toMatchObject({
      summary: secrets.summary,
      followUp: secrets.followUp,
      steps: [{ notes: secrets.stepNotes }],
    });
    const history = await worker.get(`/api/disputes/${disputeId}/history`);
    expect(JSON.stringify(history.body)).toContain(secrets.stepNotes);
    const found = await worker.get(`/api/petitions?q=${encodeURIComponent('照明')}`);
    expect(found.body.items.map((p: { subject: string }) => p.subject)).toEqual([secrets.subject]);
    expect(found.body.items[0].events[1].notes).toBe(secrets.eventNotes);
  });

  it('finds the person by the whole ID number and the whole phone, through their blind indexes', async () => {
    const worker = await r.signIn('sealed-finder', 'community_worker', r.tree.communityA.id);
    for (const q of [idNumber, idNumber.toLowerCase(), secrets.phone, '139-5555-6666']) {
      const found = await worker.get(`/api/residents?q=${encodeURIComponent(q)}`);
      expect(found.body.items.map((p: { id: string }) => p.id)).toEqual([residentId]);
    }
    const again = await worker.post('/api/residents', {
      orgUnitId: r.tree.gridA2.id,
      name: '木加乙',
      ethnicityCode: '33',
      idNumber,
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('resident_already_registered');
  });

  it('pages a search over sealed text with the right total', async () => {
    const worker = await r.signIn('sealed-pager', 'community_worker', r.tree.communityA.id);
    for (let i = 0; i < 3; i++) {
      await worker.post('/api/petitions', {
        orgUnitId: r.tree.gridA2.id,
        channel: 'hotline',
        receivedDate: `2026-03-1${i}`,
        subject: `井盖缺失第${i}处`,
      });
    }
    const page2 = await worker.get(
      `/api/petitions?q=${encodeURIComponent('井盖')}&pageSize=2&page=2&sort=receivedDate&order=asc`,
    );
    expect(page2.body.total).toBe(3);
    expect(page2.body.items.map((p: { subject: string }) => p.subject)).toEqual(['井盖缺失第2处']);
  });

  it('shows a value moved to another row or column as 【无法解密】, logs it, and will not reveal it', async () => {
    const worker = await r.signIn('sealed-tamper', 'community_worker', r.tree.communityA.id);
    const other = await worker.post('/api/residents', {
      orgUnitId: r.tree.gridA1.id,
      name: '木加丙',
      ethnicityCode: '33',
      idNumber: makeIdNumber('513221', '19900101', 211),
    });
    const db = r.t.database.db;
    const source = await db
      .selectFrom('resident')
      .select('idNumber')
      .where('id', '=', residentId)
      .executeTakeFirstOrThrow();
    await db
      .updateTable('resident')
      .set({ idNumber: source.idNumber })
      .where('id', '=', other.body.id)
      .execute();
    const summary = await db
      .selectFrom('dispute')
      .select('summary')
      .where('id', '=', disputeId)
      .executeTakeFirstOrThrow();
    await db.updateTable('dispute').set({ followUp: summary.summary }).where('id', '=', disputeId).execute();
    const log = vi.fn();
    setFieldErrorLog(log);
    try {
      const detail = await worker.get(`/api/residents/${other.body.id}`);
      expect(detail.status).toBe(200);
      expect(detail.body.idNumber).toBe('【无法解密】');
      const list = await worker.get(`/api/residents?q=${encodeURIComponent('木加丙')}`);
      expect(list.body.items[0].idNumber).toBe('【无法解密】');
      const reveal = await worker.post(`/api/residents/${other.body.id}/reveal`, {
        field: 'idNumber',
        reason: '核对身份',
      });
      expect(reveal.status).toBe(500);
      expect(reveal.body.error.code).toBe('field_unreadable');
      expect(reveal.body.error.message).toMatch(/无法解密/);
      const dispute = await worker.get(`/api/disputes/${disputeId}`);
      expect(dispute.body).toMatchObject({ summary: secrets.summary, followUp: '【无法解密】' });
      for (const body of [detail.body, list.body, reveal.body, dispute.body]) {
        expect(JSON.stringify(body)).not.toContain(idNumber);
      }
      expect(log).toHaveBeenCalledWith(
        expect.objectContaining({ column: 'resident.id_number', rowId: other.body.id }),
        expect.stringMatching(/resident\.id_number of row .* fails authentication/),
      );
      expect(log).toHaveBeenCalledWith(
        expect.objectContaining({ column: 'dispute.follow_up', rowId: disputeId }),
        expect.any(String),
      );
    } finally {
      setFieldErrorLog(logToConsole);
    }
  });
});

describe(`a database from before field encryption (${testDialect})`, () => {
  let t: TestDatabase | undefined;
  afterAll(async () => t?.cleanup());

  it('has its plaintext sealed at the next start, and everything found and shown as before', async () => {
    t = await createTestDatabase({ migrateTo: '2026_12_01_1100_row_security_visit_photos_campaigns' });
    const db = t.database.db;
    const tree = await buildTestTree(t.database, 'L');
    const legacyId = makeIdNumber('110101', '19750505', 335);
    const now = new Date().toISOString();
    const stamps = {
      version: 1,
      createdAt: now,
      updatedAt: now,
      createdBy: null,
      updatedBy: null,
      deletedAt: null,
    };
    const residentId = crypto.randomUUID();
    await sql`insert into resident (id, org_unit_id, street_id, name, gender, ethnicity_code, id_number, birth_date,
        phone, residence_type, languages, version, created_at, updated_at)
      values (${residentId}, ${tree.gridA1.id}, ${tree.street.id}, ${'旧系统居民'}, ${'male'}, ${'05'}, ${legacyId},
        ${'1975-05-05'}, ${'13344445555'}, ${'permanent'}, ${'[]'}, ${1}, ${now}, ${now})`.execute(db);
    await sql`insert into resident_name_gram (gram, org_unit_id, name, resident_id)
      values (${'旧系'}, ${tree.gridA1.id}, ${'旧系统居民'}, ${residentId})`.execute(db);
    const disputeId = crypto.randomUUID();
    await db
      .insertInto('dispute')
      .values({
        id: disputeId,
        orgUnitId: tree.gridA1.id,
        streetId: tree.street.id,
        intakeDate: '2026-01-05',
        source: 'survey',
        category: 'neighbour',
        isEthnicFactor: testDialect === 'postgres' ? false : 0,
        riskLevel: 'low',
        handlingLevel: 'grid',
        outcome: 'ongoing',
        closedOn: null,
        summary: '旧系统里的纠纷概况',
        followUp: null,
        ...stamps,
      })
      .execute();
    const changeId = crypto.randomUUID();
    await db
      .insertInto('changeLog')
      .values({
        id: changeId,
        entityType: 'resident',
        entityId: residentId,
        orgUnitId: tree.gridA1.id,
        streetId: tree.street.id,
        action: 'create',
        version: 1,
        actorId: null,
        actorName: '旧系统',
        at: now,
        before: null,
        after: JSON.stringify({ name: '旧系统居民', phone: '13344445555' }),
      })
      .execute();

    await migrateDatabase(t.database);
    const sealed = await sealOutstandingFields(db, logToConsole);
    expect(sealed).toMatchObject({ tables: sealedTables.length, unreadable: 0 });
    expect(sealed.rows).toBeGreaterThanOrEqual(3);
    expect(await plaintextHits(db, [legacyId, '13344445555', '旧系统里的纠纷概况'])).toEqual([]);
    const states = await db.selectFrom('fieldEncryption').select('keyId').distinct().execute();
    expect(states).toEqual([{ keyId: testKeyring().keyId }]);
    // A second start has nothing left to do.
    expect(await sealOutstandingFields(db, logToConsole)).toEqual({ tables: 0, rows: 0, unreadable: 0 });

    const found = await residentService.listResidents(db, cliActor, undefined, { q: legacyId }, 'name', {
      page: 1,
      pageSize: 10,
      order: 'asc',
    });
    expect(found.items).toMatchObject([{ id: residentId, phone: '133****5555' }]);
    expect(await residentService.revealResidentField(db, cliActor, residentId, 'idNumber')).toBe(legacyId);
    const twice = await residentService
      .registerResident(db, cliActor, {
        orgUnitId: tree.gridA2.id,
        name: '重复登记',
        ethnicityCode: '05',
        idNumber: legacyId,
        residenceType: 'permanent',
      })
      .catch((error: unknown) => error);
    expect(isAppError(twice) && twice.code).toBe('resident_already_registered');
    expect((await disputeService.getDispute(db, cliActor, disputeId)).summary).toBe('旧系统里的纠纷概况');
    const history = await historyService.listChanges(db, 'resident', residentId);
    expect(history.find((h) => h.id === changeId)?.after).toEqual({
      name: '旧系统居民',
      phone: '13344445555',
    });
  });
});

describe(`rotating the master key (${testDialect})`, { timeout: 180_000 }, () => {
  let t: TestDatabase | undefined;
  let dir: string | undefined;
  /** SQLite: the database opened again with the new key after the file was re-encrypted. */
  let reopened: Database | undefined;
  afterAll(async () => {
    installTestFieldKeys();
    await reopened?.destroy();
    await t?.cleanup();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads what the old key sealed when its file is supplied, re-seals it at start, and refuses without it', async () => {
    t = await createTestDatabase();
    const tree = await buildTestTree(t.database, 'R');
    const rotatedId = makeIdNumber('510704', '19660606', 447);
    const resident = await residentService.registerResident(t.database.db, cliActor, {
      orgUnitId: tree.gridA1.id,
      name: '轮换居民',
      ethnicityCode: '01',
      idNumber: rotatedId,
      phone: '13866667777',
      residenceType: 'permanent',
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shiliuzi-rotate-'));
    const oldKeyFile = path.join(dir, 'master-old.key');
    fs.writeFileSync(oldKeyFile, `${TEST_MASTER_KEY}\n`, { mode: 0o600 });
    const newKey = crypto.randomBytes(32).toString('base64');
    const newKeyring = keyringOf(Buffer.from(newKey, 'base64'), 'new');
    const { cli, cliFails } = cliRunner(() => ({ ...cliEnv(t!), SHILIUZI_MASTER_KEY: newKey }));

    const { cli: cliWithOldKey } = cliRunner(() => ({
      ...cliEnv(t!),
      SHILIUZI_MASTER_KEY: newKey,
      SHILIUZI_OLD_KEY_FILES: oldKeyFile,
    }));
    let database = t.database;
    if (t.dataDir) {
      // The embedded database: `db rekey` re-encrypts the file and re-seals the fields in one step, with
      // nothing else holding it; the test then reads it with the new key as the server will.
      await database.destroy();
      await cli('db', 'rekey', '--old-key-file', oldKeyFile);
      database = openDatabase({
        dataDir: t.dataDir,
        databaseUrl: undefined,
        encryptionKey: newKeyring.deriveKey('database').toString('hex'),
      });
      reopened = database;
    } else {
      // PostgreSQL: without the old key the values cannot be moved: nothing starts, nothing changes.
      const refused = await cliFails('db', 'migrate');
      expect(refused).toContain(`主密钥 ${testKeyring().keyId}`);
      expect(refused).toContain('SHILIUZI_OLD_KEY_FILES');
      await expect(
        sealOutstandingFields(database.db, logToConsole, fieldKeysOf(newKeyring)),
      ).rejects.toBeInstanceOf(SealedFieldsKeyError);
      await cliWithOldKey('db', 'migrate');
    }
    const db = database.db;
    const row = await db
      .selectFrom('resident')
      .select(['idNumber', 'phone', 'idNumberHash'])
      .where('id', '=', resident.id)
      .executeTakeFirstOrThrow();
    expect(sealedKeyId(row.idNumber!)).toBe(newKeyring.keyId);
    expect(sealedKeyId(row.phone!)).toBe(newKeyring.keyId);

    // From now on the new key alone reads everything and finds the person by the new blind index.
    installFieldKeys(fieldKeysOf(newKeyring));
    expect(row.idNumberHash).toBe(idNumberIndex(rotatedId));
    expect(await residentService.revealResidentField(db, cliActor, resident.id, 'phone')).toBe('13866667777');
    const found = await residentService.listResidents(db, cliActor, undefined, { q: rotatedId }, 'name', {
      page: 1,
      pageSize: 10,
      order: 'asc',
    });
    expect(found.items.map((p) => p.id)).toEqual([resident.id]);
    expect(await cli('db', 'migrate')).toContain('数据库已是最新结构');
    // A key that is neither is refused, naming the key the values are under now.
    await expect(
      sealOutstandingFields(db, logToConsole, fieldKeysOf(keyringOf(crypto.randomBytes(32), 'other'))),
    ).rejects.toThrow(newKeyring.keyId);
  });
});
