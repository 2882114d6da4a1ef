import { randomUUID } from 'node:crypto';
import type { HTTPMethods } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OrgUnit } from '@shiliuzi/shared/org-units';
import type { PlaceInput } from '@shiliuzi/shared/places';
import type { Role } from '@shiliuzi/shared/registry';
import type { ResidentInput } from '@shiliuzi/shared/residents';
import {
  apiClient,
  buildTestApp,
  buildTestTree,
  loginAs,
  makeIdNumber,
  TEST_PASSWORD,
  type TestApp,
  type TestTree,
} from '../../test/fixtures.ts';
import { registeredRoutes } from '../../test/routes.ts';
import { createTestDatabase, testDialect, type TestDatabase } from '../../test/test-database.ts';
import type * as scopeModule from '../db/scope.ts';
import { cliActor } from '../lib/actor.ts';
import { encodePng } from '../lib/png.ts';
import { registerKinds } from './exports/exports.service.ts';
import { householdService } from './households/household.service.ts';
import { orgUnitService } from './org-units/org-unit.service.ts';
import { placeService } from './places/place.service.ts';
import { residentService } from './residents/resident.service.ts';
import { disputeService } from './disputes/dispute.service.ts';
import { petitionService } from './petitions/petition.service.ts';
import { userService } from './users/user.service.ts';
import { assistanceService } from './assistance/assistance.service.ts';
import { pairingService } from './pairings/pairing.service.ts';
import { visitService } from './visits/visit.service.ts';
import { visitCampaignService } from './visits/visit-campaign.service.ts';

/*
 * The org-scope matrix: every route of the API, for every scoped role, against records of every
 * kind of foreign unit (sibling grid, sibling community, another street, the parent, a random
 * uuid). A foreign record must answer exactly like a record that does not exist (404, or the same
 * refusal a random uuid gets), never appear in a list, search or count, and nothing may be written.
 * The table below says how each route is exercised; a route missing from it fails the test.
 */

/**
 * The application's scope filter, switched off while `appFilter.off` is set: the one org-scope
 * helper then admits the whole tree, whatever the actor's subtree, and on PostgreSQL only its
 * row-level security stands between an actor and a foreign record (db/row-security.ts).
 */
const appFilter = vi.hoisted(() => ({ off: false }));
vi.mock('../db/scope.ts', async (importOriginal) => {
  const original = await importOriginal<typeof scopeModule>();
  return {
    ...original,
    orgSubtreeIds: (db: Parameters<typeof original.orgSubtreeIds>[0], path: string) =>
      original.orgSubtreeIds(db, appFilter.off ? '/' : path),
    inOrgScope: (
      db: Parameters<typeof original.inOrgScope>[0],
      column: string,
      scope: Parameters<typeof original.inOrgScope>[2],
    ) => original.inOrgScope(db, column, appFilter.off ? { path: '/' } : scope),
  };
});

// ---------------------------------------------------------------------------------------------
// Seed: the same set of records in every unit, so there is something to leak everywhere.

/** What a probe needs of a record: its id and the version a write would name. */
interface Rec {
  id: string;
  version: number;
}

interface UnitSeed {
  /** One character that only this unit's names carry (甲, 乙, …). */
  tag: string;
  unit: Pick<OrgUnit, 'id' | 'version' | 'name' | 'path'>;
  /** A deleted member unit (驻区单位) under the unit, where the unit type allows one. */
  deletedUnit: Rec | null;
  estate: Rec;
  building: Rec;
  entrance: Rec;
  dwelling: Rec;
  deletedVenue: Rec;
  household: Rec;
  deletedHousehold: Rec;
  head: Rec;
  spouse: Rec;
  floater: Rec;
  deletedResident: Rec;
  headIdNumber: string;
  headPhone: string;
  /** Casework: a visit, a must-visit task, a pairing and an assistance record, each with a deleted twin. */
  visit: Rec;
  deletedVisit: Rec;
  mustVisit: Rec;
  pairing: Rec;
  assistance: Rec;
  deletedAssistance: Rec;
  cadreId: string;
  /** A festival visit campaign of the unit, planning a visit to its household. */
  campaign: Rec;
  /** A photo of the visit (uploaded once the app runs). */
  photoId: string;
  /** Every string that would give one of the unit's records away: ids, names, raw ID numbers, phones. */
  markers: Map<string, string>;
}

function namesOf(tag: string) {
  return {
    head: `${tag}户主`,
    spouse: `${tag}配偶`,
    floater: `${tag}流动`,
    deletedResident: `${tag}迁出`,
    estate: `${tag}花园`,
    building: `${tag}一号楼`,
    entrance: `${tag}一单元`,
    dwelling: `${tag}一零一室`,
    venue: `${tag}会所`,
    landlord: `${tag}房东`,
    household: `${tag}户号一`,
    emptyHousehold: `${tag}户号二`,
    memberUnit: `${tag}驻区单位`,
    visitNotes: `${tag}走访记录`,
    campaign: `${tag}节日走访`,
    assistanceNote: `${tag}帮困说明`,
  };
}

/** A mobile number unique to (unit index, slot). */
const phoneOf = (index: number, slot: number) => `1${3 + slot}${String(index).padStart(9, '0')}`;
const idNumberOf = (index: number, slot: number) =>
  makeIdNumber('110101', `19${70 + slot}0101`, index * 10 + slot);

