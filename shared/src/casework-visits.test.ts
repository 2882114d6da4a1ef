import { describe, expect, it } from 'vitest';
import { addDays, formatFen, mustVisitState, parseYuanToFen, ratio } from './casework-visits.ts';

describe('amounts in fen', () => {
  it('reads yuan with up to two decimals without floating point', () => {
    expect(parseYuanToFen('322')).toBe(32200);
    expect(parseYuanToFen('0.1')).toBe(10);
    expect(parseYuanToFen('19.99')).toBe(1999);
    expect(parseYuanToFen('1,000.05')).toBe(100005);
  });

  it('refuses negative, malformed and over-precise amounts', () => {
    for (const text of ['-1', '1.005', 'abc', '', '1.2.3', '１２'])
      expect(parseYuanToFen(text)).toBeUndefined();
  });

  it('formats fen as yuan', () => {
    expect(formatFen(32200)).toBe('322.00');
    expect(formatFen(5)).toBe('0.05');
  });
});

describe('must-visit state and dates', () => {
  it('is overdue only when open past its due date', () => {
    expect(mustVisitState('2026-03-04', null, '2026-03-04')).toBe('open');
    expect(mustVisitState('2026-03-04', null, '2026-03-05')).toBe('overdue');
    expect(mustVisitState('2026-03-04', '2026-03-09', '2026-03-10')).toBe('done');
  });

  it('adds days across months and leap days', () => {
    expect(addDays('2028-02-27', 3)).toBe('2028-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });

  it('divides to 0 rather than NaN when there is nothing to divide by', () => {
    expect(ratio(0, 0)).toBe(0);
    expect(ratio(1, 2)).toBe(0.5);
  });
});
