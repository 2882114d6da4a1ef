import type { PetitionChannel } from '@shiliuzi/shared/casework-petitions';
import type { Executor } from '../../db/database.ts';
import type { Actor } from '../../lib/actor.ts';
import { disputeService } from '../disputes/dispute.service.ts';
import { petitionService, type PetitionToRecord } from '../petitions/petition.service.ts';
import { residentService } from '../residents/resident.service.ts';
import { mulberry32 } from './random.ts';

// Demo casework of the street (和鸣街道), January to June 2026, reproducing the reference
// figures: 356 petitions received, 346 done, 0 in progress, 10 not accepted or transferred (办结率
// 97 %); 2,409 hotline calls, all done (100 %); in 云朵社区 2 disputes found and 2 resolved, and in
// 同心社区 one dispute still being mediated.

const MS_PER_DAY = 86_400_000;
const dateOf = (day: number) => new Date(Date.UTC(2026, 0, 1) + day * MS_PER_DAY).toISOString().slice(0, 10);
/** Days from 1 January to 30 June 2026 (the demo reference date). */
const HALF_YEAR = 180;

const petitionSubjects = [
  '小区路灯损坏，夜间出行不便',
  '楼道堆放杂物，存在消防隐患',
  '反映低保申请办理进度',
  '噪音扰民，请求协调',
  '咨询公租房申请条件',
  '反映物业服务收费问题',
  '下水道堵塞，请求疏通',
  '咨询民族成份变更手续',
  '流动摊位经营场所安排',
  '反映农民工工资拖欠',
];
const hotlineSubjects = [
  '停水咨询',
  '供暖问题',
  '垃圾清运',
  '宠物扰民',
  '违章停车',
  '社保咨询',
  '就医咨询',
  '道路破损',
];

/** Loads the demo disputes, petitions and hotline calls through the services (each with its history). */
export async function loadDisputePetitionDemo(
  trx: Executor,
  actor: Actor,
  orgIds: ReadonlyMap<string, string>,
  seed: number,
): Promise<{ disputes: number; petitions: number }> {
  const random = mulberry32(seed ^ 0x5a17);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const units = ['C01', 'C02', 'C03', 'S01'].map((code) => orgIds.get(code)!);

  // Petitions: 346 done, 6 not accepted, 4 transferred; hotline: 2,409 done within a few days.
  const plan: [PetitionChannel[], 'done' | 'not_accepted' | 'transferred', number, number][] = [
    [['visit', 'letter', 'online'], 'done', 346, 25],
    [['visit', 'letter'], 'not_accepted', 6, 5],
    [['online', 'letter'], 'transferred', 4, 10],
    [['hotline'], 'done', 2409, 4],
  ];
  // Drawn in the order the demo has always drawn them, so a seed gives the same petitions.
  const items: PetitionToRecord[] = [];
  for (const [channels, outcome, count, maxDays] of plan) {
    for (let i = 0; i < count; i += 1) {
      const channel = pick(channels);
      const received = Math.floor(random() * (HALF_YEAR - maxDays));
      const input = {
        orgUnitId: pick(units),
        channel,
        receivedDate: dateOf(received),
        requesterName:
          channel === 'hotline' && random() < 0.5
            ? null
            : `${pick(['王', '李', '马', '杨', '何', '余'])}先生`,
        subject: pick(channel === 'hotline' ? hotlineSubjects : petitionSubjects),
      };
      const then = { status: outcome, date: dateOf(received + 1 + Math.floor(random() * maxDays)) };
      items.push({ input, then });
    }
  }
  // Thousands of petitions: written in bulk with the rows, events and history the service would write.
  const petitions = await petitionService.recordPetitions(trx, actor, items);

  const residentsOf = async (code: string) =>
    (
      await residentService.listResidents(trx, actor, orgIds.get(code), { minority: true }, 'name', {
        page: 1,
        pageSize: 4,
        order: 'asc',
      })
    ).items;
  const c01 = await residentsOf('C01');
  const c02 = await residentsOf('C02');
  const disputes = [
    {
      orgUnitId: orgIds.get('C01-G01')!,
      intakeDate: '2026-03-12',
      source: 'survey' as const,
      category: 'neighbour' as const,
      isEthnicFactor: true,
      riskLevel: 'low' as const,
      handlingLevel: 'grid' as const,
      summary: '楼上住户装修噪音影响楼下老人休息，双方言语冲突',
      parties: [{ residentId: c01[0]!.id }, { name: '装修施工负责人', ethnicityCode: '01' }],
      steps: [
        ['2026-03-12', '网格员上门了解情况，分别做双方工作'],
        ['2026-03-14', '约定施工时间为工作日 9:00—17:00，双方签字确认'],
      ],
      outcome: 'resolved' as const,
      closedOn: '2026-03-14',
    },
    {
      orgUnitId: orgIds.get('C01')!,
      intakeDate: '2026-05-06',
      source: 'walk_in' as const,
      category: 'property' as const,
      isEthnicFactor: false,
      riskLevel: 'medium' as const,
      handlingLevel: 'community' as const,
      summary: '业主与物业因停车费上涨产生纠纷',
      parties: [{ residentId: c01[1]!.id }, { name: '小区物业公司', ethnicityCode: null }],
      steps: [
        ['2026-05-07', '社区召集业主代表与物业座谈'],
        ['2026-05-20', '物业公示收费依据，调整为分档收费，双方接受'],
      ],
      outcome: 'resolved' as const,
      closedOn: '2026-05-20',
    },
    {
      orgUnitId: orgIds.get('C02')!,
      intakeDate: '2026-06-18',
      source: 'report' as const,
      category: 'business' as const,
      isEthnicFactor: true,
      riskLevel: 'medium' as const,
      handlingLevel: 'community' as const,
      summary: '固定摊位经营者与相邻商户因摊位占道发生争执',
      parties: [{ residentId: c02[0]!.id }, { name: '相邻商户经营者', ethnicityCode: '01' }],
      steps: [['2026-06-19', '社区民族工作专干到场调解，双方同意等待市场管理方划线后再协商']],
      outcome: 'ongoing' as const,
      closedOn: null,
    },
  ];
  for (const { steps, outcome, closedOn, ...input } of disputes) {
    let dispute = await disputeService.recordDispute(trx, actor, input);
    for (const [stepDate, notes] of steps) {
      dispute = await disputeService.addMediationStep(trx, actor, dispute.id, {
        version: dispute.version,
        stepDate: stepDate!,
        notes: notes!,
      });
    }
    if (outcome !== 'ongoing') {
      await disputeService.updateDispute(trx, actor, dispute.id, {
        version: dispute.version,
        outcome,
        closedOn,
        followUp: '一周后回访，双方关系融洽',
      });
    }
  }
  return { disputes: disputes.length, petitions };
}
