import { z } from 'zod';
import { roles } from './registry.ts';

export const loginInput = z.object({
  username: z.string().trim().min(1).max(50),
  password: z.string().min(1).max(200),
});
export type LoginInput = z.infer<typeof loginInput>;

/** The character classes a password draws from: lower case, upper case, digits, anything else. */
const passwordClasses = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/];

/** Password rules (GB/T 22239 level 3): at least 8 characters from at least 3 of the 4 classes. */
export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MIN_CLASSES = 3;

export function passwordClassCount(password: string): number {
  return passwordClasses.filter((re) => re.test(password)).length;
}

/** A new password: long enough and mixed enough (the message key names the rule it breaks). */
export const newPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, { message: 'password_too_short' })
  .max(200)
  .refine((password) => passwordClassCount(password) >= PASSWORD_MIN_CLASSES, {
    message: 'password_too_simple',
  });

export const passwordChangeInput = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword,
});
export type PasswordChangeInput = z.infer<typeof passwordChangeInput>;

export const userInput = z.object({
  username: z
    .string()
    .trim()
    .min(2)
    .max(50)
    .regex(/^[A-Za-z0-9_.-]+$/, { message: 'username_format' }),
  displayName: z.string().trim().min(1).max(50).optional(),
  password: newPassword,
  roles: z.array(z.enum(roles)).min(1),
  orgUnitId: z.uuid(),
});
export type UserInput = z.infer<typeof userInput>;

/** The roles a security administrator gives an account (all of them, replacing the old). */
export const userRolesInput = z.strictObject({ roles: z.array(z.enum(roles)).min(1) });
export type UserRolesInput = z.infer<typeof userRolesInput>;

export const user = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  orgUnitId: z.string(),
  orgUnitName: z.string(),
  roles: z.array(z.enum(roles)),
  isDisabled: z.boolean(),
  /** The password was set by an administrator or has expired: it must be changed before anything else. */
  mustChangePassword: z.boolean(),
});
export type User = z.infer<typeof user>;

/** A user someone may name on a record (visitor, paired cadre, assignee): name and unit only. */
export const pickableUser = z.object({ id: z.string(), name: z.string(), orgUnitName: z.string() });
export type PickableUser = z.infer<typeof pickableUser>;

/** The second sign-in step a session still owes: a TOTP code to verify, or TOTP to enrol first. */
export const secondFactors = ['verify', 'enrol'] as const;
export type SecondFactor = (typeof secondFactors)[number];

/** The signed-in user as `me` answers: the account, and where the session stands. */
export const currentUser = user.extend({
  secondFactor: z.enum(secondFactors).nullable(),
  totpEnabled: z.boolean(),
  /** The account's unit is the root of the org tree: what is set for the whole tree is set from it. */
  wholeTree: z.boolean(),
});
export type CurrentUser = z.infer<typeof currentUser>;

export const totpCodeInput = z.strictObject({ code: z.string().trim().min(6).max(20) });
