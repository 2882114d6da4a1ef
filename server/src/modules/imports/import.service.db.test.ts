import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeCheckDigit } from '@shiliuzi/shared/id-number';
import { buildTestTree, makeIdNumber, type TestTree } from '../../../test/fixtures.ts';
import { createTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { cliActor, type Actor } from '../../lib/actor.ts';
import { idNumberIndex, unseal } from '../../lib/field-crypto.ts';
import type { ImportProblem as RowProblem, MappedRow, MappedValues } from './reading/row-mapper.ts';
import { IMPORT_CHUNK_ROWS, importService, type ImportRequest } from './import.service.ts';

let t: TestDatabase;
let tree: TestTree;
let worker: Actor;

beforeAll(async () => {
  t = await createTestDatabase();
  tree = await buildTestTree(t.database, 'I');
  worker = {
    userId: null,
    name: '甲社区工作者',
    orgUnitId: tree.communityA.id,
    scopePath: tree.communityA.path,
    roles: ['community_worker'],
  };
});

afterAll(async () => {
  await t?.cleanup();
});

let rowNumber = 3;
function row(
  values: MappedValues,
  problems: RowProblem[] = [],
  register: MappedRow['register'] = 'residents',
) {
  return { sheet: '居民台账', row: rowNumber++, register, values, problems } satisfies MappedRow;
}

function request(rows: MappedRow[], overrides: Partial<ImportRequest> = {}): ImportRequest {
  return {
    fileName: '甲社区居民台账.xlsx',
    fileSha256: 'sha-a',
    orgUnitId: tree.communityA.id,
    dryRun: false,
    rows: (async function* () {
      yield* rows;
    })(),
    blankRows: () => 0,
    ...overrides,
  };
}

const countResidents = async () =>
  Number(
    (
      await t.database.db
        .selectFrom('resident')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('deletedAt', 'is', null)
        .executeTakeFirstOrThrow()
    ).n,
  );

const yang = makeIdNumber('513221', '19800101', 11);
const li = makeIdNumber('510704', '19820303', 22);
const ma = makeIdNumber('622901', '19700707', 13);

function family(): MappedRow[] {
  rowNumber = 3;
  return [
    row({
      name: '杨山',
      idNumber: yang,
      ethnicityCode: '33',
      grid: { name: '3网格', number: 3 },
      address: { estate: '羌兴苑', building: '1栋', entrance: '2单元', room: '301' },
      relationToHead: 'head',
      phone: '13800001111',
    }),
    row({
      name: '李梅',
      idNumber: li,
      ethnicityCode: '01',
      grid: { name: '第3网格', number: 3 },
      address: { estate: '羌兴苑', building: '1栋', entrance: '2单元', room: '301' },
      householdHead: '杨山',
      relationToHead: 'spouse',
    }),
    row({ name: '马福', idNumber: ma, ethnicityCode: '03', grid: { name: '甲社区第一网格' } }),
    row({ name: '王无证', gender: 'female', birthDate: '1990-05-05', ethnicityCode: '15' }),
  ];
}

describe('importing a register', () => {
  it('shows a dry run exactly and keeps nothing of it', async () => {
    const before = await countResidents();
    const report = await importService.runImport(t.database.db, worker, request(family(), { dryRun: true }));
    expect(report).toMatchObject({ dryRun: true, rows: 4, accepted: 4, created: 4, updated: 0, merged: 0 });
    expect(report.createdPlaces).toMatchObject({
      grids: ['甲社区第3网格'],
      households: 1,
      estates: ['羌兴苑'],
      buildings: 1,
      entrances: 1,
      dwellings: 1,
    });
    expect(await countResidents()).toBe(before);
    const grids = await t.database.db
      .selectFrom('orgUnit')
      .select('name')
      .where('name', '=', '甲社区第3网格')
      .execute();
    expect(grids).toHaveLength(0);
  });

  it('creates people, the grid, the household and the dwelling they name; a second import adds nothing', async () => {
    const before = await countResidents();
    const first = await importService.runImport(t.database.db, worker, request(family()));
    expect(first).toMatchObject({
      rows: 4,
      accepted: 4,
      created: 4,
      merged: 0,
      rejected: [],
      seenBefore: false,
    });
    expect(await countResidents()).toBe(before + 4);
    const yangRow = await t.database.db
      .selectFrom('resident')
      .innerJoin('orgUnit', 'orgUnit.id', 'resident.orgUnitId')
      .select([
        'resident.householdId',
        'resident.relationToHead',
        'resident.dwellingId',
        'orgUnit.name as grid',
      ])
      .where('resident.idNumberHash', '=', idNumberIndex(yang))
      .executeTakeFirstOrThrow();
    const liRow = await t.database.db
      .selectFrom('resident')
      .select(['householdId', 'relationToHead', 'dwellingId'])
      .where('idNumberHash', '=', idNumberIndex(li))
      .executeTakeFirstOrThrow();
    expect(yangRow).toMatchObject({ relationToHead: 'head', grid: '甲社区第3网格' });
    expect(liRow).toMatchObject({ householdId: yangRow.householdId, relationToHead: 'spouse' });
    expect(liRow.dwellingId).toBe(yangRow.dwellingId);
    // The household's address reads as written, with its unit words.
    const household = await t.database.db
      .selectFrom('household')
      .select('address')
      .where('id', '=', yangRow.householdId!)
      .executeTakeFirstOrThrow();
    expect(household.address).toBe('羌兴苑1栋2单元301室');

    const again = await importService.runImport(t.database.db, worker, request(family()));
    expect(again).toMatchObject({
      rows: 4,
      accepted: 0,
      created: 0,
      updated: 0,
      merged: 4,
      seenBefore: true,
    });
    expect(again.createdPlaces).toMatchObject({ grids: [], households: 0, estates: [], dwellings: 0 });
    expect(await countResidents()).toBe(before + 4);
  });

  it('keeps the history of every record it creates, with ID numbers and phones masked', async () => {
    const history = await t.database.db
      .selectFrom('changeLog')
      .innerJoin('resident', 'resident.id', 'changeLog.entityId')
      .select([
        'changeLog.id',
        'changeLog.action',
        'changeLog.after',
        'changeLog.actorName',
        'changeLog.version',
      ])
      .where('resident.idNumberHash', '=', idNumberIndex(yang))
      .execute();
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ action: 'create', actorName: '甲社区工作者', version: 1 });
    // Stored sealed; opened, the snapshot holds the ID number and phone masked.
    expect(history[0]!.after).not.toContain('杨山');
    const opened = unseal('change_log.after', history[0]!.id, history[0]!.after!);
    const after = JSON.parse(opened) as Record<string, unknown>;
    expect(after).toMatchObject({ name: '杨山', ethnicityCode: '33', relationToHead: 'head' });
    expect(after.idNumber).toBe(`${yang.slice(0, 3)}***********${yang.slice(-4)}`);
    expect(opened).not.toContain(yang);
    expect(opened).not.toContain('13800001111');
    const dwelling = await t.database.db
      .selectFrom('resident')
      .select('dwellingId')
      .where('idNumberHash', '=', idNumberIndex(yang))
      .executeTakeFirstOrThrow();
    const placeHistory = await t.database.db
      .selectFrom('changeLog')
      .select(['action', 'entityType'])
      .where('entityId', '=', dwelling.dwellingId!)
      .execute();
    expect(placeHistory).toEqual([{ action: 'create', entityType: 'place' }]);
  });

  it("refuses a person of one grid in a dwelling another grid's register holds", async () => {
    rowNumber = 3;
    const report = await importService.runImport(
      t.database.db,
      worker,
      request([
        row({
          name: '马兰',
          idNumber: makeIdNumber('622901', '19750505', 24),
          ethnicityCode: '03',
          grid: { name: '第4网格', number: 4 },
          address: { estate: '羌兴苑', building: '1栋', entrance: '2单元', room: '301' },
        }),
      ]),
    );
    expect(report).toMatchObject({ rows: 1, accepted: 0 });
    expect(report.rejected).toEqual([expect.objectContaining({ row: 3, code: 'place_parent_other_org' })]);
    expect(report.rejected[0]!.reason).toMatch(/[\u4e00-\u9fa5]/);
  });

  it('merges a copy-pasted row and lets a later register enrich a person without doubling them', async () => {
    rowNumber = 10;
    const rows = [
      row({ name: '马福', idNumber: ma, ethnicityCode: '03', phone: '13900002222' }, [], 'minority'),
      row({ name: '马福', idNumber: ma, ethnicityCode: '03', phone: '13900002222' }, [], 'minority'),
    ];
    const report = await importService.runImport(
      t.database.db,
      worker,
      request(rows, { fileSha256: 'sha-b' }),
    );
    expect(report).toMatchObject({ rows: 2, accepted: 1, updated: 1, merged: 1, created: 0 });
    expect(report.mergedRows).toEqual([{ sheet: '居民台账', row: 11, sameAs: 10 }]);
    const stored = await t.database.db
      .selectFrom('resident')
      .select(['id', 'phone', 'phoneMasked'])
      .where('idNumberHash', '=', idNumberIndex(ma))
      .execute();
    expect(stored.map((r) => [unseal('resident.phone', r.id, r.phone!), r.phoneMasked])).toEqual([
      ['13900002222', '139****2222'],
    ]);
  });

  it('rejects rows with reasons, holds a wrong check digit for review, and always adds up', async () => {
    const good17 = '51322119950505123';
    const wrong = good17 + (computeCheckDigit(good17) === '0' ? '1' : '0');
    const outside = makeIdNumber('513221', '19770707', 31);
    await importService.runImport(
      t.database.db,
      cliActor,
      request([row({ name: '外社区人', idNumber: outside, ethnicityCode: '01' })], {
        orgUnitId: tree.communityB.id,
        fileSha256: 'sha-c',
      }),
    );
    rowNumber = 20;
    const rows = [
      row({ name: '待核', idNumber: wrong, ethnicityCode: '33' }, [
        {
          severity: 'flag',
          code: 'id_check_digit',
          column: '公民身份号码',
          columnLetter: 'C',
          value: wrong,
          reason: '校验位不正确',
        },
      ]),
      row({ name: '科学计数' }, [
        {
          severity: 'reject',
          code: 'id_number_scientific_notation',
          column: '公民身份号码',
          columnLetter: 'C',
          value: '5.10703E+17',
          reason: '已被表格软件改成科学计数法，无法恢复',
        },
      ]),
      row({ name: '外社区人', idNumber: outside, ethnicityCode: '01', grid: { name: '9网格', number: 9 } }),
      row({ idNumber: makeIdNumber('513221', '19880808', 41), ethnicityCode: '01' }),
    ];
    const report = await importService.runImport(
      t.database.db,
      worker,
      request(rows, { fileSha256: 'sha-d' }),
    );
    expect(report.rows).toBe(report.accepted + report.merged + report.rejected.length);
    expect(report).toMatchObject({ rows: 4, accepted: 1, created: 1 });
    expect(report.flagged).toEqual([
      expect.objectContaining({ row: 20, code: 'id_check_digit', column: '公民身份号码' }),
    ]);
    expect(report.rejected.map((r) => [r.row, r.code])).toEqual([
      [21, 'id_number_scientific_notation'],
      [22, 'id_registered_elsewhere'],
      [23, 'name_required'],
    ]);
    expect(report.rejected[0]!.reason).toContain('科学计数法');
    // A refused row creates nothing, not even the grid it names.
    const grid9 = await t.database.db
      .selectFrom('orgUnit')
      .select('id')
      .where('name', '=', '甲社区第9网格')
      .execute();
    expect(grid9).toEqual([]);
    const held = await t.database.db
      .selectFrom('resident')
      .select(['reviewFlag', 'birthDate', 'gender'])
      .where('idNumberHash', '=', idNumberIndex(wrong))
      .executeTakeFirstOrThrow();
    expect(held).toEqual({ reviewFlag: 'id_check_digit', birthDate: '1995-05-05', gender: 'male' });
  });

  it('leaves nothing of a file whose reading fails halfway', async () => {
    const before = await countResidents();
    rowNumber = 40;
    const rows = (async function* () {
      yield row({ name: '半途', idNumber: makeIdNumber('513221', '19990909', 51), ethnicityCode: '01' });
      throw new Error('the file ended unexpectedly');
    })();
    await expect(
      importService.runImport(t.database.db, worker, { ...request([]), rows, fileSha256: 'sha-e' }),
    ).rejects.toThrow('ended unexpectedly');
    expect(await countResidents()).toBe(before);
  });

  it('refuses a street as the target and anything outside the scope', async () => {
    await expect(
      importService.runImport(t.database.db, cliActor, request([], { orgUnitId: tree.street.id })),
    ).rejects.toMatchObject({ code: 'import_target_type' });
    await expect(
      importService.runImport(t.database.db, worker, request([], { orgUnitId: tree.communityB.id })),
    ).rejects.toMatchObject({ status: 404 });
  });
});

