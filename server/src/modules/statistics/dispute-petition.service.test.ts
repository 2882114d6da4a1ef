import { describe, expect, it } from 'vitest';
import { periodOf, toPetitionFigures } from './dispute-petition.service.ts';

describe('petition figures from counted rows', () => {
  it('counts done as handled, received and handling as in progress, the rest as other outcomes', () => {
    const figures = toPetitionFigures([
      { status: 'done', n: 346, handlingDays: 346 * 4 },
      { status: 'not_accepted', n: 6, handlingDays: 6 },
      { status: 'transferred', n: 4, handlingDays: 8 },
    ]);
    expect(figures).toEqual({
      received: 356,
      handled: 346,
      inProgress: 0,
      otherOutcomes: 10,
      completionRate: 346 / 356,
      averageHandlingDays: 4,
    });
  });

  it('averages handling days over the done ones only, and has none when nothing is done', () => {
    expect(toPetitionFigures([{ status: 'handling', n: 3, handlingDays: null }])).toEqual({
      received: 3,
      handled: 0,
      inProgress: 3,
      otherOutcomes: 0,
      completionRate: 0,
      averageHandlingDays: null,
    });
    expect(toPetitionFigures([]).completionRate).toBe(0);
  });

  it('takes the period from 1 January of the end date’s year unless given', () => {
    expect(periodOf({ to: '2026-06-30' })).toEqual({ from: '2026-01-01', to: '2026-06-30' });
    expect(periodOf({}, '2026-11-29')).toEqual({ from: '2026-01-01', to: '2026-11-29' });
  });
});
