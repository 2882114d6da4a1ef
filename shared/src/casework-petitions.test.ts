import { describe, expect, it } from 'vitest';
import { resolutionRateOf } from './casework-disputes.ts';
import { canMovePetition, completionRateOf, petitionStatuses } from './casework-petitions.ts';

describe('petition status transitions', () => {
  it('goes received → handling → done, not accepted or transferred, and never back', () => {
    expect(canMovePetition('received', 'handling')).toBe(true);
    expect(canMovePetition('received', 'done')).toBe(true);
    expect(canMovePetition('handling', 'transferred')).toBe(true);
    expect(canMovePetition('handling', 'received')).toBe(false);
    expect(canMovePetition('received', 'received')).toBe(false);
    for (const closed of ['done', 'not_accepted', 'transferred'] as const)
      for (const to of petitionStatuses) expect(canMovePetition(closed, to)).toBe(false);
  });
});

describe('rates', () => {
  it('computes 办结率 as handled / received, as the reference reports do', () => {
    expect(Math.round(completionRateOf(356, 346) * 100)).toBe(97);
    expect(completionRateOf(2409, 2409)).toBe(1);
  });

  it('gives 0, not NaN, when nothing was received or found', () => {
    expect(completionRateOf(0, 0)).toBe(0);
    expect(resolutionRateOf(0, 0)).toBe(0);
    expect(resolutionRateOf(2, 2)).toBe(1);
  });
});
