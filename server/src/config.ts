import path from 'node:path';
import { z } from 'zod';

const envSchema = z.object({
  SHILIUZI_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Session lifetime in minutes; hardening (idle/absolute timeouts) builds on it. */
  SESSION_TTL_MINUTES: z.coerce.number().int().positive().default(480),
  /** Set when the server is behind TLS so cookies get the Secure flag. */
  COOKIE_SECURE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** `demo` loads demo data and demo logins on start; `production` refuses to. */
  SHILIUZI_MODE: z.enum(['demo', 'production']).default('demo'),
});

export type Config = {
  dataDir: string;
  databaseUrl: string | undefined;
  port: number;
  host: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  sessionTtlMinutes: number;
  cookieSecure: boolean;
  mode: 'demo' | 'production';
};

/** Parses the environment once; the only place that reads `process.env`. Fails fast on bad values. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  const e = parsed.data;
  return {
    dataDir: path.resolve(e.SHILIUZI_DATA_DIR),
    databaseUrl: e.DATABASE_URL || undefined,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    sessionTtlMinutes: e.SESSION_TTL_MINUTES,
    cookieSecure: e.COOKIE_SECURE,
    mode: e.SHILIUZI_MODE,
  };
}
