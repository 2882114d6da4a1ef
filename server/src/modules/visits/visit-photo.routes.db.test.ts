import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_VISIT_PHOTOS } from '@shiliuzi/shared/casework-visits';
import { localDateText } from '@shiliuzi/shared/dates';
import { type ApiClient, useRegistryTest } from '../../../test/fixtures.ts';
import { fieldKeysOf, installedFieldKeys, installFieldKeys } from '../../lib/field-crypto.ts';
import { sealFile } from '../../lib/file-crypto.ts';
import { generateMasterKey, keyringOf, parseMasterKey } from '../../lib/keys.ts';
import { encodePng } from '../../lib/png.ts';
import { createPhotoStore } from './visit-photo.store.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'shiliuzi-photos-test-'));
const MAX_BYTES = 64 * 1024;
const registry = useRegistryTest({ attachments: () => ({ dir, maxBytes: MAX_BYTES }) });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Real headers: what a camera, a PNG encoder and a WebP encoder write first.
const jpeg = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
  Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1'),
  Buffer.alloc(2000, 0x55),
  Buffer.from([0xff, 0xd9]),
]);
const png = encodePng(8, 8, (x, y) => [x * 30, y * 30, 120]);
const webp = Buffer.concat([
  Buffer.from('RIFF', 'latin1'),
  Buffer.from([0x24, 0, 0, 0]),
  Buffer.from('WEBPVP8 ', 'latin1'),
  Buffer.alloc(40, 1),
]);
const html = Buffer.from('<!DOCTYPE html><html><script>alert(document.cookie)</script></html>');
const svg = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>',
);

let worker: ApiClient; // community worker of community A
let gridWorker: ApiClient; // grid worker of grid A1
let viewer: ApiClient; // read-only user of community A
let cookies: { worker: string; gridWorker: string; viewer: string };

async function upload(cookie: string, visitId: string, body: Buffer, fileName = 'photo.jpg') {
  const response = await registry.app.inject({
    method: 'POST',
    url: `/api/visits/${visitId}/photos?fileName=${encodeURIComponent(fileName)}`,
    headers: { cookie, 'content-type': 'application/octet-stream' },
    payload: body,
  });
  return { status: response.statusCode, body: response.json() as any };
}

/** Every file under the attachments folder, the incoming one included. */
function filesOnDisk(): string[] {
  const found: string[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at)) {
      const full = path.join(at, name);
      if (statSync(full).isDirectory()) walk(full);
      else found.push(path.relative(dir, full));
    }
  };
  walk(dir);
  return found.sort();
}

async function newVisit(orgUnitId: string) {
  const answer = await worker.post('/api/visits', {
    orgUnitId,
    visitedOn: localDateText(),
    purpose: 'routine',
    notes: '入户走访',
  });
  expect(answer.status).toBe(201);
  return answer.body as { id: string; version: number };
}

beforeAll(async () => {
  const { tree } = registry;
  const signIn = async (
    username: string,
    role: 'community_worker' | 'grid_worker' | 'viewer',
    org: string,
  ) => {
    const client = await registry.signIn(username, role, org);
    return client;
  };
  worker = await signIn('photo-worker', 'community_worker', tree.communityA.id);
  gridWorker = await signIn('photo-grid', 'grid_worker', tree.gridA1.id);
  viewer = await signIn('photo-viewer', 'viewer', tree.communityA.id);
  // The clients keep their cookie to themselves; sign in again for raw uploads.
  const cookieOf = async (username: string) => {
    const response = await registry.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: 'Test@2026pw' },
    });
    return `shiliuzi_session=${response.cookies.find((c) => c.name === 'shiliuzi_session')!.value}`;
  };
  cookies = {
    worker: await cookieOf('photo-worker'),
    gridWorker: await cookieOf('photo-grid'),
    viewer: await cookieOf('photo-viewer'),
  };
});

