import { beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber, type ApiClient, type TestTree, useRegistryTest } from '../../../test/fixtures.ts';
import { idNumberIndex } from '../../lib/field-crypto.ts';

let tree: TestTree;
let worker: ApiClient;
let viewer: ApiClient;
let street: ApiClient;

const qiangId = makeIdNumber('513221', '19850302', 123); // male, Wenchuan
const huiId = makeIdNumber('622901', '19900615', 246); // female, Linxia

async function countResidents(client: ApiClient, orgUnitId: string): Promise<number> {
  const { body } = await client.get(`/api/residents?orgUnitId=${orgUnitId}&deleted=all`);
  return body.total;
}

const registry = useRegistryTest();

beforeAll(async () => {
  tree = registry.tree;
  worker = await registry.signIn('worker-a', 'community_worker', tree.communityA.id);
  viewer = await registry.signIn('viewer-a', 'viewer', tree.communityA.id);
  street = await registry.signIn('street-s', 'street_officer', tree.street.id);
});

describe('registering a resident', () => {
  it('derives birth date, gender and origin from the ID number and masks it in the answer', async () => {
    const { status, body } = await worker.post('/api/residents', {
      orgUnitId: tree.gridA1.id,
      name: '杨建国',
      ethnicityCode: '33',
      idNumber: ` ${qiangId.slice(0, 10)} ${qiangId.slice(10)} `.replace(/\d/g, (d) =>
        String.fromCharCode(d.charCodeAt(0) + 0xfee0),
      ),
      phone: '138 1234 5678',
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      name: '杨建国',
      gender: 'male',
      birthDate: '1985-03-02',
      originRegionCode: '513221',
      originRegionName: '四川省阿坝藏族羌族自治州汶川县',
      idNumber: `513***********${qiangId.slice(-4)}`,
      phone: '138****5678',
      version: 1,
    });
    const history = await worker.get(`/api/residents/${body.id}/history`);
    expect(history.body).toHaveLength(1);
    expect(history.body[0]).toMatchObject({ action: 'create', actorName: 'worker-a', version: 1 });
    expect(JSON.stringify(history.body)).not.toContain(qiangId);
  });

  it('refuses an ID number whose check digit is wrong, in Chinese, and writes nothing', async () => {
    const before = await countResidents(worker, tree.communityA.id);
    const wrong = huiId.slice(0, 17) + (huiId.endsWith('1') ? '2' : '1');
    const { status, body } = await worker.post('/api/residents', {
      orgUnitId: tree.gridA1.id,
      name: '马兰',
      ethnicityCode: '03',
      idNumber: wrong,
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe('id_number_check_digit');
    expect(body.error.message).toContain('校验位');
    expect(await countResidents(worker, tree.communityA.id)).toBe(before);
  });

  it('refuses an unknown ethnicity code', async () => {
    const { status, body } = await worker.post('/api/residents', {
      orgUnitId: tree.gridA1.id,
      name: '某人',
      ethnicityCode: '60',
      gender: 'male',
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe('unknown_ethnicity');
    expect(body.error.message).toContain('民族');
  });

  it('refuses a gender that contradicts the ID number', async () => {
    const { status, body } = await worker.post('/api/residents', {
      orgUnitId: tree.gridA1.id,
      name: '马兰',
      ethnicityCode: '03',
      idNumber: huiId,
      gender: 'male',
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe('id_number_gender_mismatch');
  });

  it('names the missing or empty field in the message', async () => {
    const missing = await worker.post('/api/residents', { orgUnitId: tree.gridA1.id, ethnicityCode: '01' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe('名称为必填项');
    const empty = await worker.post('/api/residents', {
      orgUnitId: tree.gridA1.id,
      ethnicityCode: '01',
      name: ' ',
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error.message).toBe('名称不能为空');
  });

  it('refuses a second live resident with the same ID number', async () => {
    const { status, body } = await worker.post('/api/residents', {
      orgUnitId: tree.gridA2.id,
      name: '杨建国',
      ethnicityCode: '33',
      idNumber: qiangId.toLowerCase(),
    });
    expect(status).toBe(409);
    expect(body.error.code).toBe('resident_already_registered');
  });

  it('refuses a dwelling that belongs to another community, and writes nothing', async () => {
    const estate = await street.post('/api/places', {
      orgUnitId: tree.communityB.id,
      kind: 'estate',
      name: '乙小区',
    });
    const dwelling = await street.post('/api/places', {
      orgUnitId: tree.gridB1.id,
      kind: 'dwelling',
      name: '1-1-101',
      parentId: null,
    });
    expect(estate.status).toBe(201);
    expect(dwelling.status).toBe(201);
    const before = await countResidents(street, tree.street.id);
    const { status, body } = await street.post('/api/residents', {
      orgUnitId: tree.gridA1.id,
      name: '李四',
      ethnicityCode: '01',
      gender: 'male',
      dwellingId: dwelling.body.id,
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe('place_parent_other_org');
    expect(await countResidents(street, tree.street.id)).toBe(before);
  });

  it('does not let a viewer register anyone', async () => {
    const { status } = await viewer.post('/api/residents', {
      orgUnitId: tree.gridA1.id,
      name: '王五',
      ethnicityCode: '01',
      gender: 'male',
    });
    expect(status).toBe(403);
  });

  it('keeps floating details only for floating residents', async () => {
    const refused = await worker.post('/api/residents', {
      orgUnitId: tree.gridA1.id,
      name: '艾力·买买提',
      ethnicityCode: '05',
      gender: 'male',
      floating: { reason: 'trade' },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('floating_details_not_allowed');
    const { status, body } = await worker.post('/api/residents', {
      orgUnitId: tree.gridA1.id,
      name: '艾力·买买提',
      ethnicityCode: '05',
      idNumber: makeIdNumber('653101', '19880101', 111),
      residenceType: 'floating',
      languages: ['维吾尔语', '汉语'],
      floating: {
        reason: 'trade',
        arrivalDate: '2024-03-01',
        stall: '东门 3 号摊位',
        expectedStayMonths: 24,
      },
    });
    expect(status).toBe(201);
    expect(body.floating).toMatchObject({ reason: 'trade', stall: '东门 3 号摊位', expectedStayMonths: 24 });
    expect(body.languages).toEqual(['维吾尔语', '汉语']);
  });

  it('keeps the landlord phone when the floating details are edited without retyping it', async () => {
    const { body: created } = await worker.post('/api/residents', {
      orgUnitId: tree.gridA1.id,
      name: '古丽娜尔',
      ethnicityCode: '05',
      gender: 'female',
      residenceType: 'floating',
      floating: { reason: 'work', landlordName: '张建国', landlordPhone: '13800138000' },
    });
    expect(created.floating.landlordPhone).toBe('138****8000');
    // The edit form shows the phone masked and leaves it out unless retyped.
    const edited = await worker.patch(`/api/residents/${created.id}`, {
      version: created.version,
      floating: { reason: 'work', landlordName: '张建国', stall: '北门 1 号' },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.floating).toMatchObject({ stall: '北门 1 号', landlordPhone: '138****8000' });
    const cleared = await worker.patch(`/api/residents/${created.id}`, {
      version: edited.body.version,
      floating: { reason: 'work', landlordPhone: null },
    });
    expect(cleared.body.floating.landlordPhone).toBeNull();
  });
});

describe('changing and deleting a resident', () => {
  it('refuses a stale version with 409 and keeps the newer change', async () => {
    const created = await worker.post('/api/residents', {
      orgUnitId: tree.gridA2.id,
      name: '王秀英',
      ethnicityCode: '01',
      gender: 'female',
    });
    const id = created.body.id;
    const first = await worker.patch(`/api/residents/${id}`, { version: 1, phone: '13900001111' });
    expect(first.status).toBe(200);
    expect(first.body.version).toBe(2);
    const stale = await worker.patch(`/api/residents/${id}`, { version: 1, name: '王秀兰' });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'stale_version' });
    expect(stale.body.error.message).toContain('已被他人修改');
    const current = await worker.get(`/api/residents/${id}`);
    expect(current.body).toMatchObject({ name: '王秀英', version: 2, phone: '139****1111' });
    const history = await worker.get(`/api/residents/${id}/history`);
    expect(history.body[0]).toMatchObject({
      action: 'update',
      version: 2,
      before: { phone: null },
      after: { phone: '139****1111' },
    });
  });

  it('soft-deletes with confirmation of the version, hides, and restores', async () => {
    const created = await worker.post('/api/residents', {
      orgUnitId: tree.gridA2.id,
      name: '赵德明',
      ethnicityCode: '15',
      gender: 'male',
    });
    const id = created.body.id;
    expect((await worker.delete(`/api/residents/${id}?version=2`)).status).toBe(409);
    const deleted = await worker.delete(`/api/residents/${id}?version=1`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.deletedAt).not.toBeNull();
    const live = await worker.get(`/api/residents?q=赵德明`);
    expect(live.body.total).toBe(0);
    const trash = await worker.get(`/api/residents?q=赵德明&deleted=deleted`);
    expect(trash.body.items.map((r: { id: string }) => r.id)).toEqual([id]);
    const restored = await worker.post(`/api/residents/${id}/restore`, { version: 2 });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ deletedAt: null, version: 3 });
    expect((await worker.get(`/api/residents?q=赵德明`)).body.total).toBe(1);
    const actions = (await worker.get(`/api/residents/${id}/history`)).body.map(
      (h: { action: string }) => h.action,
    );
    expect(actions).toEqual(['restore', 'delete', 'create']);
  });

  it('re-derives identity fields when the ID number is corrected', async () => {
    const created = await worker.post('/api/residents', {
      orgUnitId: tree.gridA2.id,
      name: '周敏',
      ethnicityCode: '01',
      idNumber: makeIdNumber('510704', '19700101', 2),
    });
    const corrected = await worker.patch(`/api/residents/${created.body.id}`, {
      version: 1,
      idNumber: makeIdNumber('510703', '19710202', 4),
    });
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({
      birthDate: '1971-02-02',
      gender: 'female',
      originRegionCode: '510703',
    });
  });
});

describe('finding residents', () => {
  beforeAll(async () => {
    const people: [string, string, string, string][] = [
      ['王', '王芳', '01', '19600101'],
      ['王', '王小明', '01', '20100101'],
      ['王', '汪王', '33', '19750101'],
      ['马', '马永福', '03', '19500101'],
      ['马', '马丽', '03', '19951201'],
    ];
    let seq = 301;
    for (const [, name, ethnicityCode, birth] of people) {
      const res = await worker.post('/api/residents', {
        orgUnitId: tree.gridA1.id,
        name,
        ethnicityCode,
        idNumber: makeIdNumber('510704', birth, seq),
        phone: `1370000${String(seq).padStart(4, '0')}`,
        flags: { hardship: name === '马永福' },
      });
      expect(res.status).toBe(201);
      seq += 2;
    }
  });

  it('finds names by one, two or three characters anywhere in the name', async () => {
    const names = async (q: string) =>
      (await worker.get(`/api/residents?q=${encodeURIComponent(q)}&sort=name`)).body.items.map(
        (r: { name: string }) => r.name,
      );
    expect(await names('王')).toEqual(expect.arrayContaining(['王芳', '王小明', '汪王']));
    expect((await names('王')).every((n: string) => n.includes('王'))).toBe(true);
    expect(await names('小明')).toEqual(['王小明']);
    expect(await names('王小明')).toEqual(['王小明']);
    expect(await names('马永')).toEqual(['马永福']);
  });

  it('lists register rows and keeps the detail fields for the detail page', async () => {
    const { body } = await worker.get(`/api/residents?q=${encodeURIComponent('马永福')}`);
    const row = body.items[0];
    expect(row).toMatchObject({ name: '马永福', ethnicityCode: '03', flags: { hardship: true } });
    expect(row.idNumber).toMatch(/^510\*{11}\d{3}[\dX]$/);
    expect(row).not.toHaveProperty('floating');
    const detail = await worker.get(`/api/residents/${row.id}`);
    expect(detail.body).toMatchObject({
      id: row.id,
      originRegionName: expect.stringContaining('游仙区'),
      floating: null,
    });
  });

  it('finds a resident by a whole ID number and by phone digits', async () => {
    const byId = await worker.get(`/api/residents?q=${makeIdNumber('510704', '19500101', 307)}`);
    expect(byId.body.items.map((r: { name: string }) => r.name)).toEqual(['马永福']);
    const byPhone = await worker.get(`/api/residents?q=13700000307`);
    expect(byPhone.body.items.map((r: { name: string }) => r.name)).toEqual(['马永福']);
    const spaced = await worker.get(`/api/residents?q=${encodeURIComponent('137 0000 0307')}`);
    expect(spaced.body.items.map((r: { name: string }) => r.name)).toEqual(['马永福']);

    // One search after another, each finds its own person (the numbers searched change, the query not).
    const names = async (q: string) => {
      const { body } = await worker.get(`/api/residents?q=${encodeURIComponent(q)}`);
      return [body.total, body.items.map((r: { name: string }) => r.name)];
    };
    expect(await names(makeIdNumber('510704', '19951201', 309))).toEqual([1, ['马丽']]);
    expect(await names(makeIdNumber('510704', '19600101', 301))).toEqual([1, ['王芳']]);
    expect(await names(makeIdNumber('510704', '19600101', 303))).toEqual([0, []]);
    expect(await names('13700000303')).toEqual([1, ['王小明']]);
    expect(await names('13700000305')).toEqual([1, ['汪王']]);
  });

  it('finds residents by the last digits of their phone (尾号), and says what to type for other fragments', async () => {
    const byTail = await worker.get(`/api/residents?q=0307`);
    expect(byTail.body.items.map((r: { name: string }) => r.name)).toEqual(['马永福']);
    expect(byTail.body.items[0].phone).toBe('137****0307');
    const middle = await worker.get(`/api/residents?q=00000307`);
    expect(middle.status).toBe(400);
    expect(middle.body.error).toEqual({
      code: 'phone_search_partial',
      message: '按电话查找请输入完整号码，或输入后 4 位（尾号）',
    });
  });

  it('filters by ethnicity, minority, flags and age band, with a total for paging', async () => {
    const hui = await worker.get(`/api/residents?ethnicityCode=03&pageSize=1&sort=name`);
    expect(hui.body.total).toBe(2);
    expect(hui.body.items).toHaveLength(1);
    const hardship = await worker.get(`/api/residents?flags=hardship`);
    expect(hardship.body.items.map((r: { name: string }) => r.name)).toEqual(['马永福']);
    const elderly = await worker.get(`/api/residents?ageMin=70&q=${encodeURIComponent('马')}`);
    expect(elderly.body.items.map((r: { name: string }) => r.name)).toEqual(['马永福']);
    const minors = await worker.get(`/api/residents?ageMax=17`);
    expect(minors.body.items.map((r: { name: string }) => r.name)).toContain('王小明');
    const minority = await worker.get(`/api/residents?minority=true&pageSize=200`);
    expect(minority.body.items.every((r: { ethnicityCode: string }) => r.ethnicityCode !== '01')).toBe(true);
  });

  it('lists the residents an import held for review (待核实), with the reason', async () => {
    const idNumber = makeIdNumber('510704', '19951201', 309);
    await registry.t.database.db
      .updateTable('resident')
      .set({ reviewFlag: 'gender_mismatch' })
      .where('idNumberHash', '=', idNumberIndex(idNumber))
      .execute();
    const held = await worker.get(`/api/residents?review=true`);
    expect(held.body.items.map((r: { name: string; reviewFlag: string }) => [r.name, r.reviewFlag])).toEqual([
      ['马丽', 'gender_mismatch'],
    ]);
    const clear = await worker.get(`/api/residents?review=false&pageSize=200`);
    expect(clear.body.items.map((r: { name: string }) => r.name)).not.toContain('马丽');
    expect(clear.body.total + held.body.total).toBe((await worker.get(`/api/residents`)).body.total);
  });

  it('reveals one ID number on purpose, but not to a viewer', async () => {
    const { body } = await worker.get(`/api/residents?q=${encodeURIComponent('马丽')}`);
    const id = body.items[0].id;
    const revealed = await worker.post(`/api/residents/${id}/reveal`, {
      field: 'idNumber',
      reason: '入户走访核实身份',
    });
    expect(revealed.body.value).toBe(makeIdNumber('510704', '19951201', 309));
    expect(
      (await viewer.post(`/api/residents/${id}/reveal`, { field: 'idNumber', reason: '核对' })).status,
    ).toBe(403);
  });
});
