/**
 * Casework records for the casework benchmark, on SQLite or PostgreSQL: households of three made
 * from the seeded residents, a grid worker per grid and a community worker per community, then
 * disputes and petitions (first half of 2026) and visits, must-visit tasks, pairings and assistance
 * spread over two years (2024-07-01 to 2026-06-30). Rows are written with the app's bulk insert
 * helper (`server/src/db/bulk-insert.ts`), as the import writes them.
 */
import { sql, type Insertable } from 'kysely';
import {
  assistanceKinds,
  defaultMustVisitDueDays,
  fundSources,
  mustVisitKinds,
  type MustVisitKind,
} from '@shiliuzi/shared/casework-visits';
import { isMinority } from '@shiliuzi/shared/ethnicity';
import { insertMany } from '../server/src/db/bulk-insert.ts';
import type { Database } from '../server/src/db/database.ts';
import { dialectOf } from '../server/src/db/dialect-of.ts';
import type { DB } from '../server/src/db/schema.ts';
import { newId } from '../server/src/lib/ids.ts';
import { mulberry32 } from '../server/src/modules/demo/random.ts';
import { userRepository } from '../server/src/modules/users/user.repository.ts';
import type { Street } from './street.ts';
import { createUser } from './workload.ts';

export interface CaseworkVolumes {
  /** Disputes, petitions and hotline calls together (a fifth of them disputes). */
  disputesAndPetitions: number;
  visits: number;
  mustVisits: number;
  pairings: number;
  assistance: number;
}

export const defaultVolumes: CaseworkVolumes = {
  disputesAndPetitions: 50_000,
  visits: 50_000,
  mustVisits: 20_000,
  pairings: 8_000,
  assistance: 10_000,
};

/** The two years the visits, tasks, pairings and assistance are spread over. */
export const SPAN = { from: '2024-07-01', days: 730 };

const addDays = (date: string, days: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};
const spanDay = (offset: number) => addDays(SPAN.from, offset);
const lastDay = spanDay(SPAN.days - 1);
const minDate = (a: string, b: string) => (a < b ? a : b);

interface SeededResident {
  id: string;
  orgUnitId: string;
  streetId: string;
  householdId: string;
  ethnicityCode: string;
}

/**
 * Households of three residents of each grid (by id order within the grid: head, spouse, child),
 * the head's id doubling as the household's. Two statements on either engine.
 */
async function addHouseholds(database: Database, now: string): Promise<void> {
  const db = database.db;
  const ranked = sql`(select id, org_unit_id, street_id,
      row_number() over (partition by org_unit_id order by id) - 1 as k
    from resident where deleted_at is null)`;
  await sql`insert into household (id, org_unit_id, street_id, household_number, version, created_at, updated_at)
    select id, org_unit_id, street_id, 'B' || cast(k / 3 + 1 as text), 1, ${now}, ${now}
    from ${ranked} as ranked where k % 3 = 0`.execute(db);
  await sql`update resident set household_id = heads.head_id,
      relation_to_head = case heads.k % 3 when 0 then 'head' when 1 then 'spouse' else 'child' end
    from (select id, k, first_value(id) over (partition by org_unit_id, k / 3 order by k) as head_id
          from ${ranked} as ranked) as heads
    where heads.id = resident.id`.execute(db);
}

/**
 * Seeds every casework record of the street. Deterministic for a seed, except the ids.
 * Returns what was written.
 */
