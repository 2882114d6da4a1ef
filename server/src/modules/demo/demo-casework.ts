import { addDays } from '@shiliuzi/shared/casework-visits';
import { localDateText } from '@shiliuzi/shared/dates';
import { isMinority } from '@shiliuzi/shared/ethnicity';
import type { Executor } from '../../db/database.ts';
import type { Actor } from '../../lib/actor.ts';
import { assistanceService } from '../assistance/assistance.service.ts';
import { pairingService } from '../pairings/pairing.service.ts';
import { visitService } from '../visits/visit.service.ts';
import { visitCampaignService } from '../visits/visit-campaign.service.ts';
import type { PhotoStore } from '../visits/visit-photo.store.ts';
import { pomegranatePng } from '../../lib/png.ts';
import { Readable } from 'node:stream';
import type { DemoDataset } from './demo-data.ts';

/** Groups whose families keep 开斋节 and 古尔邦节 (Hui, Uyghur, Kazak, Dongxiang, Kirgiz, Salar, Tajik, Uzbek, Bonan, Tatar). */
const muslimGroups = new Set(['03', '05', '17', '26', '29', '35', '41', '43', '47', '50']);

/** Eid al-Fitr and Eid al-Adha (Islamic calendar) of recent years. */
const eidDates = [
  ['2025-03-30', '开斋节'],
  ['2025-06-06', '古尔邦节'],
  ['2026-03-20', '开斋节'],
  ['2026-05-27', '古尔邦节'],
  ['2027-03-10', '开斋节'],
  ['2027-05-16', '古尔邦节'],
] as const;

export interface DemoIds {
  orgIds: Map<string, string>;
  householdIds: Map<string, string>;
  /** Resident ids in the order of `data.residents`. */
  residentIds: string[];
  userIds: Map<string, string>;
}

/**
 * The casework of the demo community C01, dated back from `today`: pairings of the community
 * worker and the grid worker with minority households, festival visits to Muslim families at the
 * two last Eids, hospital and hardship visits, must-visits (one done, two overdue, one open, one
 * for the paired cadre), and assistance from 爱心一元捐 and the street budget, mostly approved.
 */
