import { z } from 'zod';
import { roles } from './registry.ts';

export const loginInput = z.object({
  username: z.string().trim().min(1).max(50),
  password: z.string().min(1).max(200),
});
export type LoginInput = z.infer<typeof loginInput>;

export const userInput = z.object({
  username: z
    .string()
    .trim()
    .min(2)
    .max(50)
    .regex(/^[A-Za-z0-9_.-]+$/, { message: 'username_format' }),
  displayName: z.string().trim().min(1).max(50).optional(),
  password: z.string().min(8).max(200),
  roles: z.array(z.enum(roles)).min(1),
  orgUnitId: z.uuid(),
});
export type UserInput = z.infer<typeof userInput>;

export const user = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  orgUnitId: z.string(),
  orgUnitName: z.string(),
  roles: z.array(z.enum(roles)),
  isDisabled: z.boolean(),
});
export type User = z.infer<typeof user>;
