import path from 'node:path';
import { z } from 'zod';

/**
 * Environment parsed once, here, by zod. Development gets working defaults so that
 * `npm start` needs nothing; production refuses to start without real secrets,
 * because a default secret in production is a silent security hole.
 */
const DEV_SECRET = 'heard-development-secret-not-for-production-use';

const booleanish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : ['true', '1', 'yes'].includes(v)));

/** A whole number setting; empty means unset (so `PORT=` in a .env file keeps the default, not port 0). */
const wholeNumber = (min: number, max: number, fallback: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return z
    .string()
    .optional()
    .transform((v) => (v === undefined || v.trim() === '' ? fallback : Number(v)))
    .pipe(z.number({ error: message }).int(message).min(min, message).max(max, message));
};

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: wholeNumber(0, 65535, 3000),
  PUBLIC_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().optional(),
  DATABASE_POOL_SIZE: wholeNumber(1, 200, 10),
  SESSION_SECRET: z.string().min(32).optional(),
  DEMO_SEED: booleanish,
  DEMO_PASSWORD: z.string().min(8).default('heard-demo-2026'),
  DEMO_TOTP_SECRET: z.string().default('JBSWY3DPEHPK3PXP'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  /** Outgoing mail server, e.g. smtp://127.0.0.1:1025. Unset: mail is written as .eml files. */
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Heard <no-reply@demo.heard.test>'),
  /** The inbound SMTP listener: 0 turns it off. */
  SMTP_PORT: wholeNumber(0, 65535, 2525),
  SMTP_HOST: z.string().default('0.0.0.0'),
  SMTP_MAX_BYTES: wholeNumber(1024, 100 * 1024 * 1024, 15 * 1024 * 1024),
  /** PEM files; when both are set the listener offers STARTTLS. */
  SMTP_TLS_KEY: z.string().optional(),
  SMTP_TLS_CERT: z.string().optional(),
  /** Poll a mailbox instead of (or as well as) listening, e.g. imaps://user:pass@outlook.office365.com/INBOX. */
  IMAP_URL: z.string().optional(),
  /** Which partnership the IMAP mailbox belongs to (its slug). */
  IMAP_PARTNERSHIP: z.string().optional(),
  TRUST_PROXY: booleanish,
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: 'development' | 'test' | 'production';
  production: boolean;
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  sessionSecret: string;
  demoSeed: boolean;
  demoPassword: string;
  demoTotpSecret: string;
  logLevel: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Where .eml files go when there is no SMTP_URL. */
  outboxDir: string;
  smtpPort: number;
  smtpHost: string;
  smtpMaxBytes: number;
  smtpTlsKey: string | undefined;
  smtpTlsCert: string | undefined;
  imapUrl: string | undefined;
  imapPartnership: string | undefined;
  trustProxy: boolean;
  /** Cookies carry the Secure flag everywhere but plain-http development and tests. */
  secureCookies: boolean;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

export function parseConfig(source: NodeJS.ProcessEnv = process.env): ConfigResult {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    };
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const errors: string[] = [];
  if (production && !e.SESSION_SECRET) errors.push('SESSION_SECRET: required in production (32+ characters)');
  if (production && !e.DATABASE_URL) errors.push('DATABASE_URL: required in production');
  if (production && !e.PUBLIC_URL) errors.push('PUBLIC_URL: required in production');
  if (errors.length > 0) return { ok: false, errors };

  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  return {
    ok: true,
    config: {
      env: e.NODE_ENV,
      production,
      host: e.HOST,
      port: e.PORT,
      publicUrl,
      dataDir: e.DATA_DIR,
      databaseUrl: e.DATABASE_URL || undefined,
      databasePoolSize: e.DATABASE_POOL_SIZE,
      sessionSecret: e.SESSION_SECRET ?? DEV_SECRET,
      // Demo data is on by default outside production and can never be switched on in production.
      demoSeed: !production && (e.DEMO_SEED ?? true),
      demoPassword: e.DEMO_PASSWORD,
      demoTotpSecret: e.DEMO_TOTP_SECRET,
      logLevel: e.LOG_LEVEL ?? (e.NODE_ENV === 'test' ? 'silent' : 'info'),
      smtpUrl: e.SMTP_URL || undefined,
      mailFrom: e.MAIL_FROM,
      outboxDir: path.join(e.DATA_DIR, 'outbox'),
      smtpPort: e.SMTP_PORT,
      smtpHost: e.SMTP_HOST,
      smtpMaxBytes: e.SMTP_MAX_BYTES,
      smtpTlsKey: e.SMTP_TLS_KEY || undefined,
      smtpTlsCert: e.SMTP_TLS_CERT || undefined,
      imapUrl: e.IMAP_URL || undefined,
      imapPartnership: e.IMAP_PARTNERSHIP || undefined,
      trustProxy: e.TRUST_PROXY ?? false,
      secureCookies: publicUrl.startsWith('https://'),
    },
  };
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const result = parseConfig(source);
  if (!result.ok) {
    throw new Error(`Invalid configuration:\n  ${result.errors.join('\n  ')}`);
  }
  return result.config;
}

/** A config for tests: development defaults, quiet logs, no demo seeding unless asked. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ NODE_ENV: 'test', DEMO_SEED: 'false' }), ...overrides };
}