describe('importing more rows than one chunk', () => {
  /** Person k of a large register: a distinct ID number per k (birth dates a day apart). */
  const personId = (k: number) => {
    const birth = new Date(Date.UTC(1950, 0, 1) + k * 86_400_000)
      .toISOString()
      .slice(0, 10)
      .replace(/-/g, '');
    return makeIdNumber('513221', birth, 100 + (k % 800));
  };
  const person = (k: number, extra: Partial<MappedValues> = {}): MappedValues => ({
    name: `批量${k}`,
    idNumber: personId(k),
    ethnicityCode: k % 2 ? '33' : '01',
    ...extra,
  });
  const residentsNamed = (name: string) =>
    t.database.db
      .selectFrom('resident')
      .select(['id', 'orgUnitId', 'phoneMasked'])
      .where('name', '=', name)
      .where('deletedAt', 'is', null)
      .execute();

  it('merges repeats of one person however a chunk boundary cuts through them', async () => {
    rowNumber = 3;
    const firstRow = rowNumber;
    const rows: MappedRow[] = [];
    // Distinct people up to two rows before the boundary, then one person four times across it, and a
    // person without an ID number (known by name and birth date) on both sides of it.
    for (let k = 0; k < IMPORT_CHUNK_ROWS - 3; k++) rows.push(row(person(k)));
    rows.push(row({ name: '无证重复', gender: 'male', birthDate: '1961-06-01', ethnicityCode: '01' }));
    const repeated = person(5000, { name: '跨块重复' });
    for (let copy = 0; copy < 4; copy++) rows.push(row(repeated));
    rows.push(row({ name: '无证重复', gender: 'male', birthDate: '1961-06-01', ethnicityCode: '01' }));
    rows.push(row(person(5001)));
    const repeatedAt = firstRow + IMPORT_CHUNK_ROWS - 2;
    expect(repeatedAt).toBeLessThan(firstRow + IMPORT_CHUNK_ROWS);
    expect(repeatedAt + 3).toBeGreaterThanOrEqual(firstRow + IMPORT_CHUNK_ROWS);

    const report = await importService.runImport(
      t.database.db,
      cliActor,
      request(rows, { orgUnitId: tree.communityB.id, fileSha256: 'sha-chunks-1' }),
    );
    const distinct = IMPORT_CHUNK_ROWS - 3 + 3;
    expect(report).toMatchObject({ rows: rows.length, created: distinct, accepted: distinct, merged: 4 });
    expect(report.rejected).toEqual([]);
    expect(report.mergedRows).toEqual([
      { sheet: '居民台账', row: repeatedAt + 1, sameAs: repeatedAt },
      { sheet: '居民台账', row: repeatedAt + 2, sameAs: repeatedAt },
      { sheet: '居民台账', row: repeatedAt + 3, sameAs: repeatedAt },
      { sheet: '居民台账', row: repeatedAt + 4, sameAs: repeatedAt - 1 },
    ]);
    expect(await residentsNamed('跨块重复')).toHaveLength(1);
    expect(await residentsNamed('无证重复')).toHaveLength(1);
    expect(await residentsNamed('批量5001')).toHaveLength(1);
    const history = await t.database.db
      .selectFrom('changeLog')
      .innerJoin('resident', 'resident.id', 'changeLog.entityId')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('resident.orgUnitId', '=', tree.communityB.id)
      .where('resident.name', 'like', '批量%')
      .executeTakeFirstOrThrow();
    expect(Number(history.n)).toBe(IMPORT_CHUNK_ROWS - 3 + 1);

    const again = await importService.runImport(
      t.database.db,
      cliActor,
      request(rows, { orgUnitId: tree.communityB.id, fileSha256: 'sha-chunks-1' }),
    );
    expect(again).toMatchObject({ rows: rows.length, created: 0, updated: 0, merged: rows.length });
  });

  it('takes the rows around a refused one in the middle of a chunk and leaves nothing of it', async () => {
    const elsewhere = personId(6000);
    await importService.runImport(
      t.database.db,
      cliActor,
      request([row({ name: '别处的人', idNumber: elsewhere, ethnicityCode: '01' })], {
        orgUnitId: tree.otherCommunity.id,
        fileSha256: 'sha-chunks-2',
      }),
    );
    rowNumber = 3;
    const rows: MappedRow[] = [];
    for (let k = 7000; k < 7400; k++) rows.push(row(person(k)));
    const middle = rowNumber;
    rows.push(
      row({ name: '科学计数' }, [
        {
          severity: 'reject',
          code: 'id_number_scientific_notation',
          column: '公民身份号码',
          columnLetter: 'D',
          value: '5.13221E+17',
          reason: '已被表格软件改成科学计数法，无法恢复',
        },
      ]),
    );
    // Refused by the merge: the number belongs to a person of another community; the grid it names
    // must not be created for it.
    rows.push(
      row({
        name: '别处的人',
        idNumber: elsewhere,
        ethnicityCode: '01',
        grid: { name: '第8网格', number: 8 },
      }),
    );
    rows.push(row({ name: '缺民族', idNumber: personId(7500) }));
    // A grid named for the first time, then a person already registered (by the first test) who
    // changes phone: both need the database before the chunk ends.
    rows.push(row(person(7501, { grid: { name: '第7网格', number: 7 } })));
    rows.push(row(person(0, { phone: '13912345678' })));
    for (let k = 7600; k < 7600 + IMPORT_CHUNK_ROWS; k++) rows.push(row(person(k)));

    const report = await importService.runImport(
      t.database.db,
      cliActor,
      request(rows, { orgUnitId: tree.communityB.id, fileSha256: 'sha-chunks-3' }),
    );
    expect(report.rows).toBe(rows.length);
    expect(report.rows).toBe(report.accepted + report.merged + report.rejected.length);
    expect(report).toMatchObject({ created: 400 + 1 + IMPORT_CHUNK_ROWS, updated: 1, merged: 0 });
    expect(report.rejected.map((r) => [r.row, r.code])).toEqual([
      [middle, 'id_number_scientific_notation'],
      [middle + 1, 'id_registered_elsewhere'],
      [middle + 2, 'ethnicity_required'],
    ]);
    expect(report.createdPlaces.grids).toEqual(['乙社区第7网格']);
    const grids = await t.database.db
      .selectFrom('orgUnit')
      .select(['id', 'name'])
      .where('parentId', '=', tree.communityB.id)
      .where('name', 'in', ['乙社区第7网格', '乙社区第8网格'])
      .execute();
    expect(grids.map((g) => g.name)).toEqual(['乙社区第7网格']);
    expect(await residentsNamed('科学计数')).toEqual([]);
    expect(await residentsNamed('缺民族')).toEqual([]);
    expect(await residentsNamed('别处的人')).toHaveLength(1);
    expect((await residentsNamed('批量7501'))[0]?.orgUnitId).toBe(grids[0]!.id);
    expect((await residentsNamed('批量0'))[0]?.phoneMasked).toBe('139****5678');
    expect(await residentsNamed('批量7399')).toHaveLength(1);
    expect(await residentsNamed(`批量${7600 + IMPORT_CHUNK_ROWS - 1}`)).toHaveLength(1);
  });
});
