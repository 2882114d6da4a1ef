import { describe, expect, it } from 'vitest';
import { newPassword, passwordClassCount } from './users.ts';

describe('password rules', () => {
  it('counts lower case, upper case, digits and anything else as the four classes', () => {
    expect(passwordClassCount('abcdefgh')).toBe(1);
    expect(passwordClassCount('abcd1234')).toBe(2);
    expect(passwordClassCount('Abcd1234')).toBe(3);
    expect(passwordClassCount('Ab1!')).toBe(4);
    expect(passwordClassCount('密码密码1234a')).toBe(3);
  });

  it('accepts 8 characters of 3 classes and names the rule a password breaks', () => {
    expect(newPassword.safeParse('Demo@2026').success).toBe(true);
    expect(newPassword.safeParse('abc#1234').success).toBe(true);
    expect(newPassword.safeParse('Ab#1234').error?.issues[0]?.message).toBe('password_too_short');
    expect(newPassword.safeParse('abcdefgh12').error?.issues[0]?.message).toBe('password_too_simple');
  });
});
