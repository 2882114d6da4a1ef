import { createHash, randomUUID } from 'node:crypto';
import { addDays } from '@shiliuzi/shared/casework-visits';
import { localDateText } from '@shiliuzi/shared/dates';
import { maskPhone } from '@shiliuzi/shared/masking';
import type { OrgUnit } from '@shiliuzi/shared/org-units';
import type { Executor } from '../src/db/database.ts';
import { cliActor } from '../src/lib/actor.ts';
import { idNumberIndex, phoneIndex, seal } from '../src/lib/field-crypto.ts';
import { encodePng } from '../src/lib/png.ts';
import { assistanceService } from '../src/modules/assistance/assistance.service.ts';
import { disputeService } from '../src/modules/disputes/dispute.service.ts';
import { householdService } from '../src/modules/households/household.service.ts';
import { pairingService } from '../src/modules/pairings/pairing.service.ts';
import { petitionService } from '../src/modules/petitions/petition.service.ts';
import { residentService } from '../src/modules/residents/resident.service.ts';
import { userService } from '../src/modules/users/user.service.ts';
import type { PhotoStore } from '../src/modules/visits/visit-photo.store.ts';
import { visitService } from '../src/modules/visits/visit.service.ts';
import { makeIdNumber, TEST_PASSWORD } from './fixtures.ts';
import { Readable } from 'node:stream';

// Records of every retention record type, in two cohorts: one past every default period (甲) and
// one just short of it (乙), each with text only it carries, so that a search of the whole
// database can tell what is gone and what is kept.

/** Days before today of each cohort's dates, per record type's clock. */
export const cohortAges = {
  expired: {
    casework: 1900,
    movedOut: 1100,
    hotline: 1100,
    photoVisit: 1100,
    deleted: 200,
    imported: 400,
    session: 40,
  },
  kept: {
    casework: 1700,
    movedOut: 1000,
    hotline: 1000,
    photoVisit: 1000,
    deleted: 100,
    imported: 300,
    session: 20,
  },
} as const;

export const daysAgo = (days: number, today = localDateText()) => addDays(today, -days);
/** Noon (China time) of a day some days ago, as a stored instant. */
export const instantDaysAgo = (days: number) => new Date(`${daysAgo(days)}T12:00:00+08:00`).toISOString();

export interface RetentionCohort {
  tag: string;
  unit: OrgUnit;
  householdId: string;
  /** The moved-out couple. */
  headId: string;
  spouseId: string;
  visitId: string;
  /** A recent visit with a photo: only the photo is old enough to expire. */
  photoVisitId: string;
  taskId: string;
  pairingId: string;
  assistanceId: string;
  disputeId: string;
  petitionId: string;
  hotlineId: string;
  deletedResidentId: string;
  /** Soft-deleted, but still named by a live assistance application. */
  referencedResidentId: string;
  deletedVisitId: string;
  importId: string;
  sessionId: string;
  /** Photo files of the old visit, the recent visit and the deleted visit. */
  photoKeys: { visit: string; photoVisit: string; deletedVisit: string };
  /** Values only this cohort holds, by what they are: none may be left once it is expired and the job ran. */
  markers: Map<string, string>;
}

const photo = encodePng(3, 3, () => [10, 120, 200]);

async function addPhoto(db: Executor, photos: PhotoStore, visitId: string): Promise<string> {
  const added = await visitService.addVisitPhoto(
    db,
    photos,
    cliActor,
    visitId,
    Readable.from([photo]),
    'p.png',
  );
  const row = await db
    .selectFrom('visitPhoto')
    .select('storageKey')
    .where('id', '=', added.id)
    .executeTakeFirstOrThrow();
  return row.storageKey;
}

/**
 * Seeds one cohort in `unit`: `expired` puts every date past its type's default period, otherwise
 * just short of it. `index` keeps ID numbers and phones apart between cohorts.
 */
