/**
 * The one place that reads process.env. Every setting is listed in the README.
 */
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === '' ? undefined : value));

const environment = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  PUBLIC_URL: optionalString.pipe(z.url().optional()),
  HTTPS: optionalString.pipe(z.enum(['off', 'self-signed']).optional()),
  DATABASE_URL: optionalString,
  DATABASE_MIGRATION_URL: optionalString,
  DATABASE_PREPARED_STATEMENTS: z.enum(['0', '1']).default('1'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATABASE_STATEMENT_TIMEOUT_SECONDS: z.coerce.number().positive().max(3600).default(30),
  REQUEST_DEADLINE_SECONDS: z.coerce.number().positive().max(3600).default(60),
  DATA_DIR: z.string().default(`${repoRoot}.data`),
  WEB_BUILD_DIR: z.string().default(`${repoRoot}web/build`),
  SESSION_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  TRUST_PROXY: z.string().default('false'),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
  PUBLIC_REQUEST_LIMIT: z.coerce.number().int().min(1).default(5),
  SPOT_CHECK_ANSWER_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
  SPOT_CHECK_POSITION_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  APP_SECRET: optionalString.pipe(z.string().min(32, 'at least 32 characters').optional()),
  WEB_FORWARDING_KEY: optionalString.pipe(z.string().min(32, 'at least 32 characters').optional()),
  JOBS_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(3600).optional(),
  REDIS_URL: optionalString.pipe(z.url().optional()),
  // Empty is unset (off), not port 0.
  METRICS_PORT: z
    .union([z.literal('').transform(() => undefined), z.coerce.number().int().min(0).max(65_535)])
    .optional(),
  METRICS_HOST: optionalString,
  WORKER_THREADS: z.coerce.number().int().min(1).max(64).optional(),
  WORKER_IDLE_SECONDS: z.coerce.number().positive().max(3600).default(30),
  BENCH: z.enum(['0', '1']).default('0'),
  SMTP_URL: optionalString.pipe(
    z
      .string()
      .regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL')
      .optional(),
  ),
  MAIL_FROM: optionalString,
  SMS_PROVIDER: optionalString.pipe(z.enum(['log', 'aliyun', 'tencent']).optional()),
  SMS_ACCESS_KEY_ID: optionalString,
  SMS_ACCESS_KEY_SECRET: optionalString,
  SMS_SIGN_NAME: optionalString,
  SMS_SDK_APP_ID: optionalString,
  SMS_REGION: optionalString,
  SMS_ENDPOINT: optionalString.pipe(z.url().optional()),
  DELIVERY_TIMEOUT_SECONDS: z.coerce.number().positive().max(120).default(10),
});

/** The settings as they arrive: strings, by name (SMS_TEMPLATE_<KIND>: one per message kind). */
export type Environment = Partial<Record<keyof z.infer<typeof environment> | `SMS_TEMPLATE_${string}`, string>>;

