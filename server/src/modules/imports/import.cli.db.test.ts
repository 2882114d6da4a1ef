import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCheckDigit } from '@shiliuzi/shared/id-number';
import { makeIdNumber } from '../../../test/fixtures.ts';
import { cliEnv, cliRunner } from '../../../test/cli.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { unseal } from '../../lib/field-crypto.ts';

const bin = path.resolve(import.meta.dirname, '../../../bin/shiliuzi.mjs');

let t: TestDatabase;
let env: NodeJS.ProcessEnv;
let dir: string;

const { cli } = cliRunner(() => env);

const countResidents = async (code: string) =>
  Number(
    (
      await t.database.db
        .selectFrom('resident')
        .innerJoin('orgUnit', 'orgUnit.id', 'resident.orgUnitId')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('resident.deletedAt', 'is', null)
        .where('orgUnit.path', 'like', `%${await orgId(code)}/%`)
        .executeTakeFirstOrThrow()
    ).n,
  );

const orgId = async (code: string) =>
  (await t.database.db.selectFrom('orgUnit').select('id').where('code', '=', code).executeTakeFirstOrThrow())
    .id;

/** A register as communities keep them: a merged title row above the header, then the people. */
async function writeRegister(file: string, rows: (string | number | null)[][]) {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('居民台账');
  sheet.addRow(['云朵社区居民台账（2026年11月）']);
  sheet.mergeCells('A1:H1');
  sheet.addRow(['序号', '姓名', '民族', '公民身份号码', '联系电话', '所属网格', '现住址', '与户主关系']);
  rows.forEach((row, i) => sheet.addRow([i + 1, ...row]));
  await workbook.xlsx.writeFile(file);
}

beforeAll(async () => {
  t = await createTestDatabase();
  dir = mkdtempSync(path.join(tmpdir(), 'shiliuzi-import-'));
  env = cliEnv(t);
  await cli('org', 'add', '--code', 'QX', '--name', '青溪区', '--type', 'district');
  await cli('org', 'add', '--code', 'HM', '--name', '和鸣街道', '--type', 'street', '--parent', 'QX');
  await cli('org', 'add', '--code', 'YD', '--name', '云朵社区', '--type', 'community', '--parent', 'HM');
  await cli('org', 'add', '--code', 'TX', '--name', '同心社区', '--type', 'community', '--parent', 'HM');
}, 120_000);

afterAll(async () => {
  await t?.cleanup();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('shiliuzi import', () => {
  const yang = makeIdNumber('513221', '19800101', 11);
  const li = makeIdNumber('510704', '19820303', 22);
  const wrong17 = '51322119950505123';
  const wrong = wrong17 + (computeCheckDigit(wrong17) === '0' ? '1' : '0');

  it('previews, imports, and adds nothing the second time', async () => {
    const file = path.join(dir, '云朵社区居民台账.xlsx');
    await writeRegister(file, [
      ['杨山', '羌', yang, '138 0000 1111', '3网格', '羌兴苑1栋2单元301', '户主'],
      ['李梅', '汉族', li.toLowerCase().replace('1', '１'), null, '第3网格', '羌兴苑1栋2单元301', '妻子'],
      ['杨山', '羌', yang, '138 0000 1111', '3网格', '羌兴苑1栋2单元301', '户主'],
      ['科学', '汉族', 5.10703e17, null, '1网格', null, null],
      ['待核', '羌族', wrong, null, '1网格', null, null],
    ]);
    const before = await countResidents('YD');
    const preview = JSON.parse(await cli('import', file, '--org', 'YD', '--dry-run', '--json'));
    expect(preview).toMatchObject({ dryRun: true, rows: 5, created: 2, merged: 1 });
    expect(preview.rows).toBe(preview.accepted + preview.merged + preview.rejected.length);
    expect(preview.rejected.map((r: { row: number }) => r.row).sort()).toEqual([6, 7]);
    expect(preview.rejected.find((r: { row: number }) => r.row === 6)).toMatchObject({
      column: '公民身份号码',
    });
    // Rejected rows create nothing: only the grid of the accepted rows is new.
    expect(preview.createdPlaces.grids).toEqual(['云朵社区第3网格']);
    expect(await countResidents('YD')).toBe(before);

    const first = JSON.parse(await cli('import', file, '--org', 'YD', '--json'));
    expect(first).toMatchObject({ dryRun: false, rows: 5, created: 2, merged: 1, seenBefore: false });
    expect(await countResidents('YD')).toBe(before + 2);

    const held = JSON.parse(await cli('import', file, '--org', 'YD', '--json', '--hold-invalid'));
    expect(held).toMatchObject({ rows: 5, created: 1, merged: 3, seenBefore: true });
    expect(held.flagged).toEqual([expect.objectContaining({ row: 7, code: 'id_check_digit' })]);
    const again = JSON.parse(await cli('import', file, '--org', 'YD', '--json', '--hold-invalid'));
    expect(again).toMatchObject({ rows: 5, created: 0, updated: 0, merged: 4 });
    expect(await countResidents('YD')).toBe(before + 3);
  });

  it('takes back its own export unchanged: every person merged, ID numbers byte for byte', async () => {
    const file = path.join(dir, 'yd-export.xlsx');
    await cli('export', 'residents', '--org', 'YD', '--out', file, '--reveal');
    const stored = await t.database.db
      .selectFrom('resident')
      .select(['id', 'idNumber'])
      .where(
        'orgUnitId',
        'in',
        (
          await t.database.db
            .selectFrom('orgUnit')
            .select('id')
            .where('path', 'like', `%${await orgId('YD')}/%`)
            .execute()
        ).map((u) => u.id),
      )
      .where('deletedAt', 'is', null)
      .execute();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const cells = workbook.worksheets[0]!.getSheetValues().flat().map(String);
    for (const { id, idNumber } of stored)
      if (idNumber) expect(cells).toContain(unseal('resident.id_number', id, idNumber));

    const back = JSON.parse(await cli('import', file, '--org', 'YD', '--json', '--hold-invalid'));
    expect(back).toMatchObject({ created: 0, updated: 0, rejected: [] });
    expect(back.merged).toBe(stored.length);
  });

  it('leaves nothing of an import killed in the middle of its transaction', async () => {
    const file = path.join(dir, 'big.xlsx');
    await writeRegister(
      file,
      Array.from({ length: 1500 }, (_, i) => {
        const first17 = `510704${1950 + Math.floor(i / 1000)}0101${String(i % 1000).padStart(3, '0')}`;
        return [`居民${i}`, '汉族', first17 + computeCheckDigit(first17), null, '2网格', null, null];
      }),
    );
    const before = await countResidents('TX');
    const child = spawn(process.execPath, [bin, 'import', file, '--org', 'TX'], { env });
    // Progress is printed every 1,000 rows, inside the one transaction of the import.
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('已处理')) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.once('exit', (code) =>
        code === null ? resolve() : reject(new Error(`import ended with ${code}`)),
      );
    });
    await new Promise((resolve) =>
      child.exitCode === null && child.signalCode === null ? child.once('exit', resolve) : resolve(null),
    );
    expect(await countResidents('TX')).toBe(before);

    const done = JSON.parse(await cli('import', file, '--org', 'TX', '--json'));
    expect(done).toMatchObject({ rows: 1500, created: 1500 });
    expect(await countResidents('TX')).toBe(before + 1500);
  }, 180_000);
});
