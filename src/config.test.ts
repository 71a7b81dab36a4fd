import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, envSchema, loadConfig } from './config.js';
import { defaultPlanLimits } from './modules/billing/plan-limits.js';
import { projectRoot } from './paths.js';

test('no configuration at all is a working configuration', () => {
  const config = loadConfig({});
  assert.equal(config.port, 3000);
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.publicUrl, undefined, 'links use the address each request came to');
  assert.equal(config.database.url, undefined);
  assert.equal(config.database.pgliteDir, join('data', 'pgdata'));
  assert.equal(config.cookieSecure, false, 'plain http on localhost cannot use Secure cookies');
  assert.equal(config.rateLimits.authPerMinute, 10);
});

test('each bad variable gets its own clear line', () => {
  let problems: string[] = [];
  assert.throws(() => {
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', JWT_SECRET: 'short', ENCRYPTION_KEY: 'nope', LOG_LEVEL: 'loud' });
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
      throw error;
    }
  }, ConfigError);
  assert.equal(problems.length, 5, problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('PORT:') && p.includes('"abc"')));
  assert.ok(problems.some((p) => p.startsWith('DATABASE_URL:') && p.includes('postgres')));
  assert.ok(problems.some((p) => p.startsWith('JWT_SECRET:') && p.includes('32')));
  assert.ok(problems.some((p) => p.startsWith('ENCRYPTION_KEY:') && p.includes('base64')));
  assert.ok(problems.some((p) => p.startsWith('LOG_LEVEL:')));
});

test('Secure cookies everywhere but plain-http localhost, unless forced', () => {
  assert.equal(loadConfig({ PUBLIC_URL: 'https://chat.example.com' }).cookieSecure, true);
  assert.equal(loadConfig({ PUBLIC_URL: 'http://chat.example.com' }).cookieSecure, true);
  assert.equal(loadConfig({ PUBLIC_URL: 'http://127.0.0.1:8080' }).cookieSecure, false);
  assert.equal(loadConfig({ PUBLIC_URL: 'http://localhost:8080', COOKIE_SECURE: 'true' }).cookieSecure, true);
});

