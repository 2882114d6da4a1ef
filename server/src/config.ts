import path from 'node:path';
import { z } from 'zod';
import { roles, type Role } from '@shiliuzi/shared/registry';
import { isMasterKeyText } from './lib/keys.ts';

const envSchema = z.object({
  SHILIUZI_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** The tables' owner, for migrations and restores; the server itself connects with DATABASE_URL. */
  DATABASE_OWNER_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_OWNER_URL must be a postgres:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Session lifetime in minutes; hardening (idle/absolute timeouts) builds on it. */
  SESSION_TTL_MINUTES: z.coerce.number().int().positive().default(480),
  /** A session unused this long (minutes) ends; SESSION_TTL_MINUTES is its absolute end. */
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  /** Set when the server is behind TLS so cookies get the Secure flag. */
  COOKIE_SECURE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Failed logins of one user name before it is locked, and for how long (minutes). */
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_LOCK_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  /** Days a password lasts; then it must be changed at the next sign-in. */
  PASSWORD_MAX_AGE_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  /**
   * Roles that must sign in with TOTP as a second step (comma-separated; empty for none). Default:
   * system_admin,security_admin,auditor,street_officer in production, none in demo mode.
   */
  TOTP_REQUIRED_ROLES: z
    .string()
    .optional()
    .refine(
      (list) =>
        list === undefined ||
        list
          .split(',')
          .map((role) => role.trim())
          .filter(Boolean)
          .every((role) => (roles as readonly string[]).includes(role)),
      { message: `TOTP_REQUIRED_ROLES must list roles among: ${roles.join(', ')}` },
    ),
  /** Login attempts one IP address may make per minute, whatever the user names. */
  LOGIN_ATTEMPTS_PER_IP_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
  /** `demo` loads demo data and demo logins on start; `production` refuses to. */
  SHILIUZI_MODE: z.enum(['demo', 'production']).default('demo'),
  /** The 32-byte master key (base64 or 64 hex characters); see lib/keys.ts and docs/BACKUP.md. */
  SHILIUZI_MASTER_KEY: z
    .string()
    .optional()
    .refine((text) => !text || isMasterKeyText(text), {
      message: 'SHILIUZI_MASTER_KEY must be 32 bytes as base64 (44 characters) or 64 hex characters',
    }),
  /** A file holding the master key, used when SHILIUZI_MASTER_KEY is unset. */
  SHILIUZI_KEY_FILE: z.string().optional(),
  /**
   * Key files of earlier master keys (comma-separated): fields sealed under them are read, and
   * re-sealed under the current key at the next start (docs/SECURITY.md, key rotation).
   */
  SHILIUZI_OLD_KEY_FILES: z.string().optional(),
  /** Where scheduled backups go; required when BACKUP_INTERVAL_HOURS is above 0. */
  BACKUP_DIR: z.string().optional(),
  /** Hours between scheduled backups taken by the server process; 0 turns them off. */
  BACKUP_INTERVAL_HOURS: z.coerce
    .number()
    .min(0)
    .max(24 * 366)
    .default(0),
  /** How many scheduled backups to keep in BACKUP_DIR; older ones are deleted. */
  BACKUP_KEEP: z.coerce.number().int().min(1).max(10_000).default(7),
  /** Largest photo (or other attachment) accepted, in MB. */
  ATTACHMENT_MAX_MB: z.coerce.number().min(0.01).max(100).default(10),
  /** Days audit rows are kept before the daily retention job removes them; never fewer than 180. */
  AUDIT_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(180, 'AUDIT_RETENTION_DAYS must be at least 180 (GB/T 22239-2019 level 3: six months)')
    .max(36_500)
    .default(365),
  /** `daily`: the server applies the retention periods of records every day; `off`: only by hand. */
  RETENTION_SCHEDULE: z.enum(['daily', 'off']).default('daily'),
  /**
   * `batched`: an audited answer waits until its row is committed (it survives the process), and the
   * rows are synced to the disk within a second; `full`: each commit is synced before the answer.
   */
  AUDIT_SYNC: z.enum(['batched', 'full']).default('batched'),
});

/** How logins are throttled (per user name: lockout; per IP address: rate) and how long a password lasts. */
export interface LoginPolicy {
  maxFailures: number;
  lockMinutes: number;
  attemptsPerIpMinute: number;
  passwordMaxAgeDays: number;
  /** Roles whose users must enrol and use TOTP. */
  totpRequiredRoles: readonly Role[];
}

