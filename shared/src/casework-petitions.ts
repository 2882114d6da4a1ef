import { z } from 'zod';
import { pastDate } from './casework-disputes.ts';

// Petitions (信访) and hotline calls (热线): one record kind, told apart by the channel.

/** 来访, 来信, 热线电话, 网上信访. The hotline figures are the `hotline` channel; petitions are the rest. */
export const petitionChannels = ['visit', 'letter', 'hotline', 'online'] as const;
export type PetitionChannel = (typeof petitionChannels)[number];

export const petitionStatuses = ['received', 'handling', 'done', 'not_accepted', 'transferred'] as const;
export type PetitionStatus = (typeof petitionStatuses)[number];

/** Statuses that end a petition: a response date is set and nothing follows. */
export const closedPetitionStatuses: readonly PetitionStatus[] = ['done', 'not_accepted', 'transferred'];

/** Where a petition may go from each status; closed ones go nowhere (received → handling → done / …). */
export const petitionTransitions: Readonly<Record<PetitionStatus, readonly PetitionStatus[]>> = {
  received: ['handling', 'done', 'not_accepted', 'transferred'],
  handling: ['done', 'not_accepted', 'transferred'],
  done: [],
  not_accepted: [],
  transferred: [],
};

export function canMovePetition(from: PetitionStatus, to: PetitionStatus): boolean {
  return petitionTransitions[from].includes(to);
}

/** Days to answer, by channel, where no org unit on the way up has set its own (信访条例: 60 days). */
export const defaultPetitionSlaDays: Readonly<Record<PetitionChannel, number>> = {
  visit: 60,
  letter: 60,
  online: 60,
  hotline: 5,
};

export const petitionLabels = {
  channels: { visit: '来访', letter: '来信', hotline: '热线电话', online: '网上信访' },
  statuses: {
    received: '已受理',
    handling: '办理中',
    done: '已办结',
    not_accepted: '不予受理',
    transferred: '已转办',
  },
} as const satisfies {
  channels: Record<PetitionChannel, string>;
  statuses: Record<PetitionStatus, string>;
};

export const petitionInput = z
  .strictObject({
    orgUnitId: z.uuid(),
    channel: z.enum(petitionChannels),
    receivedDate: pastDate,
    /** A registered resident, or the requester's name as given (a caller may stay anonymous). */
    requesterResidentId: z.uuid().nullable().optional(),
    requesterName: z.string().trim().min(1).max(50).nullable().optional(),
    /** What is asked (sensitive free text). */
    subject: z.string().trim().min(1).max(2000),
    assigneeId: z.uuid().nullable().optional(),
  })
  .refine((p) => !(p.requesterResidentId && p.requesterName), { message: 'petition_requester_invalid' });
export type PetitionInput = z.infer<typeof petitionInput>;

export const petitionPatch = z
  .strictObject({
    version: z.number().int().min(1),
    subject: z.string().trim().min(1).max(2000).optional(),
    assigneeId: z.uuid().nullable().optional(),
    requesterResidentId: z.uuid().nullable().optional(),
    requesterName: z.string().trim().min(1).max(50).nullable().optional(),
  })
  .refine((p) => !(p.requesterResidentId && p.requesterName), { message: 'petition_requester_invalid' });
export type PetitionPatch = z.infer<typeof petitionPatch>;

/** A status change; a closing one sets the response date (today unless given). */
export const petitionStatusChange = z.strictObject({
  version: z.number().int().min(1),
  status: z.enum(petitionStatuses),
  date: pastDate.optional(),
  notes: z.string().trim().max(2000).nullable().optional(),
});
export type PetitionStatusChange = z.infer<typeof petitionStatusChange>;

export const petitionEvent = z.object({
  id: z.string(),
  fromStatus: z.enum(petitionStatuses).nullable(),
  toStatus: z.enum(petitionStatuses),
  date: z.string(),
  notes: z.string().nullable(),
  actorName: z.string(),
  at: z.string(),
});
export type PetitionEvent = z.infer<typeof petitionEvent>;

export const petition = z.object({
  id: z.string(),
  orgUnitId: z.string(),
  orgUnitName: z.string(),
  streetId: z.string().nullable(),
  channel: z.enum(petitionChannels),
  receivedDate: z.string(),
  requesterResidentId: z.string().nullable(),
  requesterName: z.string().nullable(),
  subject: z.string(),
  assigneeId: z.string().nullable(),
  assigneeName: z.string().nullable(),
  status: z.enum(petitionStatuses),
  responseDate: z.string().nullable(),
  /** Received date + the SLA days in force when it was received. */
  dueDate: z.string(),
  /** Still open past its due date, or closed after it. */
  isOverdue: z.boolean(),
  events: z.array(petitionEvent),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  deletedAt: z.string().nullable(),
});
export type Petition = z.infer<typeof petition>;

export const petitionSortFields = ['receivedDate', 'dueDate', 'createdAt'] as const;

export const petitionSla = z.object({
  orgUnitId: z.string(),
  /** Days by channel in force for the unit: its own, else the nearest ancestor's, else the default. */
  days: z.record(z.enum(petitionChannels), z.number().int()),
  /** The channels the unit has set itself. */
  own: z.array(z.enum(petitionChannels)),
});
export type PetitionSla = z.infer<typeof petitionSla>;

export const petitionSlaInput = z.strictObject({
  orgUnitId: z.uuid(),
  channel: z.enum(petitionChannels),
  days: z.number().int().min(1).max(365),
});
export type PetitionSlaInput = z.infer<typeof petitionSlaInput>;

/** Figures of one channel group (petitions or hotline) for an org subtree and period. */
export const petitionFigures = z.object({
  received: z.number().int(),
  /** Done (已办结). */
  handled: z.number().int(),
  /** Received or handling. */
  inProgress: z.number().int(),
  /** Not accepted or transferred. */
  otherOutcomes: z.number().int(),
  /** 办结率 = handled / received, a fraction 0–1; 0 when nothing was received. */
  completionRate: z.number(),
  /** Mean days from receipt to response over the done ones; null when none is done. */
  averageHandlingDays: z.number().nullable(),
});
export type PetitionFigures = z.infer<typeof petitionFigures>;

export const petitionStatistics = z.object({ petitions: petitionFigures, hotline: petitionFigures });
export type PetitionStatistics = z.infer<typeof petitionStatistics>;

/**
 * 办结率 as the reference reports compute it: handled (done) / received, e.g. 346 / 356 = 97 %.
 * Nothing received gives 0, never NaN.
 */
export function completionRateOf(received: number, handled: number): number {
  return received === 0 ? 0 : handled / received;
}
