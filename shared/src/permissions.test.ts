import { describe, expect, it } from 'vitest';
import { opensRetention } from './permissions.ts';

describe('opensRetention', () => {
  it('shows the retention periods to the system and security administrators of the root unit only', () => {
    expect(opensRetention({ roles: ['security_admin'], wholeTree: true })).toBe(true);
    expect(opensRetention({ roles: ['system_admin'], wholeTree: true })).toBe(true);
    expect(opensRetention({ roles: ['security_admin'], wholeTree: false })).toBe(false);
    expect(opensRetention({ roles: ['auditor', 'street_officer'], wholeTree: true })).toBe(false);
  });
});