export const defaultLoginPolicy: LoginPolicy = {
  maxFailures: 5,
  lockMinutes: 15,
  attemptsPerIpMinute: 30,
  passwordMaxAgeDays: 90,
  totpRequiredRoles: [],
};

/** The roles that need TOTP in production unless configured otherwise (等保 level 3: the privileged ones). */
export const PRODUCTION_TOTP_ROLES: readonly Role[] = [
  'system_admin',
  'security_admin',
  'auditor',
  'street_officer',
];

/** When a committed audit row is synced to the disk: within a second (`batched`) or before the answer (`full`). */
export type AuditSync = 'batched' | 'full';

export type Config = {
  dataDir: string;
  databaseUrl: string | undefined;
  /** DATABASE_OWNER_URL: migrations and restores run as the owner; unset, DATABASE_URL does both. */
  databaseOwnerUrl: string | undefined;
  port: number;
  host: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  sessionTtlMinutes: number;
  sessionIdleMinutes: number;
  cookieSecure: boolean;
  login: LoginPolicy;
  mode: 'demo' | 'production';
  /** SHILIUZI_MASTER_KEY as given; read through lib/keys.ts only. */
  masterKey: string | undefined;
  /** SHILIUZI_KEY_FILE, resolved. */
  keyFile: string | undefined;
  /** SHILIUZI_OLD_KEY_FILES, resolved: earlier master keys whose sealed fields are still read. */
  oldKeyFiles: string[];
  /** Scheduled backups (off when intervalHours is 0). */
  backup: BackupSchedule;
  /** Days audit rows are kept (at least 180). */
  auditRetentionDays: number;
  /** Largest attachment (a visit's photo) accepted, in bytes. */
  attachmentMaxBytes: number;
  /** Whether the server runs the retention job of records every day. */
  retentionSchedule: 'daily' | 'off';
  /** When audit rows reach the disk (docs/SECURITY.md, audit trail). */
  auditSync: AuditSync;
};

export interface BackupSchedule {
  dir: string | undefined;
  intervalHours: number;
  keep: number;
}

/** Parses the environment once; the only place that reads `process.env`. Fails fast on bad values. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  const e = parsed.data;
  if (e.BACKUP_INTERVAL_HOURS > 0 && !e.BACKUP_DIR) {
    throw new Error('Invalid configuration:\n  BACKUP_DIR: required when BACKUP_INTERVAL_HOURS is above 0');
  }
  return {
    dataDir: path.resolve(e.SHILIUZI_DATA_DIR),
    databaseUrl: e.DATABASE_URL || undefined,
    databaseOwnerUrl: e.DATABASE_URL ? e.DATABASE_OWNER_URL || undefined : undefined,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    sessionTtlMinutes: e.SESSION_TTL_MINUTES,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    cookieSecure: e.COOKIE_SECURE,
    login: {
      maxFailures: e.LOGIN_MAX_FAILURES,
      lockMinutes: e.LOGIN_LOCK_MINUTES,
      attemptsPerIpMinute: e.LOGIN_ATTEMPTS_PER_IP_MINUTE,
      passwordMaxAgeDays: e.PASSWORD_MAX_AGE_DAYS,
      totpRequiredRoles:
        e.TOTP_REQUIRED_ROLES === undefined
          ? e.SHILIUZI_MODE === 'production'
            ? PRODUCTION_TOTP_ROLES
            : []
          : e.TOTP_REQUIRED_ROLES.split(',')
              .map((role) => role.trim())
              .filter((role): role is Role => (roles as readonly string[]).includes(role)),
    },
    mode: e.SHILIUZI_MODE,
    masterKey: e.SHILIUZI_MASTER_KEY || undefined,
    keyFile: e.SHILIUZI_KEY_FILE ? path.resolve(e.SHILIUZI_KEY_FILE) : undefined,
    oldKeyFiles: (e.SHILIUZI_OLD_KEY_FILES ?? '')
      .split(',')
      .map((file) => file.trim())
      .filter(Boolean)
      .map((file) => path.resolve(file)),
    backup: {
      dir: e.BACKUP_DIR ? path.resolve(e.BACKUP_DIR) : undefined,
      intervalHours: e.BACKUP_INTERVAL_HOURS,
      keep: e.BACKUP_KEEP,
    },
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    attachmentMaxBytes: Math.round(e.ATTACHMENT_MAX_MB * 1024 * 1024),
    retentionSchedule: e.RETENTION_SCHEDULE,
    auditSync: e.AUDIT_SYNC,
  };
}