test('MODEL_PRICES: prices by model name, one line per bad entry', () => {
  assert.deepEqual(loadConfig({}).modelPrices, {});
  assert.deepEqual(loadConfig({ MODEL_PRICES: '{"gpt-4o": {"input": 2, "output": 8}, "text-embedding-x": {"input": 0.05}}' }).modelPrices, {
    'gpt-4o': { input: 2, output: 8 },
    'text-embedding-x': { input: 0.05, output: 0 },
  });
  const problemsOf = (value: string) => {
    try {
      loadConfig({ MODEL_PRICES: value });
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    assert.fail(`${value} was accepted`);
  };
  assert.match(problemsOf('{gpt-4o: 1}')[0]!, /^MODEL_PRICES: must be JSON/);
  assert.match(problemsOf('[1, 2]')[0]!, /^MODEL_PRICES: must be a JSON object/);
  assert.deepEqual(problemsOf('{"ok": {"input": 1, "output": 2}, "a": {"input": -1, "output": "x"}, "b": 3, "c": {"input": 1, "inptu": 2}}'), [
    'MODEL_PRICES["a"].input: must not be negative',
    'MODEL_PRICES["a"].output: must be a number (USD per 1M tokens)',
    'MODEL_PRICES["b"]: must be an object {"input": USD, "output": USD}',
    'MODEL_PRICES["c"]: unknown field inptu (only input and output)',
  ]);
});

test('.env.example explains exactly the variables the server reads', () => {
  const example = readFileSync(join(projectRoot, '.env.example'), 'utf8');
  const documented = new Set([...example.matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
  assert.deepEqual([...documented].sort(), Object.keys(envSchema.shape).sort());
});

test('chat model calls: 60 s and 2 retries by default; retries may be turned off', () => {
  assert.deepEqual(loadConfig({}).llm, { timeoutMs: 60_000, maxRetries: 2 });
  assert.deepEqual(loadConfig({ LLM_TIMEOUT_SECONDS: '180', LLM_MAX_RETRIES: '0' }).llm, { timeoutMs: 180_000, maxRetries: 0 });
  assert.throws(() => loadConfig({ LLM_MAX_RETRIES: '-1' }), /LLM_MAX_RETRIES/);
});

test('plan limits: none on a self-hosted server; the built-in ones once Stripe is configured', () => {
  assert.equal(loadConfig({}).planLimits, null);
  assert.deepEqual(loadConfig({ STRIPE_SECRET_KEY: 'sk_test_123' }).planLimits, defaultPlanLimits);
  assert.deepEqual(loadConfig({ PLAN_LIMITS: '{}' }).planLimits, defaultPlanLimits);
});

test('PLAN_LIMITS: laid field by field over the built-in limits, null = unlimited; one line per bad entry', () => {
  const limits = loadConfig({ PLAN_LIMITS: '{"FREE": {"documents": 50, "members": null}, "ENTERPRISE": {"storage_bytes": 0}}' }).planLimits!;
  assert.deepEqual(limits.FREE, { ...defaultPlanLimits.FREE, documents: 50, members: null });
  assert.deepEqual(limits.PRO, defaultPlanLimits.PRO);
  assert.equal(limits.ENTERPRISE.storageBytes, 0);
  const problemsOf = (value: string) => {
    try {
      loadConfig({ PLAN_LIMITS: value });
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    assert.fail(`${value} was accepted`);
  };
  assert.match(problemsOf('{FREE: 1}')[0]!, /^PLAN_LIMITS: must be JSON/);
  const problems = problemsOf('{"FREE": {"documents": -1, "messages": 5}, "PRO": {"storage_bytes": "10GB"}, "GOLD": {}}');
  assert.equal(problems.length, 4, problems.join('\n'));
  assert.deepEqual(problems.slice(0, 3).sort(), [
    'PLAN_LIMITS["FREE"].documents: must be a whole number of 0 or more, or null for unlimited',
    'PLAN_LIMITS["FREE"]: unknown limit messages (documents, storage_bytes, messages_per_month, members)',
    'PLAN_LIMITS["PRO"].storage_bytes: must be a whole number of 0 or more, or null for unlimited',
  ]);
  assert.match(problems[3]!, /^PLAN_LIMITS: unknown plan GOLD \(FREE, PRO or ENTERPRISE\)/);
});

test('Stripe: optional; billing is enabled by the secret key; prices by plan and cycle; STRIPE_API_BASE for a local server', () => {
  const off = loadConfig({}).billing;
  assert.equal(off.enabled, false);
  assert.equal(off.stripeApi, undefined);
  const on = loadConfig({
    STRIPE_SECRET_KEY: 'sk_test_abc',
    STRIPE_WEBHOOK_SECRET: 'whsec_abc',
    STRIPE_PRICE_PRO_MONTHLY: 'price_123',
    STRIPE_API_BASE: 'http://127.0.0.1:12111',
  }).billing;
  assert.equal(on.enabled, true);
  assert.deepEqual(on.prices, { PRO: { MONTHLY: 'price_123', YEARLY: undefined }, ENTERPRISE: { MONTHLY: undefined, YEARLY: undefined } });
  assert.deepEqual(on.stripeApi, { host: '127.0.0.1', port: 12111, protocol: 'http' });
  assert.deepEqual(loadConfig({ STRIPE_API_BASE: 'https://stripe-mock.internal' }).billing.stripeApi, { host: 'stripe-mock.internal', port: 443, protocol: 'https' });
  let problems: string[] = [];
  try {
    loadConfig({ STRIPE_SECRET_KEY: 'pk_test_abc', STRIPE_WEBHOOK_SECRET: 'secret', STRIPE_PRICE_PRO_YEARLY: 'prod_123', STRIPE_API_BASE: 'http://localhost:12111/v1' });
  } catch (error) {
    if (error instanceof ConfigError) problems = error.problems;
  }
  assert.deepEqual(problems.map((p) => p.split(':')[0]).sort(), ['STRIPE_API_BASE', 'STRIPE_PRICE_PRO_YEARLY', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET']);
  assert.ok(problems.some((p) => p.startsWith('STRIPE_SECRET_KEY:') && p.includes('sk_')));
});

test('FILE_STORAGE=s3: the bucket settings, each missing or stray one named, the secret never repeated', () => {
  assert.equal(loadConfig({}).s3, undefined, 'local files by default');
  const s3 = { FILE_STORAGE: 's3', S3_BUCKET: 'shiori-files', S3_REGION: 'ap-northeast-1' };
  assert.deepEqual(loadConfig(s3).s3, { bucket: 'shiori-files', region: 'ap-northeast-1', endpoint: undefined, forcePathStyle: false, keyPrefix: '', credentials: undefined });
  assert.deepEqual(loadConfig({ ...s3, S3_ENDPOINT: 'http://minio:9000', S3_FORCE_PATH_STYLE: 'true', S3_KEY_PREFIX: 'prod/shiori/', S3_ACCESS_KEY_ID: 'minio', S3_SECRET_ACCESS_KEY: 'minio-secret' }).s3, {
    bucket: 'shiori-files',
    region: 'ap-northeast-1',
    endpoint: 'http://minio:9000',
    forcePathStyle: true,
    keyPrefix: 'prod/shiori/',
    credentials: { accessKeyId: 'minio', secretAccessKey: 'minio-secret' },
  });
  const problemsOf = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    assert.fail(`${JSON.stringify(env)} was accepted`);
  };
  assert.deepEqual(problemsOf({ FILE_STORAGE: 's3' }).map((p) => p.split(':')[0]), ['S3_BUCKET', 'S3_REGION']);
  assert.match(problemsOf({ ...s3, S3_ACCESS_KEY_ID: 'AKIA123' })[0]!, /^S3_SECRET_ACCESS_KEY: .*both, or neither/);
  assert.match(problemsOf({ S3_BUCKET: 'shiori-files' })[0]!, /^S3_BUCKET: is set but FILE_STORAGE is local/, 'a bucket that would be silently ignored');
  assert.match(problemsOf({ ...s3, S3_BUCKET: 'Bad_Bucket' })[0]!, /^S3_BUCKET: must be a bucket name/);
  assert.match(problemsOf({ FILE_STORAGE: 'gcs' })[0]!, /^FILE_STORAGE: must be local or s3/);
  assert.match(problemsOf({ ...s3, S3_KEY_PREFIX: 'shiori' })[0]!, /^S3_KEY_PREFIX: must be folder names ending in \//);
  assert.match(problemsOf({ ...s3, S3_KEY_PREFIX: '../x/' })[0]!, /^S3_KEY_PREFIX: /);
  const secret = problemsOf({ ...s3, S3_ACCESS_KEY_ID: 'AKIA123', S3_SECRET_ACCESS_KEY: 'top secret value' });
  assert.match(secret[0]!, /^S3_SECRET_ACCESS_KEY: /);
  assert.doesNotMatch(secret.join('\n'), /top secret/, 'a configuration error never repeats a secret');
  assert.doesNotMatch(problemsOf({ JWT_SECRET: 'short-secret' }).join('\n'), /short-secret/);
});

test('OCR of scanned PDF pages: 50 pages, 30 s a page, 90 s in all, 300 dpi by default; 0 pages turns it off; its total must fit the file’s limit', () => {
  assert.deepEqual(loadConfig({}).extraction, { timeoutMs: 120_000, ocrMaxPages: 50, ocrPageTimeoutMs: 30_000, ocrTimeoutMs: 90_000, ocrDpi: 300 });
  assert.equal(loadConfig({ OCR_MAX_PAGES: '0' }).extraction.ocrMaxPages, 0);
  assert.throws(() => loadConfig({ OCR_TIMEOUT_SECONDS: '120' }), /OCR_TIMEOUT_SECONDS: must be less than EXTRACTION_TIMEOUT_SECONDS \(120\)/);
  assert.equal(loadConfig({ OCR_TIMEOUT_SECONDS: '300', EXTRACTION_TIMEOUT_SECONDS: '400' }).extraction.ocrTimeoutMs, 300_000);
  assert.throws(() => loadConfig({ OCR_DPI: '1200' }), /OCR_DPI: must be at most 600/);
});
