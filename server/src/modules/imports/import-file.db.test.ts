import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestTree, makeIdNumber, type TestTree } from '../../../test/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { cliActor } from '../../lib/actor.ts';
import { importRegisterFile } from './import-file.ts';
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
});