async function seedUnit(t: TestDatabase, unit: OrgUnit, tag: string, index: number): Promise<UnitSeed> {
  const db = t.database.db;
  const n = namesOf(tag);
  const place = (input: Omit<PlaceInput, 'orgUnitId'>) =>
    placeService.createPlace(db, cliActor, { orgUnitId: unit.id, ...input });
  const estate = await place({ kind: 'estate', name: n.estate });
  const building = await place({ kind: 'building', name: n.building, parentId: estate.id });
  const entrance = await place({ kind: 'entrance', name: n.entrance, parentId: building.id });
  const dwelling = await place({
    kind: 'dwelling',
    name: n.dwelling,
    parentId: entrance.id,
    isRental: true,
    landlordName: n.landlord,
    landlordPhone: phoneOf(index, 4),
  });
  const venue = await place({ kind: 'venue', name: n.venue });
  const deletedVenue = await placeService.deletePlace(db, cliActor, venue.id, venue.version);

  const household = await householdService.createHousehold(db, cliActor, {
    orgUnitId: unit.id,
    dwellingId: dwelling.id,
    householdNumber: n.household,
  });
  const empty = await householdService.createHousehold(db, cliActor, {
    orgUnitId: unit.id,
    householdNumber: n.emptyHousehold,
  });
  const deletedHousehold = await householdService.deleteHousehold(db, cliActor, empty.id, empty.version);

  const resident = (input: Omit<ResidentInput, 'orgUnitId' | 'residenceType'> & Partial<ResidentInput>) =>
    residentService.registerResident(db, cliActor, {
      orgUnitId: unit.id,
      residenceType: 'permanent',
      ...input,
    });
  // Head and spouse of different ethnicities: an inter-ethnic couple (族际通婚) for the figures.
  const head = await resident({
    name: n.head,
    ethnicityCode: '01',
    idNumber: idNumberOf(index, 1),
    phone: phoneOf(index, 0),
    householdId: household.id,
    relationToHead: 'head',
  });
  const spouse = await resident({
    name: n.spouse,
    ethnicityCode: '03',
    idNumber: idNumberOf(index, 2),
    phone: phoneOf(index, 1),
    householdId: household.id,
    relationToHead: 'spouse',
  });
  const floater = await resident({
    name: n.floater,
    ethnicityCode: '05',
    idNumber: idNumberOf(index, 3),
    phone: phoneOf(index, 2),
    dwellingId: dwelling.id,
    residenceType: 'floating',
    floating: {
      arrivalDate: '2025-03-01',
      originAddress: `${tag}原籍地址`,
      reason: 'trade',
      stall: `${tag}摊位`,
      landlordName: n.landlord,
      landlordPhone: phoneOf(index, 4),
    },
  });
  const leaving = await resident({
    name: n.deletedResident,
    ethnicityCode: '01',
    idNumber: idNumberOf(index, 5),
    phone: phoneOf(index, 3),
  });
  const deletedResident = await residentService.deleteResident(db, cliActor, leaving.id, leaving.version);

  let deletedUnit: Rec | null = null;
  if (['street', 'township', 'community', 'village'].includes(unit.type)) {
    const member = await orgUnitService.createOrgUnit(db, cliActor, {
      code: `${unit.code}-U`,
      name: n.memberUnit,
      type: 'unit',
      memberUnitKind: 'school',
      parentId: unit.id,
    });
    deletedUnit = await orgUnitService.deleteOrgUnit(db, cliActor, member.id, member.version);
  }

  // Casework of the unit: a cadre paired with the household, a visit, a must-visit and assistance.
  const cadre = await userService.createUser(
    db,
    cliActor,
    {
      username: `scope-cadre-${index}`,
      password: TEST_PASSWORD,
      roles: ['community_worker'],
      orgUnitId: unit.id,
    },
    { mustChangePassword: false },
  );
  const pairing = await pairingService.createPairing(db, cliActor, {
    householdId: household.id,
    cadreId: cadre.id,
    startedOn: '2025-01-01',
    frequencyDays: 30,
  });
  const mustVisit = await visitService.recordMustVisitEvent(db, cliActor, {
    residentId: head.id,
    kind: 'hospitalised',
    eventOn: '2025-03-01',
  });
  const visitInput = {
    orgUnitId: unit.id,
    visitedOn: '2025-02-01',
    purpose: 'routine' as const,
    visitorIds: [cadre.id],
    residentIds: [head.id],
    householdIds: [household.id],
    notes: n.visitNotes,
  };
  const visit = await visitService.createVisit(db, cliActor, visitInput);
  const twin = await visitService.createVisit(db, cliActor, { ...visitInput, purpose: 'festival' });
  const deletedVisit = await visitService.deleteVisit(db, cliActor, twin.id, twin.version);
  const assistanceInput = {
    orgUnitId: unit.id,
    residentId: head.id,
    kind: 'cash' as const,
    amountFen: 10000,
    fundSource: 'street_budget' as const,
    appliedOn: '2025-02-01',
    description: n.assistanceNote,
  };
  const campaign = await visitCampaignService.createCampaign(db, cliActor, {
    orgUnitId: unit.id,
    festival: 'other',
    name: n.campaign,
    startsOn: '2025-02-01',
    plannedOn: '2025-02-10',
    target: { ethnicityCodes: [], minorityOnly: true, flags: [] },
  });
  const assistance = await assistanceService.createAssistance(db, cliActor, assistanceInput);
  const gone = await assistanceService.createAssistance(db, cliActor, assistanceInput);
  const deletedAssistance = await assistanceService.deleteAssistance(db, cliActor, gone.id, gone.version);

  const where = `of ${unit.name}`;
  const markers = new Map<string, string>();
  const records: [string, Rec | null][] = [
    ['estate', estate],
    ['building', building],
    ['entrance', entrance],
    ['dwelling', dwelling],
    ['deleted venue', deletedVenue],
    ['household', household],
    ['deleted household', deletedHousehold],
    ['head of household', head],
    ['spouse', spouse],
    ['floating resident', floater],
    ['deleted resident', deletedResident],
    ['deleted member unit', deletedUnit],
    ['visit', visit],
    ['deleted visit', deletedVisit],
    ['must-visit task', mustVisit],
    ['pairing', pairing],
    ['assistance record', assistance],
    ['deleted assistance record', deletedAssistance],
    ['festival visit campaign', campaign],
  ];
  for (const [what, rec] of records) if (rec) markers.set(rec.id, `id of the ${what} ${where}`);
  for (const [what, name] of Object.entries(n)) {
    markers.set(name, `name of the ${what.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`)} ${where}`);
  }
  for (const slot of [1, 2, 3, 5])
    markers.set(idNumberOf(index, slot), `raw ID number of a resident ${where}`);
  for (const slot of [0, 1, 2, 3, 4]) markers.set(phoneOf(index, slot), `raw phone ${where}`);
  markers.set(`${tag}原籍地址`, `floating details ${where}`);
  markers.set(`${tag}摊位`, `floating details ${where}`);
  markers.set(cadre.id, `id of the cadre ${where}`);
  markers.set(cadre.username, `cadre ${where}`);

  return {
    tag,
    unit,
    deletedUnit,
    estate,
    building,
    entrance,
    dwelling,
    deletedVenue,
    household,
    deletedHousehold,
    head,
    spouse,
    floater,
    deletedResident,
    headIdNumber: idNumberOf(index, 1),
    headPhone: phoneOf(index, 0),
    visit,
    deletedVisit,
    mustVisit,
    pairing,
    assistance,
    deletedAssistance,
    cadreId: cadre.id,
    campaign,
    photoId: '',
    markers,
  };
}

/** The random-uuid target: the same shape as a seed, none of it in the database. */
function phantomSeed(): UnitSeed {
  const rec = () => ({ id: randomUUID(), version: 1 });
  return {
    tag: '无',
    unit: { id: randomUUID(), version: 1, name: '无此社区', path: '/nowhere/' },
    deletedUnit: { id: randomUUID(), version: 2 },
    estate: rec(),
    building: rec(),
    entrance: rec(),
    dwelling: rec(),
    deletedVenue: { id: randomUUID(), version: 2 },
    household: rec(),
    deletedHousehold: { id: randomUUID(), version: 2 },
    head: rec(),
    spouse: rec(),
    floater: rec(),
    deletedResident: { id: randomUUID(), version: 2 },
    headIdNumber: idNumberOf(99, 1),
    headPhone: phoneOf(99, 0),
    visit: rec(),
    deletedVisit: { id: randomUUID(), version: 2 },
    mustVisit: rec(),
    pairing: rec(),
    assistance: rec(),
    deletedAssistance: { id: randomUUID(), version: 2 },
    cadreId: randomUUID(),
    campaign: rec(),
    photoId: randomUUID(),
    markers: new Map(),
  };
}

// ---------------------------------------------------------------------------------------------
// a dispute and a petition (each also deleted) in every unit, seeded after the registry.

interface CaseworkBSeed {
  dispute: Rec;
  deletedDispute: Rec;
  petition: Rec;
  deletedPetition: Rec;
}
const caseworkB = new Map<string, CaseworkBSeed>();

/** The unit's disputes and petitions; random ids (none in the database) for the phantom target. */
function caseworkBOf(target: UnitSeed): CaseworkBSeed {
  let seed = caseworkB.get(target.unit.id);
  if (!seed) {
    const rec = (version: number) => ({ id: randomUUID(), version });
    seed = { dispute: rec(1), deletedDispute: rec(2), petition: rec(1), deletedPetition: rec(2) };
    caseworkB.set(target.unit.id, seed);
  }
  return seed;
}

async function seedCaseworkB(t: TestDatabase, seed: UnitSeed): Promise<void> {
  const db = t.database.db;
  const { tag, unit } = seed;
  const dispute = (summary: string) =>
    disputeService.recordDispute(db, cliActor, {
      orgUnitId: unit.id,
      intakeDate: '2026-03-01',
      source: 'survey',
      category: 'neighbour',
      isEthnicFactor: false,
      riskLevel: 'low',
      handlingLevel: 'grid',
      summary,
      parties: [{ residentId: seed.head.id }, { name: `${tag}纠纷当事人` }],
    });
  const petition = (subject: string) =>
    petitionService.recordPetition(db, cliActor, {
      orgUnitId: unit.id,
      channel: 'hotline',
      receivedDate: '2026-03-01',
      requesterName: `${tag}来电人`,
      subject,
    });
  const d = await dispute(`${tag}纠纷概况`);
  const gone = await dispute(`${tag}已删纠纷`);
  const p = await petition(`${tag}信访事项`);
  const goneP = await petition(`${tag}已删信访`);
  const records: CaseworkBSeed = {
    dispute: d,
    deletedDispute: await disputeService.deleteDispute(db, cliActor, gone.id, gone.version),
    petition: p,
    deletedPetition: await petitionService.deletePetition(db, cliActor, goneP.id, goneP.version),
  };
  caseworkB.set(unit.id, records);
  const where = `of ${unit.name}`;
  for (const [what, rec] of Object.entries(records)) seed.markers.set(rec.id, `id of the ${what} ${where}`);
  for (const text of ['纠纷概况', '已删纠纷', '纠纷当事人', '信访事项', '已删信访', '来电人'])
    seed.markers.set(`${tag}${text}`, `casework text ${where}`);
}

/** One probe per foreign dispute or petition (live and deleted), reached through the path: 404. */
function onEachCaseworkB(
  kind: 'dispute' | 'petition',
  method: Method,
  url: (rec: Rec) => string,
  options: { payload?: (rec: Rec) => Record<string, unknown>; exists?: boolean } = {},
): ProbeBuilder {
  return ({ target }) => {
    const seed = caseworkBOf(target);
    const recs: [string, Rec][] =
      kind === 'dispute'
        ? [
            ['dispute', seed.dispute],
            ['deleted dispute', seed.deletedDispute],
          ]
        : [
            ['petition', seed.petition],
            ['deleted petition', seed.deletedPetition],
          ];
    return recs.map(([variant, rec]) => ({
      variant,
      method,
      url: url(rec),
      expect: 'notFound' as const,
      ...(options.payload ? { payload: options.payload(rec) } : {}),
      ...(options.exists && !variant.startsWith('deleted') ? { exists: true } : {}),
    }));
  };
}

function caseworkBRecordRoutes(base: string, kind: 'dispute' | 'petition'): Record<string, ProbeBuilder> {
  return {
    [`GET ${base}/:id`]: onEachCaseworkB(kind, 'GET', (r) => `${base}/${r.id}`, { exists: true }),
    [`GET ${base}/:id/history`]: onEachCaseworkB(kind, 'GET', (r) => `${base}/${r.id}/history`),
    [`DELETE ${base}/:id`]: onEachCaseworkB(kind, 'DELETE', (r) => `${base}/${r.id}?version=${r.version}`),
    [`POST ${base}/:id/restore`]: onEachCaseworkB(kind, 'POST', (r) => `${base}/${r.id}/restore`, {
      payload: (r) => ({ version: r.version }),
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// The route table.

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * What a correct answer looks like:
 * - notFound: exactly 404, like a random uuid (a foreign id is reached through the path);
 * - refused: 400, 403 or 404, the same status and code as with a random uuid, and nothing written
 *   (a create or link that names a foreign id in its body);
 * - list: 200 without any foreign record, or the same refusal a random uuid gets;
 * - open: 200 (public and self routes, which carry no registry records).
 * Every answer, whatever its status, must not contain any marker of a foreign record.
 */
type Expectation = 'notFound' | 'refused' | 'list' | 'open';

interface Probe {
  /** Stable across targets: the random-uuid probe of the same route and variant is the control. */
  variant: string;
  method: Method;
  url: string;
  /** A JSON body, or a file sent as the raw body. */
  payload?: Record<string, unknown> | Buffer;
  expect: Expectation;
  /** Sent without the session cookie (login, logout). */
  anonymous?: boolean;
  /** Does not depend on the target (a whole list, a public route): asked once per actor. */
  once?: boolean;
  /** Positive control: the district admin gets 200 for this GET (the foreign record exists). */
  exists?: boolean;
  /** Positive control: the district admin finds this record in the list (the search would hit it). */
  finds?: string | undefined;
}

interface ProbeContext {
  /** The seed of the actor's own unit (for links from an own record to a foreign one). */
  own: UnitSeed;
  target: UnitSeed;
  username: string;
}

type ProbeBuilder = (c: ProbeContext) => Probe[];
type Kind = 'orgUnit' | 'place' | 'household' | 'resident' | 'visit' | 'mustVisit' | 'pairing' | 'assistance';

function recordsOf(t: UnitSeed, kind: Kind): [string, Rec][] {
  switch (kind) {
    case 'orgUnit':
      return t.deletedUnit
        ? [
            ['unit', t.unit],
            ['deleted member unit', t.deletedUnit],
          ]
        : [['unit', t.unit]];
    case 'place':
      // Building and entrance take the same paths as the estate; they are reached as parents below.
      return [
        ['estate', t.estate],
        ['dwelling', t.dwelling],
        ['deleted venue', t.deletedVenue],
      ];
    case 'household':
      return [
        ['household', t.household],
        ['deleted household', t.deletedHousehold],
      ];
    case 'resident':
      return [
        ['head', t.head],
        ['floating resident', t.floater],
        ['deleted resident', t.deletedResident],
      ];
    case 'visit':
      return [
        ['visit', t.visit],
        ['deleted visit', t.deletedVisit],
      ];
    case 'mustVisit':
      return [['must-visit task', t.mustVisit]];
    case 'pairing':
      return [['pairing', t.pairing]];
    case 'assistance':
      return [
        ['assistance record', t.assistance],
        ['deleted assistance record', t.deletedAssistance],
      ];
  }
}

/** One probe per foreign record of `kind`, reached through the path: must be 404. */
function onEachRecord(
  kind: Kind,
  method: Method,
  url: (rec: Rec) => string,
  options: { payload?: (rec: Rec) => Record<string, unknown>; exists?: boolean; variants?: string[] } = {},
): ProbeBuilder {
  return ({ target }) =>
    recordsOf(target, kind).flatMap(([label, rec]) =>
      (options.variants ?? ['']).map((suffix) => ({
        variant: suffix ? `${label}, ${suffix}` : label,
        method,
        url: url(rec),
        expect: 'notFound' as const,
        ...(options.payload
          ? { payload: { ...options.payload(rec), ...(suffix ? { field: suffix } : {}) } }
          : {}),
        ...(options.exists ? { exists: true } : {}),
      })),
    );
}

/** GET /:id, GET /:id/history, DELETE /:id?version= and POST /:id/restore (registerRecordRoutes). */
function recordRoutes(base: string, kind: Kind): Record<string, ProbeBuilder> {
  return {
    [`GET ${base}/:id`]: onEachRecord(kind, 'GET', (r) => `${base}/${r.id}`, { exists: true }),
    [`GET ${base}/:id/history`]: onEachRecord(kind, 'GET', (r) => `${base}/${r.id}/history`),
    [`DELETE ${base}/:id`]: onEachRecord(kind, 'DELETE', (r) => `${base}/${r.id}?version=${r.version}`),
    [`POST ${base}/:id/restore`]: onEachRecord(kind, 'POST', (r) => `${base}/${r.id}/restore`, {
      payload: (r) => ({ version: r.version }),
    }),
  };
}

/** A list or search: must not show a foreign record (`finds` is what it would show if it leaked). */
const list = (variant: string, url: string, finds?: string): Probe => ({
  variant,
  method: 'GET',
  url,
  expect: 'list',
  finds,
});

/** A whole list, the same for every target: asked once per actor. */
const wholeList = (variant: string, url: string): Probe => ({ ...list(variant, url), once: true });

/** A create or a link from an own record that names a foreign id in the body. */
const refused = (variant: string, method: Method, url: string, payload: Record<string, unknown>): Probe => ({
  variant,
  method,
  url,
  payload,
  expect: 'refused',
});

const open =
  (url: string): ProbeBuilder =>
  () => [{ variant: 'no target', method: 'GET', url, expect: 'open', once: true }];

const enc = encodeURIComponent;

/** A small real PNG, for the photo routes. */
const probePhoto = encodePng(4, 4, () => [200, 40, 60]);

/** A user of community B, set once the users exist. */
let foreignUserId = '';

const scopeMatrix: Record<string, ProbeBuilder> = {
  // Public and self routes: no registry records in them, none may appear.
  'GET /api/health': open('/api/health'),
  'GET /api/openapi.json': open('/api/openapi.json'),
  'POST /api/auth/login': ({ username }) => [
    {
      variant: 'own credentials',
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: TEST_PASSWORD },
      expect: 'open',
      anonymous: true,
      once: true,
    },
  ],
  'POST /api/auth/logout': () => [
    {
      variant: 'no session',
      method: 'POST',
      url: '/api/auth/logout',
      expect: 'open',
      anonymous: true,
      once: true,
    },
  ],
  'GET /api/auth/me': open('/api/auth/me'),
  // The caller's own second factor only: a wrong code is refused, starting a binding touches no one else.
  'POST /api/auth/totp/verify': () => [
    { ...refused('wrong code', 'POST', '/api/auth/totp/verify', { code: '000000' }), once: true },
  ],
  'POST /api/auth/totp/enrolment': () => [
    {
      variant: 'own binding',
      method: 'POST',
      url: '/api/auth/totp/enrolment',
      payload: {},
      expect: 'open',
      once: true,
    },
  ],
  'POST /api/auth/totp/enrolment/confirm': () => [
    { ...refused('wrong code', 'POST', '/api/auth/totp/enrolment/confirm', { code: '000000' }), once: true },
  ],
  // The caller's own password only; a wrong current password changes nothing.
  'POST /api/auth/password': () => [
    {
      ...refused('wrong current password', 'POST', '/api/auth/password', {
        currentPassword: 'Not#theirs1',
        newPassword: 'Other#2026pw',
      }),
      once: true,
    },
  ],
  'GET /api/code-lists/ethnic-groups': open('/api/code-lists/ethnic-groups'),
  'GET /api/code-lists/regions': open('/api/code-lists/regions?parent=650000'),

  // Users: only administrators list or create them, and only inside their subtree.
  'GET /api/users': () => [wholeList('all users', '/api/users')],
  // Whom a record may name: users of the caller's subtree, never of the target's.
  'GET /api/users/pickable': ({ target }) => [
    wholeList('all pickable users', '/api/users/pickable'),
    list('orgUnitId=target', `/api/users/pickable?orgUnitId=${target.unit.id}`, target.cadreId),
    list('q=target cadre', `/api/users/pickable?q=${enc(`scope-cadre-`)}`),
  ],
  // Only auditors read the audit log; none of the probed roles is one.
  'GET /api/audit': () => [
    { ...refused('the audit log', 'GET', '/api/audit', {}), payload: undefined, once: true },
  ],
  'GET /api/audit/export': () => [
    { ...refused('the audit log as CSV', 'GET', '/api/audit/export', {}), payload: undefined, once: true },
  ],
  // Retention of records: administrators of the whole tree only; none of the probed roles is one (the
  // system administrator probed holds a street), so every call is refused and no run is made.
  'GET /api/retention/policies': () => [
    { ...refused('retention periods', 'GET', '/api/retention/policies', {}), payload: undefined, once: true },
  ],
  'PUT /api/retention/policies/:recordType': () => [
    {
      ...refused('a retention period', 'PUT', '/api/retention/policies/visit', {
        days: 3650,
        action: 'anonymise',
      }),
      once: true,
    },
  ],
  'POST /api/retention/runs': () => [
    { ...refused('a retention run', 'POST', '/api/retention/runs', { dryRun: false }), once: true },
  ],
  'GET /api/retention/runs': () => [
    { ...refused('retention reports', 'GET', '/api/retention/runs', {}), payload: undefined, once: true },
  ],
  'GET /api/retention/runs/:id': () => [
    {
      ...refused('a retention report', 'GET', `/api/retention/runs/${randomUUID()}`, {}),
      payload: undefined,
      once: true,
    },
  ],
  // A user of another community (foreign to every actor probed): neither disabled nor enabled.
  'POST /api/users/:id/disable': () => [
    refused('user of the sibling community', 'POST', `/api/users/${foreignUserId}/disable`, {}),
  ],
  'POST /api/users/:id/enable': () => [
    refused('user of the sibling community', 'POST', `/api/users/${foreignUserId}/enable`, {}),
  ],
  'PUT /api/users/:id/roles': () => [
    refused('user of the sibling community', 'PUT', `/api/users/${foreignUserId}/roles`, {
      roles: ['viewer'],
    }),
  ],
  'POST /api/users/:id/unlock': () => [
    refused('user of the sibling community', 'POST', `/api/users/${foreignUserId}/unlock`, {}),
  ],
  'POST /api/users': ({ target }) => [
    refused('user in the target unit', 'POST', '/api/users', {
      username: 'scope-probe',
      password: TEST_PASSWORD,
      roles: ['viewer'],
      orgUnitId: target.unit.id,
    }),
  ],

  // Org units.
  'GET /api/org-units': ({ target }) => [
    wholeList('all, with deleted', '/api/org-units?includeDeleted=true&pageSize=200'),
    list(
      'parentId=target, with deleted',
      `/api/org-units?parentId=${target.unit.id}&includeDeleted=true&pageSize=200`,
      target.deletedUnit?.id,
    ),
    list('q=target name', `/api/org-units?q=${enc(target.unit.name)}&pageSize=200`, target.unit.id),
    wholeList('type=unit, with deleted', '/api/org-units?type=unit&includeDeleted=true&pageSize=200'),
  ],
  'POST /api/org-units': ({ target }) => [
    refused('grid under target', 'POST', '/api/org-units', {
      code: 'SCOPE-PROBE',
      name: '越界网格',
      type: 'grid',
      parentId: target.unit.id,
    }),
    refused('member unit under target', 'POST', '/api/org-units', {
      code: 'SCOPE-PROBE',
      name: '越界单位',
      type: 'unit',
      memberUnitKind: 'other',
      parentId: target.unit.id,
    }),
    refused('community under target', 'POST', '/api/org-units', {
      code: 'SCOPE-PROBE',
      name: '越界社区',
      type: 'community',
      parentId: target.unit.id,
    }),
  ],
  'PATCH /api/org-units/:id': onEachRecord('orgUnit', 'PATCH', (r) => `/api/org-units/${r.id}`, {
    payload: (r) => ({ version: r.version, name: '越界改名' }),
  }),
  'GET /api/org-units/:id/ancestors': onEachRecord(
    'orgUnit',
    'GET',
    (r) => `/api/org-units/${r.id}/ancestors`,
  ),
  'GET /api/org-units/:id/statistics': onEachRecord(
    'orgUnit',
    'GET',
    (r) => `/api/org-units/${r.id}/statistics`,
  ),
  'GET /api/reports/basic': onEachRecord('orgUnit', 'GET', (r) => `/api/reports/basic?orgUnitId=${r.id}`),

  // Register exports: every register of a foreign unit, in both formats, answers like a missing
  // unit; the actor's own registers (CSV, so that the body can be searched for markers) hold
  // nothing of another unit.
  'GET /api/exports/:register': (c) => [
    ...registerKinds.flatMap((register) =>
      (['xlsx', 'csv'] as const).flatMap((format) =>
        onEachRecord(
          'orgUnit',
          'GET',
          (r) => `/api/exports/${register}?orgUnitId=${r.id}&format=${format}`,
        )(c).map((probe) => ({ ...probe, variant: `${probe.variant}, ${register}.${format}` })),
      ),
    ),
    ...registerKinds.map((register) => ({
      variant: `own unit, ${register}.csv`,
      method: 'GET' as const,
      url: `/api/exports/${register}?orgUnitId=${c.own.unit.id}&format=csv`,
      expect: 'open' as const,
      once: true,
    })),
  ],
  'GET /api/exports/templates/:register': () =>
    registerKinds.map((register) => ({
      variant: register,
      method: 'GET' as const,
      url: `/api/exports/templates/${register}`,
      expect: 'open' as const,
      once: true,
    })),
  'POST /api/imports/uploads': () => [
    refused('a JSON body instead of a file', 'POST', '/api/imports/uploads?fileName=a.xlsx', {}),
  ],
  'POST /api/imports': onEachRecord('orgUnit', 'POST', () => '/api/imports', {
    payload: (r) => ({ uploadId: '00000000-0000-4000-8000-000000000000', orgUnitId: r.id, dryRun: true }),
  }),
  'GET /api/imports/jobs/:id': () => [
    {
      variant: 'a job that is not the caller’s',
      method: 'GET',
      url: '/api/imports/jobs/00000000-0000-4000-8000-000000000001',
      expect: 'notFound',
    },
  ],
  'GET /api/imports/templates': onEachRecord(
    'orgUnit',
    'GET',
    (r) => `/api/imports/templates?orgUnitId=${r.id}`,
  ),
  'POST /api/imports/templates': onEachRecord('orgUnit', 'POST', () => '/api/imports/templates', {
    payload: (r) => ({
      orgUnitId: r.id,
      name: '越界模板',
      layout: {
        sheet: 'Sheet1',
        register: 'residents',
        headerRows: [1],
        titles: [],
        columns: [{ index: 0, letter: 'A', header: '姓名', field: 'name', matchedBy: 'exact' }],
      },
    }),
  }),
  'DELETE /api/imports/templates/:id': () => [
    {
      variant: 'a template that does not exist',
      method: 'DELETE',
      url: '/api/imports/templates/00000000-0000-4000-8000-000000000002',
      expect: 'notFound',
    },
  ],
  ...recordRoutes('/api/org-units', 'orgUnit'),

  // Places.
  'GET /api/places': ({ target }) => [
    wholeList('all, with deleted', '/api/places?includeDeleted=true&pageSize=200'),
    list('orgUnitId=target', `/api/places?orgUnitId=${target.unit.id}&pageSize=200`, target.estate.id),
    list('parentId=target building', `/api/places?parentId=${target.building.id}`, target.entrance.id),
    list('q=target estate', `/api/places?q=${enc(namesOf(target.tag).estate)}`, target.estate.id),
    list(
      'q=target venue, with deleted',
      `/api/places?q=${enc(namesOf(target.tag).venue)}&includeDeleted=true`,
      target.deletedVenue.id,
    ),
    wholeList('rental dwellings', '/api/places?kind=dwelling&isRental=true&pageSize=200'),
    wholeList('top level', '/api/places?parentId=root&includeDeleted=true&pageSize=200'),
  ],
  'POST /api/places': ({ own, target }) => [
    refused('estate in target unit', 'POST', '/api/places', {
      orgUnitId: target.unit.id,
      kind: 'estate',
      name: '越界花园',
    }),
    refused('own building under target estate', 'POST', '/api/places', {
      orgUnitId: own.unit.id,
      kind: 'building',
      parentId: target.estate.id,
      name: '越界楼',
    }),
    refused('own dwelling under target entrance', 'POST', '/api/places', {
      orgUnitId: own.unit.id,
      kind: 'dwelling',
      parentId: target.entrance.id,
      name: '越界室',
    }),
  ],
  'PATCH /api/places/:id': (c) => [
    ...onEachRecord('place', 'PATCH', (r) => `/api/places/${r.id}`, {
      payload: (r) => ({ version: r.version, name: '越界改名' }),
    })(c),
    refused('own building moved under target estate', 'PATCH', `/api/places/${c.own.building.id}`, {
      version: c.own.building.version,
      parentId: c.target.estate.id,
    }),
  ],
  ...recordRoutes('/api/places', 'place'),

  // Households.
  'GET /api/households': ({ target }) => [
    wholeList('all, with deleted', '/api/households?includeDeleted=true&pageSize=200'),
    list('orgUnitId=target', `/api/households?orgUnitId=${target.unit.id}`, target.household.id),
    list(
      'dwellingId=target dwelling',
      `/api/households?dwellingId=${target.dwelling.id}`,
      target.household.id,
    ),
    list('q=target head name', `/api/households?q=${enc(namesOf(target.tag).head)}`, target.household.id),
    list(
      'q=target household number',
      `/api/households?q=${enc(namesOf(target.tag).household)}`,
      target.household.id,
    ),
  ],
  'POST /api/households': ({ own, target }) => [
    refused('household in target unit', 'POST', '/api/households', {
      orgUnitId: target.unit.id,
      householdNumber: '越界户',
    }),
    refused('own household in target dwelling', 'POST', '/api/households', {
      orgUnitId: own.unit.id,
      dwellingId: target.dwelling.id,
      householdNumber: '越界户',
    }),
  ],
  'PATCH /api/households/:id': (c) => [
    ...onEachRecord('household', 'PATCH', (r) => `/api/households/${r.id}`, {
      payload: (r) => ({ version: r.version, note: '越界' }),
    })(c),
    refused('own household moved to target dwelling', 'PATCH', `/api/households/${c.own.household.id}`, {
      version: c.own.household.version,
      dwellingId: c.target.dwelling.id,
    }),
  ],
  'GET /api/households/:id/members': onEachRecord(
    'household',
    'GET',
    (r) => `/api/households/${r.id}/members`,
  ),
  'POST /api/households/:id/reveal': onEachRecord(
    'household',
    'POST',
    (r) => `/api/households/${r.id}/reveal`,
    { payload: () => ({ reason: '越界核对' }), variants: ['address', 'dwellingAddress'] },
  ),
  ...recordRoutes('/api/households', 'household'),

  // Residents.
  'GET /api/residents': ({ target }) => {
    const n = namesOf(target.tag);
    return [
      wholeList('all, with deleted', '/api/residents?deleted=all&pageSize=200'),
      list('orgUnitId=target', `/api/residents?orgUnitId=${target.unit.id}&pageSize=200`, target.head.id),
      list('q=target head name', `/api/residents?q=${enc(n.head)}`, target.head.id),
      list('q=target head ID number', `/api/residents?q=${target.headIdNumber}`, target.head.id),
      list('q=target head phone', `/api/residents?q=${target.headPhone}`, target.head.id),
      list(
        'q=deleted name, all',
        `/api/residents?q=${enc(n.deletedResident)}&deleted=all`,
        target.deletedResident.id,
      ),
      list(
        'householdId=target household',
        `/api/residents?householdId=${target.household.id}`,
        target.head.id,
      ),
      list(
        'dwellingId=target dwelling',
        `/api/residents?dwellingId=${target.dwelling.id}`,
        target.floater.id,
      ),
      wholeList('floating residents', '/api/residents?residenceType=floating&pageSize=200'),
      wholeList('minority residents', '/api/residents?minority=true&pageSize=200'),
    ];
  },
  'POST /api/residents': ({ own, target }) => {
    const person = { name: '越界居民', gender: 'male', ethnicityCode: '01' };
    return [
      refused('resident in target unit', 'POST', '/api/residents', { ...person, orgUnitId: target.unit.id }),
      refused('own resident in target household', 'POST', '/api/residents', {
        ...person,
        orgUnitId: own.unit.id,
        householdId: target.household.id,
        relationToHead: 'child',
      }),
      refused('own resident in target dwelling', 'POST', '/api/residents', {
        ...person,
        orgUnitId: own.unit.id,
        dwellingId: target.dwelling.id,
      }),
    ];
  },
  'PATCH /api/residents/:id': (c) => {
    const mine = `/api/residents/${c.own.spouse.id}`;
    const version = c.own.spouse.version;
    return [
      ...onEachRecord('resident', 'PATCH', (r) => `/api/residents/${r.id}`, {
        payload: (r) => ({ version: r.version, note: '越界' }),
      })(c),
      refused('own resident moved to target unit', 'PATCH', mine, { version, orgUnitId: c.target.unit.id }),
      refused('own resident into target household', 'PATCH', mine, {
        version,
        householdId: c.target.household.id,
      }),
      refused('own resident into target dwelling', 'PATCH', mine, {
        version,
        dwellingId: c.target.dwelling.id,
      }),
    ];
  },
  'POST /api/residents/:id/reveal': onEachRecord('resident', 'POST', (r) => `/api/residents/${r.id}/reveal`, {
    payload: () => ({ reason: '越界核对' }),
    variants: ['idNumber', 'phone', 'address', 'originAddress'],
  }),
  ...recordRoutes('/api/residents', 'resident'),

  // disputes, petitions and hotline.
  'GET /api/disputes': ({ target }) => [
    wholeList('all, with deleted', '/api/disputes?includeDeleted=true&pageSize=200'),
    list('orgUnitId=target', `/api/disputes?orgUnitId=${target.unit.id}`, caseworkBOf(target).dispute.id),
    list(
      'q=target summary',
      `/api/disputes?q=${enc(`${target.tag}纠纷概况`)}`,
      caseworkBOf(target).dispute.id,
    ),
    list(
      'q=target party',
      `/api/disputes?q=${enc(`${target.tag}纠纷当事人`)}`,
      caseworkBOf(target).dispute.id,
    ),
  ],
  'POST /api/disputes': ({ own, target }) => {
    const dispute = {
      intakeDate: '2026-03-01',
      source: 'report',
      category: 'other',
      riskLevel: 'low',
      handlingLevel: 'grid',
      summary: '越界纠纷',
    };
    return [
      refused('dispute in target unit', 'POST', '/api/disputes', {
        ...dispute,
        orgUnitId: target.unit.id,
        parties: [{ name: '越界' }],
      }),
      refused('own dispute with the target head as a party', 'POST', '/api/disputes', {
        ...dispute,
        orgUnitId: own.unit.id,
        parties: [{ residentId: target.head.id }],
      }),
    ];
  },
  'PATCH /api/disputes/:id': (c) => [
    ...onEachCaseworkB('dispute', 'PATCH', (r) => `/api/disputes/${r.id}`, {
      payload: (r) => ({ version: r.version, summary: '越界' }),
    })(c),
    refused(
      'own dispute with the target head as a party',
      'PATCH',
      `/api/disputes/${caseworkBOf(c.own).dispute.id}`,
      {
        version: caseworkBOf(c.own).dispute.version,
        parties: [{ residentId: c.target.head.id }],
      },
    ),
  ],
  'POST /api/disputes/:id/steps': onEachCaseworkB('dispute', 'POST', (r) => `/api/disputes/${r.id}/steps`, {
    payload: (r) => ({ version: r.version, stepDate: '2026-03-02', notes: '越界' }),
  }),
  ...caseworkBRecordRoutes('/api/disputes', 'dispute'),
  'GET /api/disputes/export': (c) => [
    ...onEachRecord('orgUnit', 'GET', (r) => `/api/disputes/export?orgUnitId=${r.id}&format=csv`)(c),
    {
      variant: 'own unit',
      method: 'GET',
      url: `/api/disputes/export?orgUnitId=${c.own.unit.id}&format=csv`,
      expect: 'open',
      once: true,
    },
  ],
  'GET /api/petitions/export': (c) => [
    ...onEachRecord('orgUnit', 'GET', (r) => `/api/petitions/export?orgUnitId=${r.id}&format=csv`)(c),
    {
      variant: 'own unit',
      method: 'GET',
      url: `/api/petitions/export?orgUnitId=${c.own.unit.id}&format=csv`,
      expect: 'open',
      once: true,
    },
  ],
  'GET /api/org-units/:id/dispute-petition-statistics': onEachRecord(
    'orgUnit',
    'GET',
    (r) => `/api/org-units/${r.id}/dispute-petition-statistics`,
  ),
  'GET /api/petitions': ({ target }) => [
    wholeList('all, with deleted', '/api/petitions?includeDeleted=true&pageSize=200'),
    wholeList('overdue hotline calls', '/api/petitions?overdue=true&hotline=true&pageSize=200'),
    list('orgUnitId=target', `/api/petitions?orgUnitId=${target.unit.id}`, caseworkBOf(target).petition.id),
    list(
      'q=target subject',
      `/api/petitions?q=${enc(`${target.tag}信访事项`)}`,
      caseworkBOf(target).petition.id,
    ),
  ],
  'GET /api/petitions/sla': onEachRecord('orgUnit', 'GET', (r) => `/api/petitions/sla?orgUnitId=${r.id}`),
  'POST /api/petitions/sla': ({ target }) => [
    refused('SLA of the target unit', 'POST', '/api/petitions/sla', {
      orgUnitId: target.unit.id,
      channel: 'visit',
      days: 9,
    }),
  ],
  'POST /api/petitions': ({ own, target }) => {
    const petition = { channel: 'letter', receivedDate: '2026-03-01', subject: '越界信访' };
    return [
      refused('petition in target unit', 'POST', '/api/petitions', {
        ...petition,
        orgUnitId: target.unit.id,
      }),
      refused('own petition from the target head', 'POST', '/api/petitions', {
        ...petition,
        orgUnitId: own.unit.id,
        requesterResidentId: target.head.id,
      }),
      refused('own petition assigned to a user of the sibling community', 'POST', '/api/petitions', {
        ...petition,
        orgUnitId: own.unit.id,
        assigneeId: foreignUserId,
      }),
    ];
  },
  'PATCH /api/petitions/:id': onEachCaseworkB('petition', 'PATCH', (r) => `/api/petitions/${r.id}`, {
    payload: (r) => ({ version: r.version, subject: '越界' }),
  }),
  'POST /api/petitions/:id/status': onEachCaseworkB(
    'petition',
    'POST',
    (r) => `/api/petitions/${r.id}/status`,
    {
      payload: (r) => ({ version: r.version, status: 'handling' }),
    },
  ),
  ...caseworkBRecordRoutes('/api/petitions', 'petition'),
  // Casework: visits and must-visits, pairing, assistance.
  'GET /api/casework/statistics': onEachRecord(
    'orgUnit',
    'GET',
    (r) => `/api/casework/statistics?orgUnitId=${r.id}`,
  ),
  'GET /api/visits': ({ target }) => [
    wholeList('all, with deleted', '/api/visits?includeDeleted=true&pageSize=200'),
    list('orgUnitId=target', `/api/visits?orgUnitId=${target.unit.id}`, target.visit.id),
    list('residentId=target head', `/api/visits?residentId=${target.head.id}`, target.visit.id),
    list('householdId=target household', `/api/visits?householdId=${target.household.id}`, target.visit.id),
    list('q=target notes', `/api/visits?q=${enc(namesOf(target.tag).visitNotes)}`, target.visit.id),
    list('q=target head name', `/api/visits?q=${enc(namesOf(target.tag).head)}`, target.visit.id),
  ],
  'GET /api/visits/export': (c) => [
    ...onEachRecord('orgUnit', 'GET', (r) => `/api/visits/export?orgUnitId=${r.id}&format=csv`)(c),
    {
      variant: 'own unit, csv',
      method: 'GET' as const,
      url: `/api/visits/export?orgUnitId=${c.own.unit.id}&format=csv`,
      expect: 'open' as const,
      once: true,
    },
  ],
  'GET /api/assistance/export': (c) => [
    ...onEachRecord('orgUnit', 'GET', (r) => `/api/assistance/export?orgUnitId=${r.id}&format=xlsx`)(c),
    {
      variant: 'own unit, csv',
      method: 'GET' as const,
      url: `/api/assistance/export?orgUnitId=${c.own.unit.id}&format=csv`,
      expect: 'open' as const,
      once: true,
    },
  ],
  'POST /api/visits': ({ own, target }) => [
    refused('visit in target unit', 'POST', '/api/visits', {
      orgUnitId: target.unit.id,
      visitedOn: '2025-02-01',
      purpose: 'routine',
    }),
    refused('own visit to target head', 'POST', '/api/visits', {
      orgUnitId: own.unit.id,
      visitedOn: '2025-02-01',
      purpose: 'routine',
      residentIds: [target.head.id],
    }),
    refused('own visit to target household', 'POST', '/api/visits', {
      orgUnitId: own.unit.id,
      visitedOn: '2025-02-01',
      purpose: 'routine',
      householdIds: [target.household.id],
    }),
    refused('own visit by target cadre', 'POST', '/api/visits', {
      orgUnitId: own.unit.id,
      visitedOn: '2025-02-01',
      purpose: 'routine',
      visitorIds: [target.cadreId],
    }),
  ],
  'PATCH /api/visits/:id': (c) => [
    ...onEachRecord('visit', 'PATCH', (r) => `/api/visits/${r.id}`, {
      payload: (r) => ({ version: r.version, notes: '越界' }),
    })(c),
    refused('own visit to target head', 'PATCH', `/api/visits/${c.own.visit.id}`, {
      version: c.own.visit.version,
      residentIds: [c.target.head.id],
    }),
  ],
  ...recordRoutes('/api/visits', 'visit'),
  // Photos of a visit: a foreign visit takes none, and its photo is out of reach, even through an own visit.
  'POST /api/visits/:id/photos': ({ target }) =>
    recordsOf(target, 'visit').map(([variant, rec]) => ({
      variant,
      method: 'POST' as const,
      url: `/api/visits/${rec.id}/photos?fileName=a.png`,
      payload: probePhoto,
      expect: 'notFound' as const,
    })),
  'GET /api/visits/:id/photos/:photoId': ({ own, target }) => [
    {
      variant: 'photo of the visit',
      method: 'GET',
      url: `/api/visits/${target.visit.id}/photos/${target.photoId}`,
      expect: 'notFound',
      exists: true,
    },
    {
      variant: 'photo through an own visit',
      method: 'GET',
      url: `/api/visits/${own.visit.id}/photos/${target.photoId}`,
      expect: 'notFound',
    },
  ],
  'DELETE /api/visits/:id/photos/:photoId': ({ own, target }) => [
    {
      variant: 'photo of the visit',
      method: 'DELETE',
      url: `/api/visits/${target.visit.id}/photos/${target.photoId}`,
      expect: 'notFound',
    },
    {
      variant: 'photo through an own visit',
      method: 'DELETE',
      url: `/api/visits/${own.visit.id}/photos/${target.photoId}`,
      // A read-only user is refused the removal of any photo of his own visit, found or not.
      expect: 'refused',
    },
  ],
  // Festival visit campaigns and their planned visits.
  'GET /api/visit-campaigns': ({ target }) => [
    wholeList('all', '/api/visit-campaigns?pageSize=200'),
    list('orgUnitId=target', `/api/visit-campaigns?orgUnitId=${target.unit.id}`, target.campaign.id),
    wholeList('festival and year', '/api/visit-campaigns?festival=other&year=2025&pageSize=200'),
  ],
  'GET /api/visit-campaigns/preview': onEachRecord(
    'orgUnit',
    'GET',
    (r) => `/api/visit-campaigns/preview?orgUnitId=${r.id}&plannedOn=2025-02-10&minorityOnly=true`,
  ),
  'POST /api/visit-campaigns': ({ target }) => [
    refused('campaign for the target unit', 'POST', '/api/visit-campaigns', {
      orgUnitId: target.unit.id,
      festival: 'spring_festival',
      startsOn: '2025-01-01',
      plannedOn: '2025-01-20',
      target: { ethnicityCodes: [], minorityOnly: false, flags: [] },
    }),
  ],
  'GET /api/visit-campaigns/:id': ({ target }) => [
    {
      variant: 'campaign',
      method: 'GET',
      url: `/api/visit-campaigns/${target.campaign.id}`,
      expect: 'notFound',
      exists: true,
    },
  ],
  'POST /api/visit-campaigns/:id/replan': ({ target }) => [
    {
      variant: 'campaign',
      method: 'POST',
      url: `/api/visit-campaigns/${target.campaign.id}/replan`,
      payload: {},
      expect: 'notFound',
    },
  ],
  'GET /api/planned-visits': ({ target }) => [
    wholeList('all', '/api/planned-visits?pageSize=200'),
    list('campaignId=target campaign', `/api/planned-visits?campaignId=${target.campaign.id}&pageSize=200`),
    list('orgUnitId=target', `/api/planned-visits?orgUnitId=${target.unit.id}`),
    list('assigneeId=target cadre', `/api/planned-visits?assigneeId=${target.cadreId}`),
    wholeList('overdue', '/api/planned-visits?state=overdue&pageSize=200'),
  ],
  'GET /api/must-visits': ({ target }) => [
    wholeList('all, with deleted', '/api/must-visits?includeDeleted=true&pageSize=200'),
    list('orgUnitId=target', `/api/must-visits?orgUnitId=${target.unit.id}`, target.mustVisit.id),
    list('residentId=target head', `/api/must-visits?residentId=${target.head.id}`, target.mustVisit.id),
    list('assigneeId=target cadre', `/api/must-visits?assigneeId=${target.cadreId}`, target.mustVisit.id),
    list('q=target head name', `/api/must-visits?q=${enc(namesOf(target.tag).head)}`, target.mustVisit.id),
    wholeList('overdue', '/api/must-visits?state=overdue&pageSize=200'),
  ],
  'GET /api/must-visits/overdue': ({ target }) => [
    wholeList('by assignee', '/api/must-visits/overdue?by=assignee'),
    wholeList('by org unit', '/api/must-visits/overdue?by=orgUnit'),
    list('target unit', `/api/must-visits/overdue?by=assignee&orgUnitId=${target.unit.id}`),
  ],
  'POST /api/must-visits': ({ target }) => [
    refused('event for target head', 'POST', '/api/must-visits', {
      residentId: target.head.id,
      kind: 'dispute',
      eventOn: '2025-03-01',
    }),
  ],
  'GET /api/must-visits/rules': onEachRecord(
    'orgUnit',
    'GET',
    (r) => `/api/must-visits/rules?orgUnitId=${r.id}`,
  ),
  'POST /api/must-visits/rules': onEachRecord('orgUnit', 'POST', () => '/api/must-visits/rules', {
    payload: (r) => ({ orgUnitId: r.id, kind: 'dispute', dueDays: 1 }),
  }),
  ...recordRoutes('/api/must-visits', 'mustVisit'),
  'GET /api/pairings': ({ target }) => [
    wholeList('all, with deleted', '/api/pairings?includeDeleted=true&pageSize=200'),
    list('orgUnitId=target', `/api/pairings?orgUnitId=${target.unit.id}`, target.pairing.id),
    list(
      'householdId=target household',
      `/api/pairings?householdId=${target.household.id}`,
      target.pairing.id,
    ),
    list('cadreId=target cadre', `/api/pairings?cadreId=${target.cadreId}`, target.pairing.id),
    list(
      'q=target household number',
      `/api/pairings?q=${enc(namesOf(target.tag).household)}`,
      target.pairing.id,
    ),
    wholeList('due for contact', '/api/pairings?contactDueBy=2026-01-01&pageSize=200'),
  ],
  'POST /api/pairings': ({ own, target }) => [
    refused('pairing with target household', 'POST', '/api/pairings', {
      householdId: target.household.id,
      cadreId: own.cadreId,
      startedOn: '2020-01-01',
      endedOn: '2020-12-31',
      frequencyDays: 30,
    }),
    refused('own household with target cadre', 'POST', '/api/pairings', {
      householdId: own.household.id,
      cadreId: target.cadreId,
      startedOn: '2020-01-01',
      endedOn: '2020-12-31',
      frequencyDays: 30,
    }),
  ],
  'PATCH /api/pairings/:id': onEachRecord('pairing', 'PATCH', (r) => `/api/pairings/${r.id}`, {
    payload: (r) => ({ version: r.version, note: '越界' }),
  }),
  ...recordRoutes('/api/pairings', 'pairing'),
  'GET /api/assistance': ({ target }) => [
    wholeList('all, with deleted', '/api/assistance?includeDeleted=true&pageSize=200'),
    list('orgUnitId=target', `/api/assistance?orgUnitId=${target.unit.id}`, target.assistance.id),
    list('residentId=target head', `/api/assistance?residentId=${target.head.id}`, target.assistance.id),
    list(
      'q=target note',
      `/api/assistance?q=${enc(namesOf(target.tag).assistanceNote)}`,
      target.assistance.id,
    ),
  ],
  'GET /api/assistance/totals': ({ target }) => [
    { ...wholeList('all', '/api/assistance/totals'), expect: 'open' },
    list('orgUnitId=target', `/api/assistance/totals?orgUnitId=${target.unit.id}`),
  ],
  'POST /api/assistance': ({ own, target }) => [
    refused('assistance in target unit', 'POST', '/api/assistance', {
      orgUnitId: target.unit.id,
      residentId: own.head.id,
      kind: 'cash',
      amountFen: 100,
      fundSource: 'other',
      appliedOn: '2025-02-01',
    }),
    refused('own assistance for target head', 'POST', '/api/assistance', {
      orgUnitId: own.unit.id,
      residentId: target.head.id,
      kind: 'cash',
      amountFen: 100,
      fundSource: 'other',
      appliedOn: '2025-02-01',
    }),
  ],
  'PATCH /api/assistance/:id': onEachRecord('assistance', 'PATCH', (r) => `/api/assistance/${r.id}`, {
    payload: (r) => ({ version: r.version, description: '越界' }),
  }),
  'POST /api/assistance/:id/decision': onEachRecord(
    'assistance',
    'POST',
    (r) => `/api/assistance/${r.id}/decision`,
    {
      payload: (r) => ({ version: r.version, decision: 'approved', decidedOn: '2025-03-01' }),
    },
  ),
  ...recordRoutes('/api/assistance', 'assistance'),
};

// ---------------------------------------------------------------------------------------------
// The routes the app really has.

/** The documented routes (OpenAPI), in Fastify's `:param` form. */
function documentedRoutes(app: TestApp): string[] {
  const { paths } = app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(paths).flatMap(([path, operations]) =>
    Object.keys(operations)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'].includes(m))
      .map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
  );
}

// ---------------------------------------------------------------------------------------------
// Running the matrix.

interface ActorCase {
  who: string;
  role: Role;
  unit: OrgUnit;
  username: string;
  cookie: string;
  own: UnitSeed;
  /** The random-uuid target first: its answers are the controls for the others. */
  targets: { label: string; seed: UnitSeed }[];
  /** What of other units this actor must never see, with what it is. */
  markers: Map<string, string>;
  pattern: RegExp;
  /** The markers without those of staff accounts (see `accountRules`). */
  patternWithoutAccounts: RegExp;
}

/**
 * Which wall the matrix tests: both (the application's scope filter, and on PostgreSQL row-level
 * security), or row-level security alone, with the application's filter off.
 */
type Walls = 'both' | 'rowSecurityOnly';

/**
 * The application's own rules on staff accounts. The database lets any signed-in session read
 * accounts (their names show on records across the tree: who visited, who decided, the paired
 * cadre; see the app_user policies of db/migrations/2026_12_01_0900_row_level_security.ts), so with
 * the application's filter off these probes are not the database's to refuse and are not sent, and
 * account names and ids are not counted as leaks. Writes to accounts stay in the matrix.
 */
const accountRules = [
  /^GET \/api\/users\b/,
  /^POST \/api\/visits \[own visit by target cadre\]$/,
  /^POST \/api\/pairings \[own household with target cadre\]$/,
];
const isAccountMarker = (description: string) => /^(id of the cadre |cadre |user )/.test(description);

interface Answer {
  status: number;
  code: string | undefined;
  body: string;
  json: unknown;
}

let t: TestDatabase;
let app: TestApp;
let tree: TestTree;
let seeds: Map<string, UnitSeed>;
let cases: ActorCase[];
let admin: { cookie: string };

async function send(method: Method | 'HEAD', url: string, cookie: string | null, payload?: object) {
  // A Buffer is a file sent as the raw body (a visit's photo).
  const raw = Buffer.isBuffer(payload);
  const response = await app.inject({
    method,
    url,
    headers: {
      ...(cookie ? { cookie } : {}),
      ...(raw ? { 'content-type': 'application/octet-stream' } : {}),
    },
    ...(payload === undefined ? {} : { payload }),
  });
  let json: unknown;
  try {
    json = response.body ? JSON.parse(response.body) : undefined;
  } catch {
    json = undefined;
  }
  const code = (json as { error?: { code?: string } } | undefined)?.error?.code;
  return { status: response.statusCode, code, body: response.body, json } satisfies Answer;
}

function itemsOf(json: unknown): { id: string }[] {
  if (Array.isArray(json)) return json as { id: string }[];
  return ((json as { items?: { id: string }[] } | undefined)?.items ?? []) as { id: string }[];
}

/** One pattern that finds any of these strings, the longest first. */
function patternOf(strings: string[]): RegExp {
  return new RegExp(
    strings
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|'),
    'g',
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What is wrong with one answer; empty when it is as the expectation says. */
function judge(
  actor: ActorCase,
  probe: Probe,
  answer: Answer,
  control: Answer | undefined,
  walls: Walls,
): string[] {
  const problems: string[] = [];
  const got = `${answer.status}${answer.code ? ` ${answer.code}` : ''}`;
  if (answer.status === 401 && !probe.anonymous) problems.push(`answered 401: the probe was not signed in`);
  if (answer.status >= 500) problems.push(`failed with ${got}`);
  const pattern = walls === 'both' ? actor.pattern : actor.patternWithoutAccounts;
  const found = [...new Set(answer.body.match(pattern) ?? [])];
  if (found.length > 0) {
    // Names before ids: they say best what leaked.
    const [first] = found.sort(
      (a, b) => Number(/^[0-9a-f-]{36}$/.test(a)) - Number(/^[0-9a-f-]{36}$/.test(b)),
    );
    const others = found.length > 1 ? ` and ${found.length - 1} more foreign markers` : '';
    problems.push(`answer contains ${actor.markers.get(first!)} (${first})${others}`);
  }
  switch (probe.expect) {
    case 'notFound':
      if (answer.status !== 404) problems.push(`answered ${got} (expected 404)`);
      break;
    case 'refused':
      if (![400, 403, 404].includes(answer.status)) problems.push(`answered ${got} (expected 400/403/404)`);
      break;
    case 'list':
      if (answer.status === 200) {
        const items = itemsOf(answer.json);
        for (const item of items) {
          const marker = actor.markers.get(item.id);
          if (marker && !(walls === 'rowSecurityOnly' && isAccountMarker(marker)))
            problems.push(`lists ${marker}`);
        }
        const total = (answer.json as { total?: number }).total;
        if (total !== undefined && items.length < 200 && total !== items.length) {
          problems.push(`total is ${total} but ${items.length} items are listed`);
        }
      } else if (![403, 404].includes(answer.status)) {
        problems.push(`answered ${got} (expected 200 without foreign records, or 403/404)`);
      }
      break;
    case 'open':
      if (answer.status !== 200) problems.push(`answered ${got} (expected 200)`);
      break;
  }
  if (
    probe.expect !== 'open' &&
    control &&
    (control.status !== answer.status || control.code !== answer.code)
  ) {
    const expected = `${control.status}${control.code ? ` ${control.code}` : ''}`;
    problems.push(`answered ${got} where a random uuid gets ${expected}: it tells the record exists`);
  }
  return problems;
}

interface MatrixResult {
  attempts: number;
  /** Probes of `accountRules` not sent (row security alone). */
  accountProbes: number;
  failures: string[];
}

/**
 * Sends every probe of the table at one target. The random-uuid target goes first and records its
 * answers as the controls; the real targets are judged against them.
 */
async function runTarget(
  actor: ActorCase,
  { label, seed }: ActorCase['targets'][number],
  controls: Map<string, Answer>,
  isControl: boolean,
  result: MatrixResult,
  walls: Walls,
): Promise<void> {
  for (const [route, build] of Object.entries(scopeMatrix)) {
    let headSent = false;
    for (const probe of build({ own: actor.own, target: seed, username: actor.username })) {
      if (probe.once && !isControl) continue;
      const key = `${route} [${probe.variant}]`;
      if (walls === 'rowSecurityOnly' && accountRules.some((rule) => rule.test(key))) {
        result.accountProbes += 1;
        continue;
      }
      const cookie = probe.anonymous ? null : actor.cookie;
      const answer = await send(probe.method, probe.url, cookie, probe.payload);
      result.attempts += 1;
      if (isControl) controls.set(key, answer);
      const problems = judge(actor, probe, answer, isControl ? undefined : controls.get(key), walls);
      // Fastify's HEAD mirror of a GET route runs the same handler: one HEAD per route and target.
      if (probe.method === 'GET' && !headSent) {
        headSent = true;
        const head = await send('HEAD', probe.url, cookie);
        result.attempts += 1;
        if (head.status !== answer.status)
          problems.push(`HEAD answered ${head.status}, GET ${answer.status}`);
      }
      const where = probe.once ? 'whole list' : label;
      if (problems.length > 0) result.failures.push(`${actor.who} → ${where}: ${key} ${problems.join('; ')}`);
    }
  }
}

async function runActor(actor: ActorCase, walls: Walls): Promise<MatrixResult> {
  const result: MatrixResult = { attempts: 0, accountProbes: 0, failures: [] };
  const controls = new Map<string, Answer>();
  const [control, ...targets] = actor.targets;
  await runTarget(actor, control!, controls, true, result, walls);
  await Promise.all(targets.map((target) => runTarget(actor, target, controls, false, result, walls)));
  return result;
}

/** Everything in the tree as the district administrator sees it: equal before and after means nothing was written. */
async function snapshotAll(): Promise<unknown[]> {
  const urls = [
    '/api/org-units?includeDeleted=true&pageSize=200',
    '/api/places?includeDeleted=true&pageSize=200',
    '/api/households?includeDeleted=true&pageSize=200',
    '/api/residents?deleted=all&pageSize=200',
    '/api/users',
    '/api/disputes?includeDeleted=true&pageSize=200',
    '/api/petitions?includeDeleted=true&pageSize=200',
    '/api/visits?includeDeleted=true&pageSize=200',
    '/api/must-visits?includeDeleted=true&pageSize=200',
    '/api/must-visits/rules?orgUnitId=' + tree.district.id,
    '/api/pairings?includeDeleted=true&pageSize=200',
    '/api/assistance?includeDeleted=true&pageSize=200',
    '/api/visit-campaigns?pageSize=200',
    '/api/planned-visits?pageSize=200',
  ];
  const answers = await Promise.all(urls.map((url) => send('GET', url, admin.cookie)));
  for (const answer of answers) expect(answer.status).toBe(200);
  return answers.map((a) => a.json);
}

/** The registry figures seeded inside a subtree. */
function seededFigures(path: string) {
  const inside = [...seeds.values()].filter((s) => s.unit.path.startsWith(path));
  const n = inside.length;
  const grids = Object.values(tree).filter((u) => u.type === 'grid' && u.path.startsWith(path)).length;
  return {
    residents: 3 * n,
    households: n,
    minorityResidents: 2 * n,
    floatingResidents: n,
    interEthnicCouples: n,
    byEthnicity: n === 0 ? {} : { '01': n, '03': n, '05': n },
    grids,
    memberUnits: 0,
    buildings: n,
    entrances: n,
    dwellings: n,
    rentalDwellings: n,
  };
}

beforeAll(async () => {
  t = await createTestDatabase();
  app = await buildTestApp(t.database);
  tree = await buildTestTree(t.database, 'SC');

  // One seed per unit that can hold records, gridB2 stays empty; tags are one character each so
  // that no unit's names are part of another's.
  const units: [OrgUnit, string][] = [
    [tree.district, '区'],
    [tree.street, '街'],
    [tree.communityA, '甲'],
    [tree.gridA1, '子'],
    [tree.gridA2, '丑'],
    [tree.communityB, '乙'],
    [tree.gridB1, '寅'],
    [tree.otherStreet, '巷'],
    [tree.otherCommunity, '丙'],
  ];
  seeds = new Map();
  for (const [index, [unit, tag]] of units.entries())
    seeds.set(unit.id, await seedUnit(t, unit, tag, index + 1));
  for (const seed of seeds.values()) await seedCaseworkB(t, seed);

  const users: { username: string; role: Role; unit: OrgUnit }[] = [
    { username: 'scope-cw-a', role: 'community_worker', unit: tree.communityA },
    { username: 'scope-grid-a1', role: 'grid_worker', unit: tree.gridA1 },
    { username: 'scope-viewer-a', role: 'viewer', unit: tree.communityA },
    { username: 'scope-street-s2', role: 'street_officer', unit: tree.otherStreet },
    { username: 'scope-admin-s2', role: 'system_admin', unit: tree.otherStreet },
    // Users elsewhere, so that the user list has something to leak.
    { username: 'scope-cw-b', role: 'community_worker', unit: tree.communityB },
    { username: 'scope-officer-s', role: 'street_officer', unit: tree.street },
  ];
  const cookies = new Map<string, string>();
  for (const u of users) {
    cookies.set(u.username, (await loginAs(app, t.database, u.username, u.role, u.unit.id)).cookie);
  }
  admin = await loginAs(app, t.database, 'scope-admin-d', 'system_admin', tree.district.id);
  foreignUserId = (
    await t.database.db
      .selectFrom('appUser')
      .select('id')
      .where('username', '=', 'scope-cw-b')
      .executeTakeFirstOrThrow()
  ).id;
  users.push({ username: 'scope-admin-d', role: 'system_admin', unit: tree.district });
  for (const seed of seeds.values()) {
    const photo = await send(
      'POST',
      `/api/visits/${seed.visit.id}/photos?fileName=p.png`,
      admin.cookie,
      probePhoto,
    );
    expect(photo.status).toBe(201);
    seed.photoId = (photo.json as { id: string }).id;
    seed.visit = { id: seed.visit.id, version: seed.visit.version + 1 };
    seed.markers.set(seed.photoId, `id of the photo of the visit of ${seed.unit.name}`);
  }

  const seedOf = (unit: OrgUnit) => seeds.get(unit.id)!;
  const phantom = phantomSeed();
  const targetsOf: Record<string, [string, OrgUnit][]> = {
    communityA: [
      ['grid of the sibling community', tree.gridB1],
      ['sibling community', tree.communityB],
      ['community of another street', tree.otherCommunity],
      ['parent street', tree.street],
    ],
    gridA1: [
      ['sibling grid', tree.gridA2],
      ['sibling community', tree.communityB],
      ['community of another street', tree.otherCommunity],
      ['parent community', tree.communityA],
    ],
    otherStreet: [
      ['grid under the sibling street', tree.gridB1],
      ['community under the sibling street', tree.communityB],
      ['sibling street', tree.street],
      ['parent district', tree.district],
    ],
  };
  const treeKey = (unit: OrgUnit) => Object.entries(tree).find(([, u]) => u.id === unit.id)![0];

  cases = users.slice(0, 5).map((u) => {
    const markers = new Map<string, string>();
    for (const seed of seeds.values()) {
      if (!seed.unit.path.startsWith(u.unit.path)) for (const [k, v] of seed.markers) markers.set(k, v);
    }
    for (const unit of Object.values(tree)) {
      const visible = unit.path.startsWith(u.unit.path) || u.unit.path.startsWith(unit.path);
      if (!visible) {
        markers.set(unit.id, `id of the org unit ${unit.name}`);
        markers.set(unit.name, `name of the org unit ${unit.name}`);
      }
    }
    for (const other of users) {
      if (!other.unit.path.startsWith(u.unit.path)) markers.set(other.username, `user ${other.username}`);
    }
    return {
      who: `${u.role}@${u.unit.name}`,
      role: u.role,
      unit: u.unit,
      username: u.username,
      cookie: cookies.get(u.username)!,
      own: seedOf(u.unit),
      targets: [
        { label: 'random uuid', seed: phantom },
        ...targetsOf[treeKey(u.unit)]!.map(([label, unit]) => ({
          label: `${unit.name} (${label})`,
          seed: seedOf(unit),
        })),
      ],
      markers,
      pattern: patternOf([...markers.keys()]),
      patternWithoutAccounts: patternOf(
        [...markers].filter(([, description]) => !isAccountMarker(description)).map(([k]) => k),
      ),
    };
  });
});

afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

/**
 * Runs the whole matrix: sanity and positive controls, then every probe of every actor, checking
 * that nothing leaked and nothing was written; prints the count of attempts after `label`.
 */
async function runMatrix(label: string, walls: Walls): Promise<void> {
  // Sanity: each actor is signed in and sees its own records, so the matrix cannot pass vacuously.
  for (const actor of cases) {
    const own = actor.own;
    const checks: [string, string][] = [
      [`/api/residents/${own.head.id}`, own.head.id],
      [`/api/residents?pageSize=200`, own.head.id],
      [`/api/households?pageSize=200`, own.household.id],
      [`/api/places?pageSize=200`, own.dwelling.id],
      [`/api/org-units?pageSize=200`, actor.unit.id],
    ];
    for (const [url, id] of checks) {
      const answer = await send('GET', url, actor.cookie);
      expect(answer.status, `${actor.who} GET ${url}`).toBe(200);
      expect(answer.body, `${actor.who} GET ${url}`).toContain(id);
    }
  }

  // Positive control, before anything could be changed: the district administrator reaches every
  // foreign record the matrix names, and every search finds what it aims at, so each 404 and
  // each empty list of the matrix means something.
  const controlFailures: string[] = [];
  const seen = new Set<string>();
  for (const actor of cases) {
    for (const { seed } of actor.targets.slice(1)) {
      for (const build of Object.values(scopeMatrix)) {
        for (const probe of build({ own: actor.own, target: seed, username: actor.username })) {
          if (seen.has(probe.url) || !(probe.exists || probe.finds)) continue;
          seen.add(probe.url);
          const answer = await send('GET', probe.url, admin.cookie);
          if (probe.exists && answer.status !== 200) {
            controlFailures.push(`district admin GET ${probe.url} answered ${answer.status}`);
          }
          if (probe.finds && !itemsOf(answer.json).some((item) => item.id === probe.finds)) {
            controlFailures.push(`district admin GET ${probe.url} does not list ${probe.finds}`);
          }
        }
      }
    }
  }
  expect(controlFailures, 'positive control').toEqual([]);

  const before = await snapshotAll();
  const results = await Promise.all(cases.map((actor) => runActor(actor, walls)));
  const after = await snapshotAll();

  const attempts = results.reduce((sum, r) => sum + r.attempts, 0);
  const accountProbes = results.reduce((sum, r) => sum + r.accountProbes, 0);
  const leftToApp = accountProbes > 0 ? ` (${accountProbes} probes of account rules left to the app)` : '';
  const failures = results.flatMap((r) => r.failures).sort();
  const routeCount = Object.keys(scopeMatrix).length;
  const headCount = registeredRoutes(app).filter((r) => r.startsWith('HEAD ')).length;
  console.log(
    `scope matrix${label}: ${routeCount} routes (+ ${headCount} HEAD) × ${cases.length} roles × ${cases[0]!.targets.length} targets = ${attempts} attempts${leftToApp}, ${failures.length} leaks`,
  );

  const shown = failures.slice(0, 60).join('\n');
  const more = failures.length > 60 ? `\n… and ${failures.length - 60} more` : '';
  expect(failures.length, `leaks:\n${shown}${more}`).toBe(0);
  expect(after, 'a refused request wrote something').toEqual(before);
  // Thousands of requests: every route × role × target, and more with each module.
}

describe('org scope of every route', () => {
  it('has every registered route in the scope matrix', () => {
    const routes = registeredRoutes(app);
    for (const route of routes) {
      const [method, url] = route.split(' ') as [HTTPMethods, string];
      expect(app.hasRoute({ method, url }), `${route} read from the route tree`).toBe(true);
    }
    // The tree reading is checked against the OpenAPI document too (it lacks only hidden routes).
    expect(routes).toEqual(expect.arrayContaining(documentedRoutes(app)));
    expect(routes).toEqual(expect.arrayContaining(['GET /api/health', 'GET /api/openapi.json']));

    // HEAD routes are Fastify's mirrors of GET routes; the matrix sends HEAD beside every GET.
    const covered = (route: string) =>
      route.startsWith('HEAD ') ? `GET ${route.slice(5)}` in scopeMatrix : route in scopeMatrix;
    const missing = routes
      .filter((r) => !covered(r))
      .map((r) => `route ${r} is missing from the scope matrix`);
    const stale = Object.keys(scopeMatrix)
      .filter((r) => !routes.includes(r))
      .map((r) => `scope matrix entry ${r} is not a route of the app`);
    expect([...missing, ...stale]).toEqual([]);
  });

  it('answers every foreign record like a missing one, lists none of them and writes nothing', async () => {
    await runMatrix('', 'both');
  }, 300_000);

  // The second wall alone: PostgreSQL's row-level security, with the application's filter off.
  if (testDialect === 'postgres')
    it('keeps every foreign record out with the app filter off: row-level security alone', async () => {
      appFilter.off = true;
      try {
        await runMatrix(' (app filter off, row-level security alone)', 'rowSecurityOnly');
      } finally {
        appFilter.off = false;
      }
    }, 300_000);

  it("counts only the actor's own subtree in the statistics of its unit", async () => {
    for (const actor of [
      ...cases,
      { who: 'system_admin@测试区', unit: tree.district, cookie: admin.cookie },
    ]) {
      const answer = await send('GET', `/api/org-units/${actor.unit.id}/statistics`, actor.cookie);
      expect(answer.status, actor.who).toBe(200);
      expect(answer.json, actor.who).toMatchObject(seededFigures(actor.unit.path));
    }
  });

  it('answers a duplicate ID number without naming its holder, and changes nothing', async () => {
    const worker = cases.find((c) => c.role === 'community_worker')!;
    const holder = seeds.get(tree.communityB.id)!;
    const before = await snapshotAll();
    const attempts = [
      await send('POST', '/api/residents', worker.cookie, {
        orgUnitId: tree.communityA.id,
        name: '重号居民',
        ethnicityCode: '01',
        idNumber: holder.headIdNumber,
      }),
      await send('PATCH', `/api/residents/${worker.own.floater.id}`, worker.cookie, {
        version: worker.own.floater.version,
        idNumber: holder.headIdNumber,
      }),
    ];
    for (const answer of attempts) {
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.body.match(worker.pattern)).toBeNull();
    }
    expect(await snapshotAll()).toEqual(before);
  });
});

describe('a household member moved to another community', () => {
  it("keeps the resident out of the old community's household list, record and members", async () => {
    // A household of A whose head a street officer of S (who sees A and B) moves to B: a change
    // the API allows. A's worker may still see the household, but nothing of B's resident.
    const db = t.database.db;
    const household = await householdService.createHousehold(db, cliActor, {
      orgUnitId: tree.communityA.id,
      householdNumber: '甲迁户',
    });
    const leaving = await residentService.registerResident(db, cliActor, {
      orgUnitId: tree.communityA.id,
      residenceType: 'permanent',
      name: '乙迁入者',
      gender: 'female',
      ethnicityCode: '04',
      householdId: household.id,
      relationToHead: 'head',
    });
    await residentService.registerResident(db, cliActor, {
      orgUnitId: tree.communityA.id,
      residenceType: 'permanent',
      name: '甲留守者',
      gender: 'male',
      ethnicityCode: '01',
      householdId: household.id,
      relationToHead: 'spouse',
    });
    const streetOfficer = apiClient(
      app,
      (await loginAs(app, t.database, 'scope-street-s-mover', 'street_officer', tree.street.id)).cookie,
    );
    await streetOfficer.patch(`/api/residents/${leaving.id}`, {
      version: leaving.version,
      orgUnitId: tree.communityB.id,
    });
    const moved = await send('GET', `/api/residents/${leaving.id}`, admin.cookie);
    const nowInB = (moved.json as { orgUnitId: string }).orgUnitId === tree.communityB.id;

    const worker = cases.find((c) => c.role === 'community_worker')!;
    const listed = await send('GET', `/api/households?q=${enc('甲迁户')}`, worker.cookie);
    const shown = await send('GET', `/api/households/${household.id}`, worker.cookie);
    const members = await send('GET', `/api/households/${household.id}/members`, worker.cookie);
    expect(listed.status).toBe(200);
    expect(shown.status).toBe(200);
    // Either the move is refused (the resident stays in A), or A sees nothing of B's resident.
    if (nowInB) {
      for (const answer of [listed, shown, members]) expect(answer.body).not.toContain('乙迁入者');
      const seenByA = { memberCount: 1, headName: null, isInterEthnicMarriage: false };
      expect(itemsOf(listed.json)[0]).toMatchObject(seenByA);
      expect(shown.json).toMatchObject(seenByA);
    }
  });
});