describe('photos of a visit', () => {
  it('keeps JPEG, PNG and WebP by their content and answers each with its type, name and nosniff', async () => {
    const visit = await newVisit(registry.tree.gridA1.id);
    const before = filesOnDisk();
    const a = await upload(cookies.worker, visit.id, jpeg, 'IMG_0001.JPG');
    const b = await upload(cookies.worker, visit.id, png, '../门牌.png');
    // A WebP sent under a .jpg name is kept as what it is.
    const c = await upload(cookies.worker, visit.id, webp, '合影.jpg');
    expect([a.status, b.status, c.status]).toEqual([201, 201, 201]);
    expect(a.body).toMatchObject({ fileName: 'IMG_0001.jpg', contentType: 'image/jpeg', size: jpeg.length });
    expect(b.body).toMatchObject({ fileName: '门牌.png', contentType: 'image/png' });
    expect(c.body).toMatchObject({ fileName: '合影.webp', contentType: 'image/webp' });

    // Stored under the data dir as <year>/<id>, encrypted: no image header, no pixel data on disk.
    const year = localDateText().slice(0, 4);
    expect(filesOnDisk()).toEqual([...before, ...[a, b, c].map((x) => path.join(year, x.body.id))].sort());
    const onDisk = readFileSync(path.join(dir, year, b.body.id));
    expect(onDisk.subarray(0, 4).toString('latin1')).toBe('SLZA');
    expect(onDisk.includes(png.subarray(0, 8))).toBe(false);
    expect(onDisk.includes(png.subarray(png.length - 40))).toBe(false);
    expect(readFileSync(path.join(dir, year, a.body.id)).includes(Buffer.from('JFIF'))).toBe(false);

    const shown = await registry.app.inject({
      method: 'GET',
      url: `/api/visits/${visit.id}/photos/${b.body.id}`,
      headers: { cookie: cookies.viewer },
    });
    expect(shown.statusCode).toBe(200);
    expect(shown.headers['content-type']).toBe('image/png');
    expect(shown.headers['x-content-type-options']).toBe('nosniff');
    expect(shown.headers['content-disposition']).toMatch(
      /^inline; .*filename\*=UTF-8''%E9%97%A8%E7%89%8C\.png/,
    );
    expect(shown.rawPayload.equals(png)).toBe(true);
    const saved = await registry.app.inject({
      method: 'GET',
      url: `/api/visits/${visit.id}/photos/${a.body.id}?download=true`,
      headers: { cookie: cookies.viewer },
    });
    expect(saved.headers['content-disposition']).toMatch(/^attachment; filename="IMG_0001\.jpg"/);

    // The visit lists them oldest first; each upload is a change of the visit in its history.
    const detail = (await viewer.get(`/api/visits/${visit.id}`)).body;
    expect(detail.photos.map((p: { id: string }) => p.id)).toEqual([a.body.id, b.body.id, c.body.id]);
    expect(detail.version).toBe(4);
    const history = (await viewer.get(`/api/visits/${visit.id}/history`)).body;
    expect(history[0]).toMatchObject({
      action: 'update',
      after: { photos: [{ fileName: 'IMG_0001.jpg' }, { fileName: '门牌.png' }, { fileName: '合影.webp' }] },
    });
  });

  it('refuses a page or an SVG renamed as a photo, too large and empty files, in Chinese, leaving nothing on disk', async () => {
    const visit = await newVisit(registry.tree.gridA1.id);
    const before = filesOnDisk();
    for (const [body, name] of [
      [html, '照片.jpg'],
      [svg, 'logo.png'],
      [Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), 'anim.webp'],
      [Buffer.from([0xff, 0xd8]), 'short.jpg'],
    ] as const) {
      const refused = await upload(cookies.worker, visit.id, body, name);
      expect(refused.status, name).toBe(400);
      expect(refused.body.error.code, name).toBe('visit_photo_type');
      expect(refused.body.error.message).toContain('只能上传 JPEG、PNG 或 WebP 格式的照片');
    }
    const big = Buffer.concat([jpeg, Buffer.alloc(MAX_BYTES, 0x11)]);
    const tooLarge = await upload(cookies.worker, visit.id, big, 'big.jpg');
    expect(tooLarge.status).toBe(400);
    expect(tooLarge.body.error).toMatchObject({ code: 'visit_photo_too_large' });
    expect(tooLarge.body.error.message).toBe('照片不能超过 0.06 MB，请压缩后再上传');
    const empty = await upload(cookies.worker, visit.id, Buffer.alloc(0), 'empty.jpg');
    expect(empty.body.error.code).toBe('visit_photo_empty');
    const json = await worker.post(`/api/visits/${visit.id}/photos`, { photo: 'x' });
    expect(json.body.error.code).toBe('visit_photo_body');

    expect(filesOnDisk()).toEqual(before);
    const after = (await worker.get(`/api/visits/${visit.id}`)).body;
    expect(after).toMatchObject({ version: 1, photos: [] });
  });

  it(`keeps at most ${MAX_VISIT_PHOTOS} photos a visit; a removed one is gone from view, kept, and named in the history`, async () => {
    const visit = await newVisit(registry.tree.gridA1.id);
    const ids: string[] = [];
    for (let i = 0; i < MAX_VISIT_PHOTOS; i++) {
      const added = await upload(cookies.gridWorker, visit.id, png, `第${i + 1}张.png`);
      expect(added.status).toBe(201);
      ids.push(added.body.id);
    }
    const before = filesOnDisk();
    const tenth = await upload(cookies.gridWorker, visit.id, png, '第10张.png');
    expect(tenth.status).toBe(400);
    expect(tenth.body.error).toMatchObject({ code: 'visit_photo_limit' });
    expect(tenth.body.error.message).toContain('最多保存 9 张照片');
    expect(filesOnDisk()).toEqual(before);

    const removed = await gridWorker.delete(`/api/visits/${visit.id}/photos/${ids[0]}`);
    expect(removed.status).toBe(200);
    expect(removed.body.photos).toHaveLength(MAX_VISIT_PHOTOS - 1);
    const gone = await gridWorker.get(`/api/visits/${visit.id}/photos/${ids[0]}`);
    expect(gone.status).toBe(404);
    expect((await gridWorker.delete(`/api/visits/${visit.id}/photos/${ids[0]}`)).status).toBe(404);
    // The file stays: removal is soft.
    expect(filesOnDisk()).toEqual(before);
    const history = (await gridWorker.get(`/api/visits/${visit.id}/history`)).body;
    expect(history[0].before.photos.map((p: { id: string }) => p.id)).toContain(ids[0]);
    expect(history[0].after.photos.map((p: { id: string }) => p.id)).not.toContain(ids[0]);
    expect(history[0].actorName).toBe('photo-grid');

    expect((await upload(cookies.gridWorker, visit.id, png, '补拍.png')).status).toBe(201);
  });

  it('lets only those who may edit the visit add or remove photos, and shows nobody a photo out of scope', async () => {
    const { tree } = registry;
    const inA2 = await newVisit(tree.gridA2.id);
    const photo = await upload(cookies.worker, inA2.id, jpeg);
    expect(photo.status).toBe(201);
    const before = filesOnDisk();

    // The grid worker of A1 reaches neither the visit of A2 nor its photo: as if they did not exist.
    const foreign = await upload(cookies.gridWorker, inA2.id, jpeg);
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('visit_not_found');
    expect((await gridWorker.get(`/api/visits/${inA2.id}/photos/${photo.body.id}`)).status).toBe(404);
    expect((await gridWorker.delete(`/api/visits/${inA2.id}/photos/${photo.body.id}`)).status).toBe(404);
    // A photo is reached through its own visit only.
    const own = await newVisit(tree.gridA1.id);
    expect((await gridWorker.get(`/api/visits/${own.id}/photos/${photo.body.id}`)).status).toBe(404);

    // A read-only user of the community sees the photo but may not add or remove one.
    const seen = await registry.app.inject({
      method: 'GET',
      url: `/api/visits/${inA2.id}/photos/${photo.body.id}`,
      headers: { cookie: cookies.viewer },
    });
    expect(seen.statusCode).toBe(200);
    expect(seen.rawPayload.equals(jpeg)).toBe(true);
    expect((await upload(cookies.viewer, inA2.id, jpeg)).status).toBe(403);
    expect((await viewer.delete(`/api/visits/${inA2.id}/photos/${photo.body.id}`)).status).toBe(403);

    // A deleted visit takes no more photos.
    await worker.delete(`/api/visits/${own.id}?version=${own.version}`);
    expect((await upload(cookies.worker, own.id, jpeg)).status).toBe(404);
    expect(filesOnDisk()).toEqual(before);
  });

  it('keeps photos encrypted at rest: a changed file is refused, older files are encrypted at start', async () => {
    const visit = await newVisit(registry.tree.gridA1.id);
    const show = (photoId: string) =>
      registry.app.inject({
        method: 'GET',
        url: `/api/visits/${visit.id}/photos/${photoId}`,
        headers: { cookie: cookies.worker },
      });
    const year = localDateText().slice(0, 4);
    const fileOf = (photoId: string) => path.join(dir, year, photoId);
    const ids: string[] = [];
    for (const name of ['损坏.png', '旧文件.png', '旧密钥.png']) {
      const added = await upload(cookies.worker, visit.id, png, name);
      expect(added.status).toBe(201);
      ids.push(added.body.id);
    }
    const [damagedId, plainId, oldKeyId] = ids as [string, string, string];

    // One byte changed on disk: refused in Chinese, not answered as a broken image.
    const bytes = readFileSync(fileOf(damagedId));
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 30) ^ 0x01, bytes.length - 30);
    writeFileSync(fileOf(damagedId), bytes);
    const refused = await show(damagedId);
    expect(refused.statusCode).toBe(500);
    expect(refused.json().error).toMatchObject({ code: 'visit_photo_unreadable' });
    expect(refused.json().error.message).toContain('无法打开');

    // A photo written before encryption (plaintext), and one under an earlier master key.
    writeFileSync(fileOf(plainId), png);
    const current = installedFieldKeys();
    const earlierKeyring = keyringOf(parseMasterKey(generateMasterKey())!, 'earlier');
    writeFileSync(fileOf(oldKeyId), sealFile(png, fieldKeysOf(earlierKeyring)));
    expect((await show(plainId)).rawPayload.equals(png)).toBe(true);
    expect((await show(oldKeyId)).statusCode).toBe(500);

    // At start the plaintext one is encrypted; the one of the earlier key is left as it is, and
    // counted, until that key is given (as an old key file); the damaged one is not touched.
    const store = createPhotoStore(dir, MAX_BYTES);
    expect(await store.sealOutstanding()).toEqual({ files: 1, unreadable: 1 });
    installFieldKeys({
      current: current.current,
      byId: new Map([...current.byId, ...fieldKeysOf(earlierKeyring).byId]),
    });
    let sealed;
    try {
      sealed = await store.sealOutstanding();
    } finally {
      installFieldKeys(current);
    }
    expect(sealed).toEqual({ files: 1, unreadable: 0 });
    for (const id of [plainId, oldKeyId]) {
      expect(readFileSync(fileOf(id)).includes(png.subarray(0, 8))).toBe(false);
      const answered = await show(id);
      expect(answered.statusCode).toBe(200);
      expect(answered.rawPayload.equals(png)).toBe(true);
    }
    // Nothing is left to do the second time.
    expect(await store.sealOutstanding()).toEqual({ files: 0, unreadable: 0 });
    expect((await show(damagedId)).statusCode).toBe(500);
  });
});