/** How messages leave: SMS through a provider (or only the log), email through SMTP (or only the log). */
export interface DeliveryConfig {
  sms:
    | { provider: 'log' }
    | {
        provider: 'aliyun' | 'tencent';
        accessKeyId: string;
        accessKeySecret: string;
        signName: string;
        /** Tencent Cloud's SmsSdkAppId (unused by Alibaba Cloud). */
        sdkAppId: string;
        region: string;
        /** The provider's API address; another one only for tests (a local fake) or a private gateway. */
        endpoint: string | undefined;
        /** Template id per message kind (SMS_TEMPLATE_<KIND>). */
        templates: Record<string, string>;
      };
  email: { url: string; from: string } | null;
  /** How long one attempt at one message may take before it counts as failed (and is retried). */
  timeoutMs: number;
}

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** Where people reach the app; its scheme decides whether cookies are Secure. */
  publicUrl: URL;
  /** `self-signed`: serve HTTPS with a certificate made and kept under DATA_DIR/tls (for phones on a LAN). */
  https: 'off' | 'self-signed';
  dataDir: string;
  database: {
    url: string | undefined;
    /** Where migrations run at start, over a direct connection (not a transaction-mode pooler). */
    migrationUrl: string | undefined;
    /** Named prepared statements; off for PgBouncer before 1.21 in transaction mode. */
    preparedStatements: boolean;
    poolSize: number;
    pgliteDir: string;
    /** How long one statement of a request's transaction may run, in milliseconds. */
    statementTimeoutMs: number;
  };
  /** How long a request may take before it is answered UNAVAILABLE, in milliseconds. */
  requestDeadlineMs: number;
  webBuildDir: string;
  sessionTtlDays: number;
  /** Fastify's `trustProxy`: which proxies' X-Forwarded-For to believe; false: none. */
  trustProxy: boolean | string;
  rateLimitPerMinute: number;
  /** Requests from the public (群众需求) one client address may submit per hour. */
  publicRequestLimit: number;
  /** A spot check (随机打卡) not answered within this many minutes is marked unanswered; a later answer is late. */
  spotCheckAnswerMinutes: number;
  /** A spot check's position (sensitive personal information, PIPL) is erased this many days after the answer. */
  spotCheckPositionRetentionDays: number;
  logLevel: string;
  /** Signs what must not be forged (check-in codes); the same on every instance and across restarts. */
  appSecret: string;
  /** Signs the client address our own web server passes to the API (plugins/client-address.ts). */
  webForwardingKey: string;
  /** How often the notification outbox and the reminder scheduler run, in seconds; 0: not in this process. */
  jobsIntervalSeconds: number;
  /** Redis for live events across instances; undefined: in this process only. */
  redisUrl: string | undefined;
  /**
   * Prometheus metrics (plugins/metrics.ts) on a port of their own, never the public one; null: off.
   * Port 0: any free port (tests).
   */
  metrics: { host: string; port: number } | null;
  /** The worker threads for CPU-heavy work (plugins/workers.ts): at most `threads`, each ending after `idleSeconds` idle. */
  workers: { threads: number; idleSeconds: number };
  /** `pnpm bench`: counts SQL statements and adds the /__bench/ routes. Never on in a real deployment. */
  bench: boolean;
  delivery: DeliveryConfig;
}

/**
 * The web server serving pages in this process tells the API whose request it
 * is with a key made here, at start: nothing outside the process knows it.
 * `pnpm dev`, whose web server is another process, gives both WEB_FORWARDING_KEY.
 */
const PROCESS_FORWARDING_KEY = randomBytes(32).toString('base64url');

/** TRUST_PROXY as Fastify takes it: true/false, or addresses, CIDRs and proxy-addr's names (loopback, …). */
function trustProxy(value: string): boolean | string {
  const setting = value.trim();
  if (setting === 'true') return true;
  if (setting === 'false' || setting === '') return false;
  return setting;
}

/** Only for tests: never used outside NODE_ENV=test. */
const TEST_APP_SECRET = 'qicai-test-secret-not-for-any-real-deployment';

/**
 * APP_SECRET: required in production. In development a random one is made
 * once and kept in the data folder, so codes survive a restart (a secret per
 * process would not) and every process sharing that folder agrees on it.
 */
function appSecret(env: 'development' | 'production' | 'test', given: string | undefined, dataDir: string): string {
  if (given) return given;
  if (env === 'production')
    throw new Error('Invalid settings:\n  APP_SECRET: required in production (32 characters or more)');
  if (env === 'test') return TEST_APP_SECRET;
  const file = `${dataDir}/app-secret`;
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    try {
      // 'wx': of two processes starting at once, one writes it and both read the same.
      writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if (!(error instanceof Error && 'code' in error && error.code === 'EEXIST')) throw error;
    }
  }
  return readFileSync(file, 'utf8').trim();
}

