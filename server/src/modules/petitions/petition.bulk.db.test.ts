import { beforeAll, describe, expect, it } from 'vitest';
import type { PetitionInput } from '@shiliuzi/shared/casework-petitions';
import type { Actor } from '../../lib/actor.ts';
import { useRegistryTest } from '../../../test/fixtures.ts';
import { petitionService } from './petition.service.ts';

const r = useRegistryTest();
let actor: Actor;

beforeAll(async () => {
  await r.signIn('bulk-worker', 'community_worker', r.tree.communityA.id);
  const user = await r.t.database.db
    .selectFrom('appUser')
    .select(['id', 'displayName'])
    .where('username', '=', 'bulk-worker')
    .executeTakeFirstOrThrow();
  actor = {
    userId: user.id,
    name: user.displayName,
    orgUnitId: r.tree.communityA.id,
    scopePath: r.tree.communityA.path,
    roles: ['community_worker'],
  };
});

const input = (subject: string): PetitionInput => ({
  orgUnitId: r.tree.gridA1.id,
  channel: 'letter',
  receivedDate: '2026-03-02',
  requesterName: '马先生',
  subject,
});

/** A record without what differs between two writes of the same facts: ids and clock times. */
function facts(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(facts);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !['id', 'at', 'createdAt', 'updatedAt'].includes(key))
      .map(([key, v]) => [key, facts(v)]),
  );
}

/** The petition with this subject, found as a reader would: subjects are stored sealed. */
async function petitionBySubject(subject: string) {
  const db = r.t.database.db;
  for (const { id } of await db.selectFrom('petition').select('id').execute()) {
    const petition = await petitionService.getPetition(db, actor, id);
    if (petition.subject !== subject) continue;
    return { petition, history: await petitionService.listPetitionHistory(db, actor, id) };
  }
  throw new Error(`no petition about ${subject}`);
}

describe('petitions recorded in bulk', () => {
  it('get the same row, timeline and history as one recorded and closed through the service', async () => {
    const db = r.t.database.db;
    const one = await petitionService.recordPetition(db, actor, input('逐条登记'));
    await petitionService.changePetitionStatus(db, actor, one.id, {
      version: one.version,
      status: 'done',
      date: '2026-03-20',
      notes: '已答复',
    });
    const written = await petitionService.recordPetitions(db, actor, [
      { input: input('批量登记'), then: { status: 'done', date: '2026-03-20', notes: '已答复' } },
      { input: { ...input('批量登记（未办结）'), channel: 'hotline' } },
    ]);
    expect(written).toBe(2);

    const single = await petitionBySubject('逐条登记');
    const bulk = await petitionBySubject('批量登记');
    const withSubject = (p: object) => ({ ...(facts(p) as object), subject: '' });
    expect(withSubject(bulk.petition)).toEqual(withSubject(single.petition));
    expect(bulk.petition).toMatchObject({ status: 'done', responseDate: '2026-03-20', version: 2 });
    expect(bulk.petition.events.map((e) => [e.fromStatus, e.toStatus, e.date])).toEqual([
      [null, 'received', '2026-03-02'],
      ['received', 'done', '2026-03-20'],
    ]);
    const historyFacts = (h: typeof single.history) =>
      facts(h.map((e) => ({ ...e, after: e.after && { ...e.after, subject: '' } })));
    expect(historyFacts(bulk.history)).toEqual(historyFacts(single.history));
    expect(bulk.history.map((h) => h.action)).toEqual(['update', 'create']);

    // The one left open is due after the hotline's deadline (5 days by default).
    const open = await petitionBySubject('批量登记（未办结）');
    expect(open.petition).toMatchObject({ status: 'received', dueDate: '2026-03-07', version: 1 });
  });

  it('writes nothing when one of them cannot be recorded', async () => {
    const db = r.t.database.db;
    const count = async () =>
      Number(
        (
          await db
            .selectFrom('petition')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    await expect(
      petitionService.recordPetitions(db, actor, [
        { input: input('第一件'), then: { status: 'done', date: '2026-03-05' } },
        { input: input('答复早于受理'), then: { status: 'done', date: '2026-03-01' } },
      ]),
    ).rejects.toMatchObject({ code: 'date_before_intake' });
    await expect(
      petitionService.recordPetitions(db, actor, [
        { input: { ...input('范围外'), orgUnitId: r.tree.gridB1.id } },
      ]),
    ).rejects.toMatchObject({ code: 'org_unit_not_found' });
    expect(await count()).toBe(before);
  });
});
