import { describe, expect, it } from 'vitest';
import { yearsBefore } from './dates.ts';
import { ageOn } from './statistics.ts';

const DAY_MS = 86_400_000;
const plusDays = (isoDate: string, days: number) =>
  new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

describe('yearsBefore', () => {
  it('keeps the day, and turns 29 February into the 28th in a year without it', () => {
    expect(yearsBefore('2026-11-30', 10)).toBe('2016-11-30');
    expect(yearsBefore('2024-02-29', 1)).toBe('2023-02-28');
    expect(yearsBefore('2024-02-29', 4)).toBe('2020-02-29');
  });

  it('is the last birth date of someone that old: born on or before it, at least that old on the day', () => {
    for (const asOf of ['2026-11-30', '2024-02-29', '2025-02-28', '2025-03-01', '2026-01-01', '2026-12-31']) {
      for (const years of [0, 1, 10, 18, 60, 80]) {
        const boundary = yearsBefore(asOf, years);
        // Every day within two months of the boundary, and every 13th day back to 1940.
        const days = [
          ...Array.from({ length: 120 }, (_, i) => plusDays(boundary, i - 60)),
          ...Array.from({ length: 2_500 }, (_, i) => plusDays('1940-01-01', i * 13)),
        ].filter((born) => born <= asOf);
        const misplaced = days.filter((born) => ageOn(born, asOf) >= years !== born <= boundary);
        expect(misplaced, `${years} years before ${asOf}`).toEqual([]);
      }
    }
  });
});