export async function seedRetentionCohort(
  db: Executor,
  photos: PhotoStore,
  unit: OrgUnit,
  tag: string,
  index: number,
  expired: boolean,
): Promise<RetentionCohort> {
  const age = expired ? cohortAges.expired : cohortAges.kept;
  const base = age.casework;
  const markers = new Map<string, string>();
  const mark = (value: string, what: string) => {
    markers.set(value, what);
    return value;
  };
  const idNumber = (slot: number) => makeIdNumber('510723', `19${60 + slot}0${index}15`, index * 10 + slot);
  const phone = (slot: number) => `13${index}${slot}00${String(index * 10 + slot).padStart(5, '0')}`;

  const cadre = await userService.createUser(
    db,
    cliActor,
    {
      username: `retention-cadre-${index}`,
      password: TEST_PASSWORD,
      roles: ['community_worker'],
      orgUnitId: unit.id,
    },
    { mustChangePassword: false },
  );
  const household = await householdService.createHousehold(db, cliActor, {
    orgUnitId: unit.id,
    householdNumber: `${tag}户`,
  });

  const headId = idNumber(1);
  const headPhone = phone(1);
  const landlordPhone = phone(4);
  const head = await residentService.registerResident(db, cliActor, {
    orgUnitId: unit.id,
    name: mark(`${tag}迁出户主`, 'name of the moved-out head'),
    ethnicityCode: '01',
    idNumber: mark(headId, 'ID number of the head'),
    phone: mark(headPhone, 'phone of the head'),
    householdId: household.id,
    relationToHead: 'head',
    residenceType: 'floating',
    movedInOn: daysAgo(3000),
    movedOutOn: daysAgo(age.movedOut),
    note: mark(`${tag}居民备注`, 'note on the head'),
    floating: {
      arrivalDate: daysAgo(3000),
      originAddress: mark(`${tag}原籍地址`, 'origin address'),
      reason: 'trade',
      stall: mark(`${tag}摊位`, 'stall'),
      landlordName: mark(`${tag}房东`, 'landlord'),
      landlordPhone: mark(landlordPhone, 'landlord phone'),
    },
  });
  mark(idNumberIndex(headId), 'blind index of the head’s ID number');
  mark(phoneIndex(headPhone), 'blind index of the head’s phone');
  mark(maskPhone(headPhone), 'masked phone of the head');
  const spouse = await residentService.registerResident(db, cliActor, {
    orgUnitId: unit.id,
    name: mark(`${tag}迁出配偶`, 'name of the moved-out spouse'),
    ethnicityCode: '03',
    idNumber: mark(idNumber(2), 'ID number of the spouse'),
    phone: mark(phone(2), 'phone of the spouse'),
    householdId: household.id,
    relationToHead: 'spouse',
    residenceType: 'permanent',
    movedInOn: daysAgo(3000),
    movedOutOn: daysAgo(age.movedOut),
  });

  const pairing = await pairingService.createPairing(db, cliActor, {
    householdId: household.id,
    cadreId: cadre.id,
    startedOn: daysAgo(base + 100),
    endedOn: daysAgo(base + 2),
    frequencyDays: 30,
    note: mark(`${tag}结对备注`, 'pairing note'),
  });
  const task = await visitService.recordMustVisitEvent(db, cliActor, {
    residentId: head.id,
    kind: 'hospitalised',
    eventOn: daysAgo(base + 60),
    note: mark(`${tag}住院说明`, 'must-visit note'),
  });
  // Visits the household and the head (closing the must-visit) within the pairing's frequency.
  const visit = await visitService.createVisit(db, cliActor, {
    orgUnitId: unit.id,
    visitedOn: daysAgo(base + 50),
    purpose: 'hospitalised',
    visitorIds: [cadre.id],
    residentIds: [head.id],
    householdIds: [household.id],
    location: mark(`${tag}家中`, 'visit location'),
    gifts: '水果',
    amountFen: 20000,
    fundSource: 'street_budget',
    notes: mark(`${tag}走访记录`, 'visit notes'),
  });
  const visitPhoto = await addPhoto(db, photos, visit.id);

  const assistance = await assistanceService.createAssistance(db, cliActor, {
    orgUnitId: unit.id,
    residentId: head.id,
    kind: 'cash',
    amountFen: 50000,
    fundSource: 'street_budget',
    appliedOn: daysAgo(base + 80),
    description: mark(`${tag}帮困说明`, 'assistance description'),
  });
  await assistanceService.decideAssistance(db, cliActor, assistance.id, {
    version: assistance.version,
    decision: 'approved',
    decidedOn: daysAgo(base + 70),
  });

  const dispute = await disputeService.recordDispute(db, cliActor, {
    orgUnitId: unit.id,
    intakeDate: daysAgo(base + 90),
    source: 'survey',
    category: 'neighbour',
    isEthnicFactor: true,
    riskLevel: 'low',
    handlingLevel: 'community',
    summary: mark(`${tag}纠纷经过`, 'dispute summary'),
    parties: [
      { residentId: head.id },
      { name: mark(`${tag}外来当事人`, 'free-text party'), ethnicityCode: '05' },
    ],
    followUp: mark(`${tag}回访情况`, 'dispute follow-up'),
  });
  const stepped = await disputeService.addMediationStep(db, cliActor, dispute.id, {
    version: dispute.version,
    stepDate: daysAgo(base + 85),
    notes: mark(`${tag}调解记录`, 'mediation step'),
  });
  await disputeService.updateDispute(db, cliActor, dispute.id, {
    version: stepped.version,
    outcome: 'resolved',
    closedOn: daysAgo(base),
  });

  const petition = await petitionService.recordPetition(db, cliActor, {
    orgUnitId: unit.id,
    channel: 'visit',
    receivedDate: daysAgo(base + 90),
    requesterName: mark(`${tag}来访人`, 'petition requester'),
    subject: mark(`${tag}信访事项`, 'petition subject'),
  });
  const handling = await petitionService.changePetitionStatus(db, cliActor, petition.id, {
    version: petition.version,
    status: 'handling',
    date: daysAgo(base + 85),
    notes: mark(`${tag}办理情况`, 'petition event notes'),
  });
  await petitionService.changePetitionStatus(db, cliActor, petition.id, {
    version: handling.version,
    status: 'done',
    date: daysAgo(base),
  });
  const hotline = await petitionService.recordPetition(db, cliActor, {
    orgUnitId: unit.id,
    channel: 'hotline',
    receivedDate: daysAgo(age.hotline + 5),
    requesterResidentId: head.id,
    subject: mark(`${tag}热线诉求`, 'hotline subject'),
  });
  await petitionService.changePetitionStatus(db, cliActor, hotline.id, {
    version: hotline.version,
    status: 'done',
    date: daysAgo(age.hotline),
    notes: mark(`${tag}热线答复`, 'hotline answer'),
  });

  // A visit recent enough to keep, whose photo is old enough to expire.
  const photoVisit = await visitService.createVisit(db, cliActor, {
    orgUnitId: unit.id,
    visitedOn: daysAgo(age.photoVisit),
    purpose: 'routine',
    visitorIds: [cadre.id],
    residentIds: [],
    householdIds: [household.id],
    notes: `${tag}近期走访`,
  });
  const photoVisitPhoto = await addPhoto(db, photos, photoVisit.id);

  // Soft-deleted rows: a resident nothing names, one a live application names, a visit with a photo.
  const gone = await residentService.registerResident(db, cliActor, {
    orgUnitId: unit.id,
    name: mark(`${tag}已删居民`, 'name of the deleted resident'),
    ethnicityCode: '04',
    idNumber: mark(idNumber(5), 'ID number of the deleted resident'),
    phone: mark(phone(5), 'phone of the deleted resident'),
    residenceType: 'permanent',
  });
  await residentService.deleteResident(db, cliActor, gone.id, gone.version);
  const named = await residentService.registerResident(db, cliActor, {
    orgUnitId: unit.id,
    name: mark(`${tag}被引居民`, 'name of the deleted resident an application names'),
    ethnicityCode: '04',
    idNumber: mark(idNumber(6), 'ID number of the deleted resident an application names'),
    residenceType: 'permanent',
  });
  await assistanceService.createAssistance(db, cliActor, {
    orgUnitId: unit.id,
    residentId: named.id,
    kind: 'goods',
    amountFen: 0,
    fundSource: 'street_budget',
    appliedOn: daysAgo(5),
  });
  const namedNow = await residentService.getResident(db, cliActor, named.id);
  await residentService.deleteResident(db, cliActor, named.id, namedNow.version);
  const deletedVisit = await visitService.createVisit(db, cliActor, {
    orgUnitId: unit.id,
    visitedOn: daysAgo(age.deleted + 10),
    purpose: 'routine',
    visitorIds: [cadre.id],
    residentIds: [],
    householdIds: [household.id],
    notes: mark(`${tag}已删走访`, 'notes of the deleted visit'),
  });
  const deletedVisitPhoto = await addPhoto(db, photos, deletedVisit.id);
  const deletedVisitNow = await visitService.getVisit(db, cliActor, deletedVisit.id);
  await visitService.deleteVisit(db, cliActor, deletedVisit.id, deletedVisitNow.version);
  await db
    .updateTable('resident')
    .set({ deletedAt: instantDaysAgo(age.deleted) })
    .where('id', 'in', [gone.id, named.id])
    .execute();
  await db
    .updateTable('visit')
    .set({ deletedAt: instantDaysAgo(age.deleted) })
    .where('id', '=', deletedVisit.id)
    .execute();

  // An import report holding a rejected row, a session that ended and a sign-in failure count.
  const importId = randomUUID();
  await db
    .insertInto('importBatch')
    .values({
      id: importId,
      orgUnitId: unit.id,
      streetId: unit.streetId ?? null,
      fileName: `register-${index}.xlsx`,
      fileSha256: createHash('sha256').update(tag).digest('hex'),
      register: 'residents',
      rows: 1,
      accepted: 0,
      created: 0,
      updated: 0,
      merged: 0,
      rejected: 1,
      flagged: 0,
      report: seal(
        'import_batch.report',
        importId,
        JSON.stringify({ rejected: [{ row: 2, value: mark(`${tag}导入姓名`, 'name in an import report') }] }),
      ),
      createdBy: null,
      createdAt: instantDaysAgo(age.imported),
    })
    .execute();
  const sessionId = createHash('sha256').update(`session-${tag}`).digest('hex');
  await db
    .insertInto('userSession')
    .values({
      id: sessionId,
      userId: cadre.id,
      createdAt: instantDaysAgo(age.session + 1),
      lastSeenAt: instantDaysAgo(age.session + 1),
      expiresAt: instantDaysAgo(age.session),
      ip: mark(`10.9.${index}.77`, 'IP address of an ended session'),
      secondFactor: null,
    })
    .execute();
  await db
    .insertInto('loginThrottle')
    .values({
      username: mark(`${tag}登录名`, 'user name typed at a failed sign-in'),
      failures: 2,
      lockedUntil: null,
      updatedAt: instantDaysAgo(age.session),
    })
    .execute();

  return {
    tag,
    unit,
    householdId: household.id,
    headId: head.id,
    spouseId: spouse.id,
    visitId: visit.id,
    photoVisitId: photoVisit.id,
    taskId: task.id,
    pairingId: pairing.id,
    assistanceId: assistance.id,
    disputeId: dispute.id,
    petitionId: petition.id,
    hotlineId: hotline.id,
    deletedResidentId: gone.id,
    referencedResidentId: named.id,
    deletedVisitId: deletedVisit.id,
    importId,
    sessionId,
    photoKeys: { visit: visitPhoto, photoVisit: photoVisitPhoto, deletedVisit: deletedVisitPhoto },
    markers,
  };
}