function deliveryConfig(env: z.infer<typeof environment>, source: Record<string, string | undefined>): DeliveryConfig {
  const problems: string[] = [];
  const provider = env.SMS_PROVIDER ?? 'log';
  const templates = Object.fromEntries(
    Object.entries(source).flatMap(([name, value]) => {
      const kind = /^SMS_TEMPLATE_([A-Z_]+)$/.exec(name)?.[1];
      return kind && value ? [[kind, value]] : [];
    }),
  );
  const required = (name: keyof z.infer<typeof environment>, value: string | undefined): string => {
    if (!value) problems.push(`  ${name}: required with SMS_PROVIDER=${provider}`);
    return value ?? '';
  };
  const sms: DeliveryConfig['sms'] =
    provider === 'log'
      ? { provider }
      : {
          provider,
          accessKeyId: required('SMS_ACCESS_KEY_ID', env.SMS_ACCESS_KEY_ID),
          accessKeySecret: required('SMS_ACCESS_KEY_SECRET', env.SMS_ACCESS_KEY_SECRET),
          signName: required('SMS_SIGN_NAME', env.SMS_SIGN_NAME),
          sdkAppId: provider === 'tencent' ? required('SMS_SDK_APP_ID', env.SMS_SDK_APP_ID) : '',
          region: env.SMS_REGION ?? (provider === 'tencent' ? 'ap-guangzhou' : 'cn-hangzhou'),
          endpoint: env.SMS_ENDPOINT,
          templates,
        };
  if (env.SMTP_URL && !env.MAIL_FROM) problems.push('  MAIL_FROM: required with SMTP_URL');
  if (problems.length > 0) throw new Error(`Invalid settings:\n${problems.join('\n')}`);
  return {
    sms,
    email: env.SMTP_URL && env.MAIL_FROM ? { url: env.SMTP_URL, from: env.MAIL_FROM } : null,
    timeoutMs: Math.round(env.DELIVERY_TIMEOUT_SECONDS * 1000),
  };
}

export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = environment.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`Invalid settings:\n${problems}`);
  }
  const env = parsed.data;
  const https = env.HTTPS ?? 'off';
  const publicUrl = new URL(env.PUBLIC_URL ?? `${https === 'off' ? 'http' : 'https'}://localhost:${env.PORT}`);
  const localHost = ['localhost', '127.0.0.1', '[::1]'].includes(publicUrl.hostname);
  if (env.NODE_ENV === 'production' && publicUrl.protocol !== 'https:' && !localHost) {
    throw new Error('Invalid settings:\n  PUBLIC_URL: must be https in production (session cookies are Secure)');
  }
  if (env.METRICS_PORT !== undefined && env.METRICS_PORT !== 0 && env.METRICS_PORT === env.PORT) {
    throw new Error('Invalid settings:\n  METRICS_PORT: must differ from PORT (metrics are not for the public)');
  }
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    publicUrl,
    https,
    dataDir: env.DATA_DIR,
    database: {
      url: env.DATABASE_URL,
      migrationUrl: env.DATABASE_MIGRATION_URL ?? env.DATABASE_URL,
      preparedStatements: env.DATABASE_PREPARED_STATEMENTS === '1',
      poolSize: env.DATABASE_POOL_SIZE,
      pgliteDir: `${env.DATA_DIR}/pglite`,
      statementTimeoutMs: Math.round(env.DATABASE_STATEMENT_TIMEOUT_SECONDS * 1000),
    },
    requestDeadlineMs: Math.round(env.REQUEST_DEADLINE_SECONDS * 1000),
    webBuildDir: env.WEB_BUILD_DIR,
    sessionTtlDays: env.SESSION_TTL_DAYS,
    trustProxy: trustProxy(env.TRUST_PROXY),
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    publicRequestLimit: env.PUBLIC_REQUEST_LIMIT,
    spotCheckAnswerMinutes: env.SPOT_CHECK_ANSWER_MINUTES,
    spotCheckPositionRetentionDays: env.SPOT_CHECK_POSITION_RETENTION_DAYS,
    logLevel: env.LOG_LEVEL,
    appSecret: appSecret(env.NODE_ENV, env.APP_SECRET, env.DATA_DIR),
    webForwardingKey: env.WEB_FORWARDING_KEY ?? PROCESS_FORWARDING_KEY,
    // Tests run the workers' functions themselves, when they want.
    jobsIntervalSeconds: env.JOBS_INTERVAL_SECONDS ?? (env.NODE_ENV === 'test' ? 0 : 15),
    redisUrl: env.REDIS_URL,
    metrics: env.METRICS_PORT === undefined ? null : { host: env.METRICS_HOST ?? env.HOST, port: env.METRICS_PORT },
    // One core stays with the event loop that answers every request.
    workers: {
      threads: env.WORKER_THREADS ?? Math.max(1, availableParallelism() - 1),
      idleSeconds: env.WORKER_IDLE_SECONDS,
    },
    bench: env.BENCH === '1',
    delivery: deliveryConfig(env, source),
  };
}
