import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDateText } from '@shiliuzi/shared/dates';
import { createTestDatabase, type TestDatabase } from '../../../test/test-database.ts';
import { cliActor } from '../../lib/actor.ts';
import { visitCampaignService } from '../visits/visit-campaign.service.ts';
import { createPhotoStore } from '../visits/visit-photo.store.ts';
import { visitService } from '../visits/visit.service.ts';
import { demoService } from './demo.service.ts';

// SQLite only: loading the whole demo takes three minutes on PostgreSQL, and every service it goes
// through is tested on both engines.
let t: TestDatabase;
const dir = mkdtempSync(path.join(tmpdir(), 'shiliuzi-demo-photos-'));

beforeAll(async () => {
  t = await createTestDatabase();
  await demoService.loadDemo(t.database.db, cliActor, undefined, createPhotoStore(dir));
}, 300_000);

afterAll(async () => {
  await t?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('demo casework', () => {
  it('shows a festival visit campaign in progress and a past one with overdue visits', async () => {
    const campaigns = await visitCampaignService.listCampaigns(
      t.database.db,
      cliActor,
      undefined,
      {},
      { page: 1, pageSize: 10, order: 'desc' },
    );
    expect(campaigns.total).toBe(2);
    const [current, past] = campaigns.items;
    expect(current!.plannedOn > localDateText()).toBe(true);
    expect(current!.progress.done).toBe(2);
    expect(current!.progress.open).toBeGreaterThan(0);
    expect(past!.progress.done).toBeGreaterThan(0);
    expect(past!.progress.overdue).toBeGreaterThan(0);
  });

  it('has a visit with a photo kept under the attachments folder', async () => {
    const visits = await visitService.listVisits(
      t.database.db,
      cliActor,
      undefined,
      { purpose: 'hospitalised' },
      'visitedOn',
      { page: 1, pageSize: 10, order: 'desc' },
    );
    const withPhoto = visits.items.find((v) => v.photos.length > 0);
    expect(withPhoto?.photos[0]).toMatchObject({ fileName: '医院探望.png', contentType: 'image/png' });
    const year = localDateText().slice(0, 4);
    expect(readdirSync(path.join(dir, year))).toEqual([withPhoto!.photos[0]!.id]);
  });
});
