import { join } from 'node:path';
import { z } from 'zod';
import type { BillingCycle } from './db/schema.js';
import { planLimitsEnvSchema, defaultPlanLimits, type PlanLimitTable } from './modules/billing/plan-limits.js';
import type { OutboundOptions } from './lib/outbound/outbound-fetch.js';
import { defaultCrawlScheduleOptions, type CrawlLimits, type CrawlScheduleOptions } from './modules/sources/websites/crawl-limits.js';
import { defaultWebhookOptions, type WebhookOptions } from './modules/webhooks/webhook-options.js';
import type { S3StorageConfig } from './modules/sources/contents/storage/s3-file-storage.js';
import type { ExtractionLimits } from './modules/sources/extract/types.js';
import { ANTHROPIC_BASE_URL, OPENAI_BASE_URL } from './modules/llm/sdk-clients.js';

/** Accepts "true/false/1/0/yes/no" from the environment. */
const envBoolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalUrl = (protocols: string[]) =>
  z
    .url({ error: `must be a URL (${protocols.join(', ')})` })
    .refine((v) => protocols.some((p) => v.startsWith(`${p}:`)), `must start with ${protocols.map((p) => `${p}://`).join(' or ')}`)
    .optional();

/** MODEL_PRICES: JSON of USD per 1M tokens by model name, e.g. {"gpt-4o": {"input": 2.5, "output": 10}}. */
const usdPerMillion = z.number({ error: 'must be a number (USD per 1M tokens)' }).min(0, 'must not be negative').max(100_000, 'is too large for USD per 1M tokens');
const modelPrices = z
  .string()
  .transform((raw, ctx) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON like {"gpt-4o": {"input": 2.5, "output": 10}} (USD per 1M tokens)' });
      return z.NEVER;
    }
  })
  .pipe(
    z.record(
      z.string().trim().min(1).max(200),
      z.strictObject(
        { input: usdPerMillion, output: usdPerMillion.default(0) },
        {
          error: (issue) =>
            issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.join(', ')} (only input and output)` : 'must be an object {"input": USD, "output": USD}',
        },
      ),
      { error: (issue) => (issue.code === 'invalid_key' ? 'a model name must be 1-200 characters' : 'must be a JSON object of model names') },
    ),
  );

const stripePrice = z.string().trim().regex(/^price_\w+$/, 'must be a Stripe price id (price_…)').optional();

/** Where the Stripe SDK sends its requests: scheme, host and port only (the SDK adds /v1/). */
const stripeApiBase = optionalUrl(['http', 'https']).refine((v) => v === undefined || ['', '/'].includes(new URL(v).pathname), 'must be scheme://host[:port] without a path');

const positiveInt = (name: string) => z.coerce.number({ error: `${name} must be a number` }).int('must be a whole number').positive('must be positive');

/** The environment, validated once at start-up. Every variable is listed in .env.example. */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: optionalUrl(['http', 'https']),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: optionalUrl(['postgres', 'postgresql']),
  DATABASE_POOL_SIZE: positiveInt('DATABASE_POOL_SIZE').max(200).default(10),
  REDIS_URL: optionalUrl(['redis', 'rediss']),
  REDIS_KEY_PREFIX: z.string().regex(/^[\w:.-]{1,64}$/, 'must be 1-64 letters, digits, or _ : . -').default('shiori'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes encoded as base64 (openssl rand -base64 32)')
    .optional(),
  TRUST_PROXY: envBoolean.default(false),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  RATE_LIMIT_AUTH_PER_MINUTE: positiveInt('RATE_LIMIT_AUTH_PER_MINUTE').default(10),
  RATE_LIMIT_AUTH_ADDRESS_PER_MINUTE: positiveInt('RATE_LIMIT_AUTH_ADDRESS_PER_MINUTE').default(300),
  LOGIN_MAX_FAILURES: positiveInt('LOGIN_MAX_FAILURES').default(5),
  LOGIN_ADDRESS_MAX_FAILURES: positiveInt('LOGIN_ADDRESS_MAX_FAILURES').default(30),
  LOGIN_LOCK_MINUTES: positiveInt('LOGIN_LOCK_MINUTES').default(15),
  RATE_LIMIT_UPLOAD_PER_MINUTE: positiveInt('RATE_LIMIT_UPLOAD_PER_MINUTE').default(10),
  RATE_LIMIT_SEARCH_PER_MINUTE: positiveInt('RATE_LIMIT_SEARCH_PER_MINUTE').default(60),
  RATE_LIMIT_CHAT_PER_MINUTE: positiveInt('RATE_LIMIT_CHAT_PER_MINUTE').default(60),
  RATE_LIMIT_WIDGET_VISITOR_PER_MINUTE: positiveInt('RATE_LIMIT_WIDGET_VISITOR_PER_MINUTE').default(10),
  RATE_LIMIT_WIDGET_IP_PER_MINUTE: positiveInt('RATE_LIMIT_WIDGET_IP_PER_MINUTE').default(30),
  INGESTION_WORKER: z.enum(['inline', 'off'], { error: 'must be inline or off' }).default('inline'),
  INGESTION_CONCURRENCY: positiveInt('INGESTION_CONCURRENCY').max(32).default(2),
  INGESTION_LEASE_SECONDS: positiveInt('INGESTION_LEASE_SECONDS').min(3, 'must be at least 3').max(3600).default(60),
  FILE_STORAGE: z.enum(['local', 's3'], { error: 'must be local or s3' }).default('local'),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name: 3-63 lowercase letters, digits, dots and hyphens').optional(),
  S3_REGION: z.string().regex(/^[a-z0-9-]{1,40}$/, 'must be a region name like ap-northeast-1 (us-east-1 for MinIO, auto for Cloudflare R2)').optional(),
  S3_ENDPOINT: optionalUrl(['http', 'https']),
  S3_FORCE_PATH_STYLE: envBoolean.default(false),
  S3_KEY_PREFIX: z.string().regex(/^((?!\.{1,2}\/)[\w.-]+\/){1,8}$/, 'must be folder names ending in / (letters, digits, _ . -; not . or ..), e.g. shiori/ or prod/shiori/').optional(),
  S3_ACCESS_KEY_ID: z.string().regex(/^\S{1,256}$/, 'must be an access key id (no spaces)').optional(),
  S3_SECRET_ACCESS_KEY: z.string().regex(/^\S{1,256}$/, 'must be a secret access key (no spaces)').optional(),
  EXTRACTION_TIMEOUT_SECONDS: positiveInt('EXTRACTION_TIMEOUT_SECONDS').max(3600).default(120),
  OCR_MAX_PAGES: z.coerce.number({ error: 'OCR_MAX_PAGES must be a number' }).int('must be a whole number').min(0, 'must be 0 (OCR off) or more').max(2000).default(50),
  OCR_PAGE_TIMEOUT_SECONDS: positiveInt('OCR_PAGE_TIMEOUT_SECONDS').max(600).default(30),
  OCR_TIMEOUT_SECONDS: positiveInt('OCR_TIMEOUT_SECONDS').max(3600).default(90),
  OCR_DPI: positiveInt('OCR_DPI').min(72, 'must be at least 72').max(600, 'must be at most 600').default(300),
  ORPHAN_FILE_SECONDS: positiveInt('ORPHAN_FILE_SECONDS').min(5, 'must be at least 5').max(7 * 86_400).default(3600),
  INVITATION_TTL_HOURS: positiveInt('INVITATION_TTL_HOURS').default(72),
  EMBEDDING_TIMEOUT_SECONDS: positiveInt('EMBEDDING_TIMEOUT_SECONDS').max(600).default(60),
  EMBEDDING_BATCH_SIZE: positiveInt('EMBEDDING_BATCH_SIZE').max(2048).default(96),
  LLM_OPENAI_BASE_URL: optionalUrl(['http', 'https']),
  LLM_ANTHROPIC_BASE_URL: optionalUrl(['http', 'https']),
  LLM_TIMEOUT_SECONDS: positiveInt('LLM_TIMEOUT_SECONDS').max(600).default(60),
  LLM_MAX_RETRIES: z.coerce.number({ error: 'LLM_MAX_RETRIES must be a number' }).int('must be a whole number').min(0, 'must be 0 or more').max(10).default(2),
  OUTBOUND_ALLOW_PRIVATE_NETWORKS: envBoolean.default(false),
  CRAWL_MAX_PAGES: positiveInt('CRAWL_MAX_PAGES').max(100_000).default(500),
  CRAWL_MAX_DEPTH: z.coerce.number({ error: 'CRAWL_MAX_DEPTH must be a number' }).int('must be a whole number').min(0).max(50).default(5),
  CRAWL_MAX_PAGE_BYTES: positiveInt('CRAWL_MAX_PAGE_BYTES').min(1024).max(100 * 1024 * 1024).default(5 * 1024 * 1024),
  CRAWL_PAGE_TIMEOUT_SECONDS: positiveInt('CRAWL_PAGE_TIMEOUT_SECONDS').max(300).default(20),
  CRAWL_MAX_MINUTES: positiveInt('CRAWL_MAX_MINUTES').max(24 * 60).default(60),
  CRAWL_CONCURRENCY: positiveInt('CRAWL_CONCURRENCY').max(8).default(2),
  VECTOR_INDEX: z.enum(['auto', 'hnsw', 'exact'], { error: 'must be auto, hnsw or exact' }).default('auto'),
  MODEL_PRICES: modelPrices.optional(),
  STRIPE_SECRET_KEY: z.string().trim().regex(/^(sk|rk)_\w+$/, 'must be a Stripe secret key (sk_live_…, sk_test_…) or restricted key (rk_…)').optional(),
  STRIPE_WEBHOOK_SECRET: z.string().trim().regex(/^whsec_\w+$/, 'must be the webhook endpoint’s signing secret (whsec_…)').optional(),
  STRIPE_PRICE_PRO_MONTHLY: stripePrice,
  STRIPE_PRICE_PRO_YEARLY: stripePrice,
  STRIPE_PRICE_ENTERPRISE_MONTHLY: stripePrice,
  STRIPE_PRICE_ENTERPRISE_YEARLY: stripePrice,
  STRIPE_API_BASE: stripeApiBase,
  PLAN_LIMITS: planLimitsEnvSchema.optional(),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  /**
   * PUBLIC_URL: the origin browsers see (scheme://host:port), for CSRF checks, cookies and links.
   * Unset, each request's own origin is used (`request.publicUrl`, src/http/public-url.ts).
   */
  publicUrl: string | undefined;
  dataDir: string;
  /** PostgreSQL server when `url` is set; otherwise PGlite in `pgliteDir` (in memory when that is unset too). */
  database: { url?: string; poolSize: number; pgliteDir?: string };
  redisUrl?: string;
  /** Namespaces every Redis key, so several deployments (or test runs) can share one Redis. */
  redisKeyPrefix: string;
  logLevel: Env['LOG_LEVEL'];
  jwtSecret?: string;
  encryptionKey?: Buffer;
  trustProxy: boolean;
  cookieSecure: boolean;
  rateLimits: {
    /** Sign-in attempts per account a minute; registrations per client address (docs/decisions.md C10, D10). */
    authPerMinute: number;
    /** Every auth request per client address a minute: a flood ceiling that a whole office behind one NAT stays under. */
    authAddressPerMinute: number;
    uploadPerMinute: number;
    searchPerMinute: number;
    /** Per user on /chats/rag, per widget key on the widget chat (docs/decisions.md C10). */
    chatPerMinute: number;
    widgetVisitorPerMinute: number;
    widgetIpPerMinute: number;
    loginMaxFailures: number;
    /** Failed logins from one address, on any accounts, before it is locked out of logging in (a password spray). */
    loginAddressMaxFailures: number;
    loginLockMinutes: number;
  };
  /** Stripe (docs/decisions.md D11). Checkout and the portal need the secret key; the webhook needs its signing secret. */
  billing: BillingConfig;
  /**
   * Documents, storage, messages a month and members per plan: the defaults with PLAN_LIMITS laid over them.
   * Null on a self-hosted server (no Stripe key, no PLAN_LIMITS): there is nothing to upgrade to, so nothing is capped.
   */
  planLimits: PlanLimitTable | null;
  /** Uploaded files live under this folder (DATA_DIR/files)… */
  filesDir: string;
  /** …or in this bucket, with FILE_STORAGE=s3: what lets several machines share them. */
  s3?: S3StorageConfig;
  /** `inline` runs the ingestion worker inside the server; `off` leaves it to `shiori worker` processes. */
  ingestion: { inline: boolean; concurrency: number; pollMs: number; leaseSeconds: number };
  /**
   * Reading one file in its child process: the time it may take in all, and OCR of scanned PDF
   * pages (pages at most, 0 = off; time per page and in all, which must leave room for the rest; resolution).
   */
  extraction: Pick<ExtractionLimits, 'timeoutMs' | 'ocrMaxPages' | 'ocrPageTimeoutMs' | 'ocrTimeoutMs' | 'ocrDpi'>;
  /** A stored file with no document, untouched this long, was left by a server that died mid-upload: it is removed. */
  orphanFileSeconds: number;
  invitationTtlHours: number;
  /** Calls to the tenants' embedding providers: per-request timeout, the SDK's retries, inputs per request. */
  embeddings: { timeoutMs: number; maxRetries: number; batch: { maxInputs: number; maxTokens: number } };
  /**
   * Calls to the tenants' chat models: the wait for an answer to start, and the longest silence
   * within a streamed answer; the SDK's retries of a request that failed before answering.
   */
  llm: { timeoutMs: number; maxRetries: number };
  /** API roots for keys of provider `openai` and `anthropic` (a company gateway); the providers' own by default. */
  providerUrls: { openai: string; anthropic: string };
  /**
   * URLs a tenant sets (an openai-compatible base_url) may reach loopback and private networks
   * only when this is on; link-local and metadata addresses never (src/lib/outbound/). Tests may
   * add a `resolve` of their own (DNS rebinding).
   */
  outbound: OutboundOptions;
  /** Website sources: the limits of one crawl (src/modules/sources/websites/README.md). */
  crawl: CrawlLimits;
  /** How often the worker looks for websites due a re-sync (src/modules/sources/websites/crawl-scheduler.ts). */
  crawlSchedule: CrawlScheduleOptions;
  /** Webhook deliveries: one attempt's timeout and the waits between attempts (src/modules/webhooks/README.md). */
  webhooks: WebhookOptions;
  /** HNSW indexes for vector search, or exact search only; `auto` = HNSW on PostgreSQL, exact on PGlite. */
  vectorIndex: 'auto' | 'hnsw' | 'exact';
  /** USD per 1M input / output tokens by model name, laid over the built-in prices (src/modules/usage/prices.ts). */
  modelPrices: Record<string, { input: number; output: number }>;
}

export type PaidPlan = 'PRO' | 'ENTERPRISE';

export interface BillingConfig {
  /** True when the secret key is set: Checkout and the portal can be used. */
  enabled: boolean;
  stripeSecretKey?: string;
  stripeWebhookSecret?: string;
  /** Stripe price ids by plan and cycle; a missing one cannot be bought. */
  prices: Record<PaidPlan, Partial<Record<BillingCycle, string>>>;
  /** Another Stripe API server (stripe-mock, the tests' fake); api.stripe.com when unset. */
  stripeApi?: { host: string; port: number; protocol: 'http' | 'https' };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Variables whose values a configuration error never repeats: it goes to logs and terminals. */
const SECRET_VARIABLES = new Set(['JWT_SECRET', 'ENCRYPTION_KEY', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET', 'S3_SECRET_ACCESS_KEY']);

const S3_VARIABLES = ['S3_BUCKET', 'S3_REGION', 'S3_ENDPOINT', 'S3_FORCE_PATH_STYLE', 'S3_KEY_PREFIX', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;

/** What FILE_STORAGE=s3 needs, and S3 settings that would otherwise be silently ignored. */
function fileStorageProblems(env: Env, given: Record<string, unknown>): string[] {
  if (env.FILE_STORAGE === 'local') {
    return S3_VARIABLES.filter((name) => name in given).map((name) => `${name}: is set but FILE_STORAGE is local (uploads go to DATA_DIR/files); set FILE_STORAGE=s3 to use the bucket`);
  }
  const problems: string[] = [];
  if (!env.S3_BUCKET) problems.push('S3_BUCKET: is required with FILE_STORAGE=s3 (the bucket that holds the uploaded files)');
  if (!env.S3_REGION) problems.push('S3_REGION: is required with FILE_STORAGE=s3 (e.g. ap-northeast-1; us-east-1 for MinIO, auto for Cloudflare R2)');
  if ((env.S3_ACCESS_KEY_ID === undefined) !== (env.S3_SECRET_ACCESS_KEY === undefined)) {
    const missing = env.S3_ACCESS_KEY_ID === undefined ? 'S3_ACCESS_KEY_ID' : 'S3_SECRET_ACCESS_KEY';
    problems.push(`${missing}: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together; set both, or neither to use the AWS SDK's default credentials (AWS_* variables, ~/.aws, the instance or task role)`);
  }
  return problems;
}

/** Parses the environment into a Config, or throws ConfigError with one line per bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const [first, ...inner] = issue.path.map(String);
        const name = first ?? 'environment';
        // Inside a JSON variable the line names the entry (MODEL_PRICES["gpt-4o"].input) instead of repeating the whole value.
        if (inner.length > 0) return `${name}${inner.map((key, i) => (i === 0 ? `[${JSON.stringify(key)}]` : `.${key}`)).join('')}: ${issue.message}`;
        const got = name in cleaned && !SECRET_VARIABLES.has(name) ? ` (got ${JSON.stringify(cleaned[name])})` : '';
        return `${name}: ${issue.message}${got}`;
      }),
    );
  }
  const env = parsed.data;
  const storageProblems = fileStorageProblems(env, cleaned);
  if (env.OCR_TIMEOUT_SECONDS >= env.EXTRACTION_TIMEOUT_SECONDS) {
    storageProblems.push(`OCR_TIMEOUT_SECONDS: must be less than EXTRACTION_TIMEOUT_SECONDS (${env.EXTRACTION_TIMEOUT_SECONDS}), which bounds reading the whole file, OCR included`);
  }
  if (storageProblems.length > 0) throw new ConfigError(storageProblems);
  const publicUrl = env.PUBLIC_URL?.replace(/\/+$/, '');
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    publicUrl,
    dataDir: env.DATA_DIR,
    database: { url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE, pgliteDir: join(env.DATA_DIR, 'pgdata') },
    redisUrl: env.REDIS_URL,
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    logLevel: env.LOG_LEVEL,
    jwtSecret: env.JWT_SECRET,
    encryptionKey: env.ENCRYPTION_KEY ? Buffer.from(env.ENCRYPTION_KEY, 'base64') : undefined,
    trustProxy: env.TRUST_PROXY,
    // Without PUBLIC_URL the server is reached over plain http (quick start, a LAN address): no Secure cookies.
    cookieSecure: env.COOKIE_SECURE === 'auto' ? publicUrl !== undefined && !isPlainHttpLocalhost(publicUrl) : env.COOKIE_SECURE === 'true',
    rateLimits: {
      authPerMinute: env.RATE_LIMIT_AUTH_PER_MINUTE,
      authAddressPerMinute: env.RATE_LIMIT_AUTH_ADDRESS_PER_MINUTE,
      uploadPerMinute: env.RATE_LIMIT_UPLOAD_PER_MINUTE,
      searchPerMinute: env.RATE_LIMIT_SEARCH_PER_MINUTE,
      chatPerMinute: env.RATE_LIMIT_CHAT_PER_MINUTE,
      widgetVisitorPerMinute: env.RATE_LIMIT_WIDGET_VISITOR_PER_MINUTE,
      widgetIpPerMinute: env.RATE_LIMIT_WIDGET_IP_PER_MINUTE,
      loginMaxFailures: env.LOGIN_MAX_FAILURES,
      loginAddressMaxFailures: env.LOGIN_ADDRESS_MAX_FAILURES,
      loginLockMinutes: env.LOGIN_LOCK_MINUTES,
    },
    billing: {
      enabled: env.STRIPE_SECRET_KEY !== undefined,
      stripeSecretKey: env.STRIPE_SECRET_KEY,
      stripeWebhookSecret: env.STRIPE_WEBHOOK_SECRET,
      prices: {
        PRO: { MONTHLY: env.STRIPE_PRICE_PRO_MONTHLY, YEARLY: env.STRIPE_PRICE_PRO_YEARLY },
        ENTERPRISE: { MONTHLY: env.STRIPE_PRICE_ENTERPRISE_MONTHLY, YEARLY: env.STRIPE_PRICE_ENTERPRISE_YEARLY },
      },
      stripeApi: env.STRIPE_API_BASE ? stripeApiOf(env.STRIPE_API_BASE) : undefined,
    },
    planLimits: env.PLAN_LIMITS ?? (env.STRIPE_SECRET_KEY !== undefined ? defaultPlanLimits : null),
    invitationTtlHours: env.INVITATION_TTL_HOURS,
    filesDir: join(env.DATA_DIR, 'files'),
    s3:
      env.FILE_STORAGE === 's3'
        ? {
            bucket: env.S3_BUCKET!,
            region: env.S3_REGION!,
            endpoint: env.S3_ENDPOINT,
            forcePathStyle: env.S3_FORCE_PATH_STYLE,
            keyPrefix: env.S3_KEY_PREFIX ?? '',
            credentials: env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY } : undefined,
          }
        : undefined,
    ingestion: { inline: env.INGESTION_WORKER === 'inline', concurrency: env.INGESTION_CONCURRENCY, pollMs: 1000, leaseSeconds: env.INGESTION_LEASE_SECONDS },
    extraction: {
      timeoutMs: env.EXTRACTION_TIMEOUT_SECONDS * 1000,
      ocrMaxPages: env.OCR_MAX_PAGES,
      ocrPageTimeoutMs: env.OCR_PAGE_TIMEOUT_SECONDS * 1000,
      ocrTimeoutMs: env.OCR_TIMEOUT_SECONDS * 1000,
      ocrDpi: env.OCR_DPI,
    },
    orphanFileSeconds: env.ORPHAN_FILE_SECONDS,
    embeddings: { timeoutMs: env.EMBEDDING_TIMEOUT_SECONDS * 1000, maxRetries: 2, batch: { maxInputs: env.EMBEDDING_BATCH_SIZE, maxTokens: 60_000 } },
    llm: { timeoutMs: env.LLM_TIMEOUT_SECONDS * 1000, maxRetries: env.LLM_MAX_RETRIES },
    providerUrls: {
      openai: (env.LLM_OPENAI_BASE_URL ?? OPENAI_BASE_URL).replace(/\/+$/, ''),
      anthropic: (env.LLM_ANTHROPIC_BASE_URL ?? ANTHROPIC_BASE_URL).replace(/\/+$/, ''),
    },
    outbound: { allowPrivateNetworks: env.OUTBOUND_ALLOW_PRIVATE_NETWORKS },
    crawl: {
      maxPages: env.CRAWL_MAX_PAGES,
      maxDepth: env.CRAWL_MAX_DEPTH,
      maxPageBytes: env.CRAWL_MAX_PAGE_BYTES,
      pageTimeoutMs: env.CRAWL_PAGE_TIMEOUT_SECONDS * 1000,
      totalTimeMs: env.CRAWL_MAX_MINUTES * 60_000,
      concurrency: env.CRAWL_CONCURRENCY,
    },
    crawlSchedule: defaultCrawlScheduleOptions,
    webhooks: defaultWebhookOptions,
    vectorIndex: env.VECTOR_INDEX,
    modelPrices: env.MODEL_PRICES ?? {},
  };
}

function stripeApiOf(base: string): NonNullable<BillingConfig['stripeApi']> {
  const url = new URL(base);
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443, protocol };
}

/** Browsers drop Secure cookies on http://, so only a plain-http localhost install goes without. */
function isPlainHttpLocalhost(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(hostname);
}