export async function seedCaseworkRecords(
  database: Database,
  street: Street,
  volumes: CaseworkVolumes,
  seed: number,
) {
  const db = database.db;
  const dialect = dialectOf(db);
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const int = (from: number, to: number) => from + Math.floor(random() * (to - from + 1));
  const now = new Date().toISOString();
  const stamps = {
    version: 1,
    createdAt: now,
    updatedAt: now,
    createdBy: null,
    updatedBy: null,
    deletedAt: null,
  };

  await addHouseholds(database, now);

  // A grid worker per grid and a community worker per community (the cadres and visitors).
  const gridWorker = new Map<string, string>();
  const communityWorker = new Map<string, string>();
  const communityOf = new Map(street.grids.map((g) => [g.id, g.parentId!]));
  for (const grid of street.grids) {
    const community = grid.parentId!;
    if (!communityWorker.has(community)) {
      const username = `cb.community.${communityWorker.size + 1}`;
      await createUser(database, username, 'community_worker', community);
      communityWorker.set(community, (await userRepository.findUserByUsername(db, username))!.id);
    }
    const username = `cb.grid.${gridWorker.size + 1}`;
    await createUser(database, username, 'grid_worker', grid.id);
    gridWorker.set(grid.id, (await userRepository.findUserByUsername(db, username))!.id);
  }

  const residents = (await db
    .selectFrom('resident')
    .select(['id', 'orgUnitId', 'streetId', 'householdId', 'ethnicityCode'])
    .where('streetId', '=', street.street.id)
    .where('deletedAt', 'is', null)
    .orderBy('id')
    .execute()) as SeededResident[];
  const membersOf = new Map<string, SeededResident[]>();
  for (const r of residents) {
    const members = membersOf.get(r.householdId) ?? [];
    members.push(r);
    membersOf.set(r.householdId, members);
  }
  // Minority households first (the pairing policy's target), then the others in a shuffled order.
  const households = [...membersOf.entries()].map(([id, members]) => ({
    id,
    head: members[0]!,
    members,
    minority: members.some((m) => isMinority(m.ethnicityCode)),
    key: random(),
  }));
  households.sort((a, b) => Number(b.minority) - Number(a.minority) || a.key - b.key);

  // Disputes and petitions: the first half of 2026, as before.
  const written = await seedDisputesAndPetitions(database, street, volumes.disputesAndPetitions, now);

  // Pairings: one per household in turn; a third of them end and hand over to another cadre.
  type PairingRow = Insertable<DB['pairing']>;
  const pairings: PairingRow[] = [];
  for (const h of households) {
    if (pairings.length >= volumes.pairings) break;
    const cadres = [
      gridWorker.get(h.head.orgUnitId)!,
      communityWorker.get(communityOf.get(h.head.orgUnitId)!)!,
    ];
    const startedOn = spanDay(int(0, 240));
    const handOver = random() < 1 / 3 && pairings.length + 2 <= volumes.pairings;
    const endedOn = handOver ? addDays(startedOn, int(120, 360)) : null;
    const base = {
      orgUnitId: h.head.orgUnitId,
      streetId: h.head.streetId,
      householdId: h.id,
      frequencyDays: pick([30, 30, 60, 90]),
      note: null,
      ...stamps,
    };
    pairings.push({ ...base, id: newId(), cadreId: cadres[0]!, startedOn, endedOn });
    if (endedOn) {
      pairings.push({
        ...base,
        id: newId(),
        cadreId: cadres[1]!,
        startedOn: addDays(endedOn, 1),
        endedOn: null,
      });
    }
  }

  type VisitRow = Insertable<DB['visit']>;
  const visits: VisitRow[] = [];
  const visitors: Insertable<DB['visitVisitor']>[] = [];
  const subjects: Insertable<DB['visitSubject']>[] = [];
  const addVisit = (
    orgUnitId: string,
    visitedOn: string,
    purpose: string,
    visitorIds: string[],
    subject: { residentId: string } | { householdId: string },
  ) => {
    const festival = purpose === 'festival';
    const id = newId();
    visits.push({
      id,
      orgUnitId,
      streetId: street.street.id,
      visitedOn,
      purpose,
      location: null,
      gifts: festival ? '米、油' : null,
      amountFen: festival ? pick([20000, 50000, 100000]) : null,
      fundSource: festival ? pick(fundSources) : null,
      notes: null,
      ...stamps,
      // One visit in a hundred was deleted.
      deletedAt: random() < 0.01 ? now : null,
    });
    for (const userId of visitorIds) visitors.push({ visitId: id, userId });
    subjects.push({
      visitId: id,
      residentId: 'residentId' in subject ? subject.residentId : null,
      householdId: 'householdId' in subject ? subject.householdId : null,
    });
    return id;
  };

  // Must-visit tasks: three in four done by a visit of the same purpose (some after the due date).
  const tasks: Insertable<DB['mustVisitTask']>[] = [];
  for (let i = 0; i < volumes.mustVisits; i++) {
    const resident = pick(residents);
    const kind: MustVisitKind = pick(mustVisitKinds);
    const eventOn = spanDay(int(0, SPAN.days - 1));
    const dueOn = addDays(eventOn, defaultMustVisitDueDays[kind]);
    const assigneeId = gridWorker.get(resident.orgUnitId)!;
    const doneOn = random() < 0.75 ? addDays(eventOn, int(0, defaultMustVisitDueDays[kind] + 4)) : null;
    const visitId =
      doneOn && doneOn <= lastDay
        ? addVisit(resident.orgUnitId, doneOn, kind, [assigneeId], { residentId: resident.id })
        : null;
    tasks.push({
      id: newId(),
      orgUnitId: resident.orgUnitId,
      streetId: resident.streetId,
      residentId: resident.id,
      kind,
      eventOn,
      dueOn,
      note: null,
      assigneeId,
      assignedByPairing: 0,
      visitId,
      doneOn: visitId ? doneOn : null,
      ...stamps,
    });
  }

  // The other visits: two in five by a paired cadre to the household or a member, the rest by the
  // grid worker (now and then with the community worker) to a resident or a household of the grid.
  const remaining = volumes.visits - visits.length;
  for (let i = 0; i < remaining; i++) {
    if (i % 5 < 2 && pairings.length > 0) {
      const p = pick(pairings);
      const until = p.endedOn ? minDate(p.endedOn as string, lastDay) : lastDay;
      const from = p.startedOn as string;
      const span = Math.round((Date.parse(until) - Date.parse(from)) / 86_400_000);
      const visitedOn = addDays(from, int(0, Math.max(0, span)));
      const members = membersOf.get(p.householdId as string)!;
      addVisit(
        p.orgUnitId as string,
        visitedOn,
        random() < 0.8 ? 'routine' : 'festival',
        [p.cadreId as string],
        random() < 0.5 ? { householdId: p.householdId as string } : { residentId: pick(members).id },
      );
    } else {
      const resident = pick(residents);
      const visitorIds = [gridWorker.get(resident.orgUnitId)!];
      if (random() < 0.1) visitorIds.push(communityWorker.get(communityOf.get(resident.orgUnitId)!)!);
      addVisit(
        resident.orgUnitId,
        spanDay(int(0, SPAN.days - 1)),
        pick(['routine', 'routine', 'routine', 'festival', 'festival', 'hardship', 'hospitalised']),
        visitorIds,
        random() < 0.7 ? { residentId: resident.id } : { householdId: resident.householdId },
      );
    }
  }

  // Assistance: seven in ten approved, one rejected, two pending.
  const assistance: Insertable<DB['assistance']>[] = [];
  for (let i = 0; i < volumes.assistance; i++) {
    const resident = pick(residents);
    const appliedOn = spanDay(int(0, SPAN.days - 1));
    const roll = random();
    const status = roll < 0.7 ? 'approved' : roll < 0.8 ? 'rejected' : 'pending';
    const decided = status !== 'pending';
    assistance.push({
      id: newId(),
      orgUnitId: resident.orgUnitId,
      streetId: resident.streetId,
      residentId: resident.id,
      kind: pick(assistanceKinds),
      amountFen: int(10, 200) * 1000,
      fundSource: pick(fundSources),
      appliedOn,
      description: null,
      status,
      decidedBy: decided ? communityWorker.get(communityOf.get(resident.orgUnitId)!)! : null,
      decidedOn: decided ? minDate(addDays(appliedOn, int(0, 14)), lastDay) : null,
      ...stamps,
    });
  }

  await db.transaction().execute(async (trx) => {
    await insertMany(trx, 'pairing', pairings);
    await insertMany(trx, 'visit', visits);
    await insertMany(trx, 'visitVisitor', visitors);
    await insertMany(trx, 'visitSubject', subjects);
    await insertMany(trx, 'mustVisitTask', tasks);
    await insertMany(trx, 'assistance', assistance);
  });
  if (dialect.name === 'sqlite') {
    await sql`analyze`.execute(db);
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
  } else {
    await sql`vacuum (analyze)`.execute(db);
  }
  return {
    ...written,
    households: households.length,
    minorityHouseholds: households.filter((h) => h.minority).length,
    visits: visits.length,
    mustVisits: tasks.length,
    pairings: pairings.length,
    assistance: assistance.length,
  };
}