export async function loadDemoCasework(
  trx: Executor,
  actor: Actor,
  data: DemoDataset,
  ids: DemoIds,
  today: string = localDateText(),
  /** Where the demo visit's photo is kept; no photo without it. */
  photos?: PhotoStore,
): Promise<void> {
  const community = ids.userIds.get('community')!;
  const grid = ids.userIds.get('grid')!;
  const street = ids.userIds.get('street')!;
  const inC01 = data.residents
    .map((resident, index) => ({ resident, id: ids.residentIds[index]! }))
    .filter(({ resident }) => resident.orgCode.startsWith('C01'));
  const heads = inC01.filter(({ resident }) => resident.relationToHead === 'head');
  const minorityHeads = heads.filter(({ resident }) => isMinority(resident.ethnicityCode));
  const ofGrid = (list: typeof heads) => list.filter(({ resident }) => resident.orgCode === 'C01-G01');
  const householdOf = (entry: (typeof heads)[number]) => ids.householdIds.get(entry.resident.householdKey)!;
  const orgOf = (entry: (typeof heads)[number]) => ids.orgIds.get(entry.resident.orgCode)!;

  // Pairings: the grid worker with minority households of the grid, the community worker with
  // others of the community; one handed over from the street officer, so its history shows who
  // was responsible when.
  const gridPaired = ofGrid(minorityHeads).slice(0, 3);
  const communityPaired = minorityHeads.filter((h) => h.resident.orgCode !== 'C01-G01').slice(0, 6);
  const start = addDays(today, -200);
  for (const head of gridPaired) {
    await pairingService.createPairing(trx, actor, {
      householdId: householdOf(head),
      cadreId: grid,
      startedOn: start,
      frequencyDays: 30,
    });
  }
  for (const [i, head] of communityPaired.entries()) {
    if (i === 0) {
      await pairingService.createPairing(trx, actor, {
        householdId: householdOf(head),
        cadreId: street,
        startedOn: addDays(start, -365),
        endedOn: addDays(start, -1),
        frequencyDays: 60,
        note: '工作调整，移交社区',
      });
    }
    await pairingService.createPairing(trx, actor, {
      householdId: householdOf(head),
      cadreId: community,
      startedOn: start,
      frequencyDays: i % 2 === 0 ? 30 : 60,
    });
  }

  // Routine contacts of the pairings (some recent, some not: compliance is not perfect).
  for (const [i, head] of [...gridPaired, ...communityPaired].entries()) {
    const cadre = gridPaired.includes(head) ? grid : community;
    await visitService.createVisit(
      trx,
      actor,
      {
        orgUnitId: orgOf(head),
        visitedOn: addDays(today, -(5 + i * 9)),
        purpose: 'routine',
        visitorIds: [cadre],
        householdIds: [householdOf(head)],
        notes: '入户走访，了解家庭生活和子女就学情况',
      },
      today,
    );
  }

  // Festival visits to Muslim families at the last two Eids before today.
  const muslimHeads = heads.filter(({ resident }) => muslimGroups.has(resident.ethnicityCode)).slice(0, 8);
  const eids = eidDates.filter(([date]) => date <= today).slice(-2);
  for (const [date, festival] of eids) {
    for (const [i, head] of muslimHeads.entries()) {
      await visitService.createVisit(
        trx,
        actor,
        {
          orgUnitId: orgOf(head),
          visitedOn: date,
          purpose: 'festival',
          visitorIds: [community, street],
          householdIds: [householdOf(head)],
          gifts: '牛羊肉、大米、食用油',
          amountFen: 30000,
          fundSource: i % 2 === 0 ? 'charity_one_yuan' : 'street_budget',
          location: '居民家中',
          notes: `${festival}入户慰问，送上节日祝福`,
        },
        today,
      );
    }
  }

  // The four must-visits: a hospital stay visited in time, hardship and a special circumstance
  // overdue in the grid, and a dispute just recorded.
  const gridHeads = ofGrid(heads).filter((h) => !gridPaired.includes(h));
  const [hospital, hardship, special, dispute] = [
    gridPaired[0] ?? gridHeads[0]!,
    gridHeads[0]!,
    gridHeads[1]!,
    gridHeads[2]!,
  ];
  const event = (
    entry: (typeof heads)[number],
    kind: 'hospitalised' | 'hardship' | 'dispute' | 'special',
    eventOn: string,
    note: string,
  ) => visitService.recordMustVisitEvent(trx, actor, { residentId: entry.id, kind, eventOn, note }, today);
  await event(hospital, 'hospitalised', addDays(today, -6), '因病住院治疗');
  const hospitalVisit = await visitService.createVisit(
    trx,
    actor,
    {
      orgUnitId: orgOf(hospital),
      visitedOn: addDays(today, -5),
      purpose: 'hospitalised',
      visitorIds: [grid],
      residentIds: [hospital.id],
      gifts: '水果、牛奶',
      amountFen: 20000,
      fundSource: 'charity_one_yuan',
      location: '区人民医院',
      notes: '到医院探望，协助办理医保报销',
    },
    today,
  );
  // A photo of the hospital visit, drawn in code (no image file ships with the demo).
  if (photos)
    await visitService.addVisitPhoto(
      trx,
      photos,
      actor,
      hospitalVisit.id,
      Readable.from([pomegranatePng(240)]),
      '医院探望.png',
    );
  await event(hardship, 'hardship', addDays(today, -10), '家中失火，生活困难');
  await event(special, 'special', addDays(today, -12), '独居老人，子女在外地');
  await event(dispute, 'dispute', addDays(today, -1), '与邻居因噪音发生纠纷');

  // Assistance from 爱心一元捐 and the street budget.
  const beneficiaries = [hardship, ...minorityHeads.slice(0, 3)];
  const grants = [
    ['cash', 50000, 'charity_one_yuan', '火灾后临时救助', 'approved'],
    ['housing_subsidy', 32200, 'street_budget', '公租房租金补贴（每月）', 'approved'],
    ['goods', 15000, 'charity_one_yuan', '冬季棉被、米面油', 'approved'],
    ['cash', 80000, 'street_budget', '大病医疗救助', 'pending'],
  ] as const;
  for (const [i, [kind, amountFen, fundSource, description, status]] of grants.entries()) {
    const who = beneficiaries[i % beneficiaries.length]!;
    const applied = await assistanceService.createAssistance(
      trx,
      actor,
      {
        orgUnitId: orgOf(who),
        residentId: who.id,
        kind,
        amountFen,
        fundSource,
        appliedOn: addDays(today, -(20 - i * 3)),
        description,
      },
      today,
    );
    if (status === 'approved') {
      await assistanceService.decideAssistance(
        trx,
        {
          ...actor,
          userId: community,
          name: data.users.find((u) => u.username === 'community')!.displayName,
        },
        applied.id,
        { version: applied.version, decision: 'approved', decidedOn: addDays(today, -(15 - i * 3)) },
        today,
      );
    }
  }

  // Festival visit campaigns (节日走访): the last Eid's, planned for the Muslim families of the
  // community (those visited then are done, the others overdue), and one in progress for the
  // coming days to minority households in hardship, two of them visited already.
  const community01 = ids.orgIds.get('C01')!;
  const lastEid = eids.at(-1);
  if (lastEid) {
    await visitCampaignService.createCampaign(
      trx,
      actor,
      {
        orgUnitId: community01,
        festival: lastEid[1] === '开斋节' ? 'eid_al_fitr' : 'eid_al_adha',
        startsOn: addDays(lastEid[0], -7),
        plannedOn: lastEid[0],
        target: { ethnicityCodes: [...muslimGroups], minorityOnly: false, flags: [] },
        note: '为信仰伊斯兰教的少数民族家庭送去节日问候',
      },
      today,
    );
  }
  const current = await visitCampaignService.createCampaign(
    trx,
    actor,
    {
      orgUnitId: community01,
      festival: 'spring_festival',
      name: '新春走访慰问困难少数民族家庭',
      startsOn: addDays(today, -7),
      plannedOn: addDays(today, 5),
      target: {
        ethnicityCodes: [],
        minorityOnly: true,
        flags: ['hardship', 'minimumLivingAllowance', 'elderlyAlone'],
      },
      note: '送米、面、油和慰问金，了解生活困难',
    },
    today,
  );
  const planned = await visitCampaignService.listPlannedVisits(
    trx,
    actor,
    community01,
    { campaignId: current.id, state: 'pending' },
    { page: 1, pageSize: 2, order: 'asc' },
    today,
  );
  for (const [i, p] of planned.items.entries()) {
    await visitService.createVisit(
      trx,
      actor,
      {
        orgUnitId: p.orgUnitId,
        visitedOn: addDays(today, -(3 - i)),
        purpose: 'festival',
        visitorIds: p.assigneeId ? [p.assigneeId] : [community],
        ...(p.householdId ? { householdIds: [p.householdId] } : { residentIds: [p.residentId!] }),
        gifts: '大米、面粉、食用油',
        amountFen: 50000,
        fundSource: 'charity_one_yuan',
        location: '居民家中',
        notes: '新春入户慰问，送上节日祝福',
      },
      today,
    );
  }
}
