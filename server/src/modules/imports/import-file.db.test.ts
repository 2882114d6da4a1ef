import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestTree, makeIdNumber, type TestTree } from '../../../test/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { cliActor } from '../../lib/actor.ts';
import { auditService } from '../audit/audit.service.ts';
import { idNumberIndex, phoneIndex, unseal } from '../../lib/field-crypto.ts';
import { createImportJobs } from './import-jobs.ts';
import { importRegisterFile } from './import-file.ts';
import { importTemplateService, templateMapping } from './import-template.service.ts';
import { writeWorkbook } from './reading/test-files.ts';

let t: TestDatabase;
let tree: TestTree;
let dir: string;

beforeAll(async () => {
  t = await createTestDatabase();
  tree = await buildTestTree(t.database, 'F');
  dir = mkdtempSync(path.join(tmpdir(), 'shiliuzi-import-file-'));
});

afterAll(async () => {
  await t?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const wrongCheckDigit = (id: string) => id.slice(0, 17) + (id.endsWith('0') ? '1' : '0');

/** A register with a title, a header, good rows, a copy-pasted row, a wrong check digit and a blank row. */
async function messyRegister(file: string, people: number): Promise<Buffer> {
  return writeWorkbook(file, (workbook) => {
    const sheet = workbook.addWorksheet('居民台账');
    sheet.addRow(['甲社区居民台账']);
    sheet.mergeCells('A1:F1');
    sheet.addRow(['序号', '姓名', '民族', '身份证号', '所属网格', '现住址']);
    for (let i = 0; i < people; i++) {
      const id = makeIdNumber('513221', `1980${String(1 + (i % 12)).padStart(2, '0')}15`, 100 + i);
      sheet.addRow([
        i + 1,
        `杨${i}`,
        i % 2 ? '羌' : '汉族',
        id,
        `${1 + (i % 3)}网格`,
        `羌兴苑${1 + (i % 5)}栋${101 + i}`,
      ]);
    }
    sheet.addRow([
      people + 1,
      '杨0',
      '汉族',
      makeIdNumber('513221', '19800115', 100),
      '1网格',
      '羌兴苑1栋101',
    ]);
    sheet.addRow([]);
    sheet.addRow([
      people + 2,
      '错号',
      '回族',
      wrongCheckDigit(makeIdNumber('622901', '19700707', 13)),
      '2网格',
      '',
    ]);
  });
}

describe('reading a register on its own thread', () => {
  it('gives the same report as reading beside the writing, row for row', async () => {
    const file = path.join(dir, '居民台账.xlsx');
    await messyRegister(file, 40);
    const options = {
      filePath: file,
      orgUnitId: tree.communityA.id,
      dryRun: true,
      holdInvalidIdNumbers: false,
    };
    const beside = await importRegisterFile(t.database.db, cliActor, { ...options, readOnThread: false });
    const onThread = await importRegisterFile(t.database.db, cliActor, { ...options, readOnThread: true });
    expect(onThread).toEqual(beside);
    expect(onThread).toMatchObject({ rows: 42, accepted: 40, created: 40, merged: 1, blankRows: 1 });
    expect(onThread.rejected).toEqual([
      expect.objectContaining({ sheet: '居民台账', row: 45, code: 'id_check_digit' }),
    ]);
  });

  it('refuses a damaged file with the same message, and imports nothing', async () => {
    const file = path.join(dir, '损坏.xlsx');
    const whole = await messyRegister(path.join(dir, 'whole.xlsx'), 40);
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
    const options = {
      filePath: file,
      orgUnitId: tree.communityA.id,
      dryRun: false,
      holdInvalidIdNumbers: false,
    };
    const beside = await importRegisterFile(t.database.db, cliActor, {
      ...options,
      readOnThread: false,
    }).catch((error: Error) => error);
    const onThread = await importRegisterFile(t.database.db, cliActor, {
      ...options,
      readOnThread: true,
    }).catch((error: Error) => error);
    expect(beside).toBeInstanceOf(Error);
    expect(onThread).toBeInstanceOf(Error);
    expect((onThread as Error).message).toBe((beside as Error).message);
    expect((onThread as Error).message).toMatch(/[\u4e00-\u9fa5]/);
    const residents = await t.database.db.selectFrom('resident').select('id').execute();
    expect(residents).toHaveLength(0);
  });

  it('seals the ID numbers and phones of a file read on its thread, each bound to its own record', async () => {
    const file = path.join(dir, '电话台账.xlsx');
    const people = Array.from({ length: 30 }, (_, i) => ({
      name: `马${i}`,
      idNumber: makeIdNumber('622901', `1990${String(1 + (i % 12)).padStart(2, '0')}20`, 200 + i),
      phone: i % 3 ? `1390000${String(1000 + i)}` : '',
    }));
    await writeWorkbook(file, (workbook) => {
      const sheet = workbook.addWorksheet('居民台账');
      sheet.addRow(['姓名', '民族', '公民身份号码', '联系电话']);
      for (const p of people) sheet.addRow([p.name, '回族', p.idNumber, p.phone]);
      // A copy of the first person: merged into the first.
      sheet.addRow([people[0]!.name, '回族', people[0]!.idNumber, people[0]!.phone]);
    });
    const report = await importRegisterFile(t.database.db, cliActor, {
      filePath: file,
      orgUnitId: tree.gridB2.id,
      dryRun: false,
      holdInvalidIdNumbers: false,
      readOnThread: true,
    });
    expect(report).toMatchObject({ rows: 31, created: 30, merged: 1, rejected: [] });
    const stored = await t.database.db
      .selectFrom('resident')
      .select(['id', 'name', 'idNumber', 'idNumberHash', 'phone', 'phoneHash', 'phoneMasked'])
      .where('orgUnitId', '=', tree.gridB2.id)
      .execute();
    expect(stored).toHaveLength(30);
    for (const record of stored) {
      const person = people.find((p) => p.name === record.name)!;
      expect(unseal('resident.id_number', record.id, record.idNumber!)).toBe(person.idNumber);
      expect(record.idNumberHash).toBe(idNumberIndex(person.idNumber));
      if (person.phone) {
        expect(unseal('resident.phone', record.id, record.phone!)).toBe(person.phone);
        expect(record.phoneHash).toBe(phoneIndex(person.phone));
        expect(record.phoneMasked).toBe(`139****${person.phone.slice(-4)}`);
      } else {
        expect(record).toMatchObject({ phone: null, phoneHash: null, phoneMasked: null });
      }
    }
    // Bound to its record: a sealed ID number moved to another record does not open.
    expect(() => unseal('resident.id_number', stored[1]!.id, stored[0]!.idNumber!)).toThrow();
  });
});

describe('mapping templates', () => {
  it('reads a column the synonyms do not know once a template or a corrected layout names it', async () => {
    const file = path.join(dir, '族属登记.xlsx');
    await writeWorkbook(file, (workbook) => {
      const sheet = workbook.addWorksheet('登记表');
      sheet.addRow(['序号', '姓名', '族属', '身份证号']);
      sheet.addRow([1, '尔古', '彝族', makeIdNumber('513221', '19850505', 71)]);
      sheet.addRow([2, '卓玛', '藏族', makeIdNumber('513221', '19900909', 72)]);
    });
    const options = { filePath: file, orgUnitId: tree.gridA1.id, dryRun: true, holdInvalidIdNumbers: false };
    const detected = await importRegisterFile(t.database.db, cliActor, options);
    expect(detected).toMatchObject({ rows: 2, accepted: 0 });
    expect(detected.rejected.map((p) => p.code)).toEqual(['ethnicity_required', 'ethnicity_required']);
    const layout = detected.layouts[0]!;
    expect(layout.columns.find((c) => c.header === '族属')).toMatchObject({ field: null, letter: 'C' });

    const corrected = {
      ...layout,
      columns: layout.columns.map((c) => (c.header === '族属' ? { ...c, field: 'ethnicity' as const } : c)),
    };
    const withLayout = await importRegisterFile(t.database.db, cliActor, {
      ...options,
      layouts: [corrected],
    });
    expect(withLayout).toMatchObject({ rows: 2, accepted: 2, created: 2, rejected: [] });

    const worker = { ...cliActor, orgUnitId: tree.communityA.id, scopePath: tree.communityA.path };
    const saved = await importTemplateService.saveTemplate(t.database.db, worker, {
      orgUnitId: tree.communityA.id,
      name: '族属登记表',
      layout: corrected,
    });
    expect(saved.columns).toMatchObject({ 族属: 'ethnicity', 姓名: 'name' });
    // Saved for the community: offered for its grids too, not for a sibling community.
    const forGrid = await importTemplateService.listTemplates(t.database.db, worker, tree.gridA1.id);
    expect(forGrid.map((x) => x.name)).toEqual(['族属登记表']);
    const other = { ...cliActor, orgUnitId: tree.communityB.id, scopePath: tree.communityB.path };
    await expect(importTemplateService.requireTemplate(t.database.db, other, saved.id)).rejects.toMatchObject(
      {
        status: 404,
      },
    );
    await expect(importTemplateService.deleteTemplate(t.database.db, other, saved.id)).rejects.toMatchObject({
      status: 404,
    });

    const withTemplate = await importRegisterFile(t.database.db, cliActor, {
      ...options,
      template: templateMapping(saved),
    });
    expect(withTemplate).toMatchObject({ rows: 2, accepted: 2, created: 2, rejected: [] });
    expect(withTemplate.layouts[0]!.columns.find((c) => c.header === '族属')).toMatchObject({
      field: 'ethnicity',
      matchedBy: 'template',
    });

    // Saving again under the same name replaces the mapping.
    const again = await importTemplateService.saveTemplate(t.database.db, worker, {
      orgUnitId: tree.communityA.id,
      name: '族属登记表',
      layout,
    });
    expect(again.id).toBe(saved.id);
    expect(again.columns['族属']).toBeNull();
    await importTemplateService.deleteTemplate(t.database.db, worker, saved.id);
    expect(await importTemplateService.listTemplates(t.database.db, worker, tree.communityA.id)).toEqual([]);
  });
});

describe('an import beside other writers', () => {
  it('commits while the app keeps writing to the same database', async () => {
    const file = path.join(dir, '并发.xlsx');
    const buffer = await messyRegister(file, 800);
    const jobs = createImportJobs(t.database);
    try {
      const upload = await jobs.saveUpload(cliActor, '并发.xlsx', Readable.from(buffer));
      const job = jobs.start(cliActor, {
        uploadId: upload.id,
        orgUnitId: tree.communityB.id,
        dryRun: false,
        holdInvalidIdNumbers: false,
      });
      // The API's connection writes (history, audit) while the import's transaction is open.
      let writes = 0;
      while (jobs.getJob(cliActor, job.id).state === 'running') {
        await auditService.append(t.database.db, [{ action: 'test.write', result: 'ok' }]);
        writes += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const done = jobs.getJob(cliActor, job.id);
      expect(done.error).toBeNull();
      expect(done).toMatchObject({ state: 'done', report: { created: 800, rows: 802 } });
      expect(writes).toBeGreaterThan(0);
      // The worker sealed with this process's keys: what it wrote opens here.
      const written = await t.database.db
        .selectFrom('resident')
        .innerJoin('orgUnit', 'orgUnit.id', 'resident.orgUnitId')
        .select(['resident.id', 'resident.idNumber'])
        .where('orgUnit.path', 'like', `%/${tree.communityB.id}/%`)
        .where('resident.idNumber', 'is not', null)
        .limit(1)
        .executeTakeFirstOrThrow();
      expect(unseal('resident.id_number', written.id, written.idNumber!)).toMatch(/^\d{17}[\dX]$/);
    } finally {
      await jobs.close();
    }
  }, 120_000);
});
