import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PetitionStatus } from '@shiliuzi/shared/casework-petitions';
import { useRegistryTest } from '../../../test/fixtures.ts';
import { cliEnv, cliRunner } from '../../../test/cli.ts';
import type { PetitionRow } from '../../db/schema.ts';

const r = useRegistryTest();
const { cli } = cliRunner(() => cliEnv(r.t));

/**
 * Petition rows as the service writes them (received, then closed with a response date), in bulk:
 * the figures are SQL over the table, and thousands of calls one request at a time would only
 * slow the test down.
 */
async function insertPetitions(
  orgUnitId: string,
  streetId: string,
  channel: string,
  counts: Partial<Record<PetitionStatus, number>>,
  receivedDate = '2026-04-01',
) {
  const rows: PetitionRow[] = [];
  for (const [status, n] of Object.entries(counts)) {
    const closed = ['done', 'not_accepted', 'transferred'].includes(status);
    for (let i = 0; i < n; i += 1) {
      rows.push({
        id: randomUUID(),
        orgUnitId,
        streetId,
        channel,
        receivedDate,
        requesterResidentId: null,
        requesterName: null,
        subject: '来电反映',
        assigneeId: null,
        status,
        responseDate: closed ? (i % 2 === 0 ? '2026-04-03' : '2026-04-05') : null,
        handlingDays: closed ? (i % 2 === 0 ? 2 : 4) : null,
        dueDate: '2026-05-31',
        version: 1,
        createdAt: '2026-04-01T02:00:00.000Z',
        updatedAt: '2026-04-01T02:00:00.000Z',
        createdBy: null,
        updatedBy: null,
        deletedAt: null,
        anonymisedAt: null,
      });
    }
  }
  for (let i = 0; i < rows.length; i += 500) {
    await r.t.database.db
      .insertInto('petition')
      .values(rows.slice(i, i + 500))
      .execute();
  }
}

describe('dispute, petition and hotline figures', () => {
  it('reproduce the reference figures: 346 of 356 petitions → 97 %, 2,409 calls all done → 100 %, 2 of 2 disputes', async () => {
    const { tree } = r;
    const worker = await r.signIn('figures-worker', 'street_officer', tree.street.id);
    const empty = await worker.get(
      `/api/org-units/${tree.street.id}/dispute-petition-statistics?from=2026-01-01&to=2026-06-30`,
    );
    expect(empty.status).toBe(200);
    // Nothing received: the rate is 0, never NaN (JSON would carry null).
    expect(empty.body.petitions).toEqual({
      received: 0,
      handled: 0,
      inProgress: 0,
      otherOutcomes: 0,
      completionRate: 0,
      averageHandlingDays: null,
    });
    expect(empty.body.disputes).toMatchObject({ found: 0, resolved: 0, resolutionRate: 0 });

    await insertPetitions(tree.gridA1.id, tree.street.id, 'visit', { done: 200, not_accepted: 6 });
    await insertPetitions(tree.communityB.id, tree.street.id, 'letter', { done: 146, transferred: 4 });
    await insertPetitions(tree.gridB1.id, tree.street.id, 'hotline', { done: 2409 });
    // Outside the period or the street: not counted.
    await insertPetitions(tree.gridA1.id, tree.street.id, 'visit', { handling: 3 }, '2025-12-31');
    await insertPetitions(tree.otherCommunity.id, tree.otherStreet.id, 'visit', { received: 5 });

    for (const [orgUnitId, handlingLevel] of [
      [tree.gridA1.id, 'grid'],
      [tree.communityB.id, 'community'],
    ] as const) {
      const d = await worker.post('/api/disputes', {
        orgUnitId,
        intakeDate: '2026-05-10',
        source: 'survey',
        category: 'neighbour',
        riskLevel: 'low',
        handlingLevel,
        summary: '邻里噪音纠纷',
        parties: [{ name: '当事人甲' }, { name: '当事人乙' }],
      });
      expect(d.status).toBe(201);
      const step = await worker.post(`/api/disputes/${d.body.id}/steps`, {
        version: d.body.version,
        stepDate: '2026-05-11',
        notes: '调解',
      });
      const resolved = await worker.patch(`/api/disputes/${d.body.id}`, {
        version: step.body.version,
        outcome: 'resolved',
        closedOn: '2026-05-12',
      });
      expect(resolved.status).toBe(200);
    }

    const figures = await worker.get(
      `/api/org-units/${tree.street.id}/dispute-petition-statistics?from=2026-01-01&to=2026-06-30`,
    );
    expect(figures.body.petitions).toEqual({
      received: 356,
      handled: 346,
      inProgress: 0,
      otherOutcomes: 10,
      completionRate: 346 / 356,
      averageHandlingDays: 3,
    });
    expect(Math.round(figures.body.petitions.completionRate * 100)).toBe(97);
    expect(figures.body.hotline).toMatchObject({
      received: 2409,
      handled: 2409,
      inProgress: 0,
      completionRate: 1,
    });
    expect(figures.body.disputes).toEqual({
      found: 2,
      resolved: 2,
      resolutionRate: 1,
      byLevel: { grid: 1, community: 1, street: 0 },
      byCategory: expect.objectContaining({ neighbour: 2, labour: 0 }),
    });

    // A community sees its own share only.
    const communityA = await worker.get(
      `/api/org-units/${tree.communityA.id}/dispute-petition-statistics?from=2026-01-01&to=2026-06-30`,
    );
    expect(communityA.body.petitions).toMatchObject({ received: 206, handled: 200, otherOutcomes: 6 });
    expect(communityA.body.hotline.received).toBe(0);
    expect(communityA.body.disputes).toMatchObject({ found: 1, resolved: 1 });

    // The same figures in `shiliuzi stats --json`.
    const stats = JSON.parse(
      await cli('stats', '--org', 'TS', '--from', '2026-01-01', '--to', '2026-06-30', '--json'),
    );
    expect(stats.petitions).toEqual(figures.body.petitions);
    expect(stats.hotline).toEqual(figures.body.hotline);
    expect(stats.disputes).toMatchObject({ found: 2, resolved: 2, resolutionRate: 1 });
    expect(stats.residents).toBeTypeOf('number');
  });
});
