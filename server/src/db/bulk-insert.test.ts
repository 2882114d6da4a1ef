import { describe, expect, it } from 'vitest';
import { statementSizes } from './bulk-insert.ts';

describe('statementSizes', () => {
  it('cuts any batch into full statements and a rest of powers of two, every row once', () => {
    const shapes = new Set<number>();
    for (let rows = 1; rows <= 2000; rows++) {
      const sizes = statementSizes(rows, 500);
      expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(rows);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(500);
      for (const size of sizes) shapes.add(size);
    }
    // 500 and the powers of two below it: a table is written with at most ten statement shapes.
    expect([...shapes].sort((a, b) => a - b)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 500]);
    expect(statementSizes(300, 500)).toEqual([256, 32, 8, 4]);
    expect(statementSizes(1000, 500)).toEqual([500, 500]);
  });
});