const levels = ['grid', 'community', 'street'];
const categories = ['neighbour', 'family', 'property', 'labour', 'housing', 'debt', 'business', 'other'];
const outcomes = ['ongoing', 'resolved', 'resolved', 'resolved', 'transferred'];
const channels = ['visit', 'letter', 'online', 'hotline', 'hotline', 'hotline'];
const statuses = [
  'done',
  'done',
  'done',
  'done',
  'done',
  'done',
  'handling',
  'received',
  'not_accepted',
  'transferred',
];

/** `records` disputes (a fifth) and petitions spread over the grids and the first half of 2026. */
async function seedDisputesAndPetitions(database: Database, street: Street, records: number, now: string) {
  const db = database.db;
  const dialect = dialectOf(db);
  const stamps = {
    version: 1,
    createdAt: now,
    updatedAt: now,
    createdBy: null,
    updatedBy: null,
    deletedAt: null,
  };
  const date = (i: number) => new Date(Date.UTC(2026, 0, 1 + (i % 181))).toISOString().slice(0, 10);
  const disputes: Insertable<DB['dispute']>[] = [];
  const petitions: Insertable<DB['petition']>[] = [];
  const count = Math.round(records / 5);
  for (let i = 0; i < records; i++) {
    const grid = street.grids[i % street.grids.length]!;
    if (i < count) {
      const outcome = outcomes[i % outcomes.length]!;
      disputes.push({
        id: newId(),
        orgUnitId: grid.id,
        streetId: street.street.id,
        intakeDate: date(i),
        source: 'survey',
        category: categories[i % categories.length]!,
        isEthnicFactor: dialect.bool(i % 7 === 0),
        riskLevel: 'low',
        handlingLevel: levels[i % levels.length]!,
        outcome,
        closedOn: outcome === 'ongoing' ? null : date(i + 3),
        summary: '基准纠纷',
        followUp: null,
        ...stamps,
      });
    } else {
      const status = statuses[i % statuses.length]!;
      const closed = ['done', 'not_accepted', 'transferred'].includes(status);
      petitions.push({
        id: newId(),
        orgUnitId: grid.id,
        streetId: street.street.id,
        channel: channels[i % channels.length]!,
        receivedDate: date(i),
        requesterResidentId: null,
        requesterName: null,
        subject: '基准信访',
        assigneeId: null,
        status,
        responseDate: closed ? date(i + 2) : null,
        handlingDays: closed ? 2 : null,
        dueDate: '2026-12-31',
        ...stamps,
      });
    }
  }
  await db.transaction().execute(async (trx) => {
    await insertMany(trx, 'dispute', disputes);
    await insertMany(trx, 'petition', petitions);
  });
  return { disputes: disputes.length, petitions: petitions.length };
}
