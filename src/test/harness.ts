import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createApp } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import type { ServiceOptions } from '../services.js';
import { createTestDatabase } from './test-database.js';

export const TEST_JWT_SECRET = 'test-jwt-secret-that-is-long-enough-0123456789';
export const PASSWORD = 'Password123';

export interface TestUser {
  id: string;
  email: string;
  username: string;
  password: string;
  tenantId: string;
  role: 'ADMIN' | 'OPERATOR';
  accessToken: string;
  refreshToken: string;
}

export interface TestTenant {
  id: string;
  domain: string;
  admin: TestUser;
  operator: TestUser;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  cookies?: Record<string, string>;
  query?: Record<string, string>;
}

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  /** The origin the app's links and same-origin checks use: PUBLIC_URL if the test set one, else the injected requests' own (Host localhost:80). */
  publicUrl: string;
  /** Two tenants, each with an ADMIN and an OPERATOR, made through the real API. */
  a: TestTenant;
  b: TestTenant;
  request(method: InjectOptions['method'], url: string, options?: RequestOptions): Promise<LightMyRequestResponse>;
  /** Registers a fresh tenant + ADMIN through the API and logs in. */
  createTenant(label?: string): Promise<TestTenant>;
  login(email: string, password?: string, extra?: Record<string, string>): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

let counter = 0;
export const unique = (label = 'u') => `${label}_${process.pid}_${++counter}_${randomBytes(3).toString('hex')}`;


/** Config overrides for one test app; `rateLimits` is merged, so a test names only the limit it tightens. */
export type TestConfigOverrides = Partial<Omit<Config, 'rateLimits'>> & { rateLimits?: Partial<Config['rateLimits']> };

/** Builds the real app on a fresh database. Config overrides let a test tighten limits; `options.now` fixes the clock business hours are read against. */
export async function buildTestApp(overrides: TestConfigOverrides = {}, options: ServiceOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(join(tmpdir(), 'shiori-test-'));
  const base = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATA_DIR: dataDir,
    JWT_SECRET: TEST_JWT_SECRET,
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    REDIS_URL: process.env.REDIS_URL,
    // Each test app has its own counters even when the test files share one Redis.
    REDIS_KEY_PREFIX: `test:${randomBytes(6).toString('hex')}`,
  });
  const unlimited = 100_000;
  const config: Config = {
    ...base,
    database: { ...base.database, url: database.url, pgliteDir: database.pgliteDir },
    ingestion: { ...base.ingestion, pollMs: 100 },
    // No plan limits, as on a self-hosted server, unless a test sets `planLimits` (the billing tests do).
    planLimits: null,
    // The fake providers listen on 127.0.0.1; the SSRF suite builds its apps with this off.
    outbound: { allowPrivateNetworks: true },
    ...overrides,
    rateLimits: {
      ...base.rateLimits,
      authPerMinute: unlimited,
      authAddressPerMinute: unlimited,
      uploadPerMinute: unlimited,
      searchPerMinute: unlimited,
      chatPerMinute: unlimited,
      widgetVisitorPerMinute: unlimited,
      widgetIpPerMinute: unlimited,
      ...overrides.rateLimits,
    },
  };
  const app = await createApp(config, options);

  const request: TestApp['request'] = (method, url, options = {}) =>
    app.inject({
      method,
      url,
      query: options.query,
      payload: options.body as InjectOptions['payload'],
      cookies: options.cookies,
      headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers },
    });

  const login: TestApp['login'] = (email, password = PASSWORD, extra = {}) =>
    request('POST', '/api/v1/auth/login', { body: { email, password, ...extra } });

  async function loggedIn(user: Omit<TestUser, 'accessToken' | 'refreshToken'>): Promise<TestUser> {
    const res = await login(user.email, user.password);
    if (res.statusCode !== 200) throw new Error(`test login failed: ${res.body}`);
    const body = res.json();
    return { ...user, accessToken: body.access_token, refreshToken: body.refresh_token };
  }

  async function createTenant(label = 't'): Promise<TestTenant> {
    const name = unique(label);
    const domain = `${name.replaceAll('_', '-')}.example.com`;
    const email = `${name}@example.com`;
    const reg = await request('POST', '/api/v1/auth/register', {
      body: { email, username: name, password: PASSWORD, tenant_name: `Tenant ${name}`, tenant_domain: domain },
    });
    if (reg.statusCode !== 201) throw new Error(`test register failed: ${reg.body}`);
    const registered = reg.json();
    const admin = await loggedIn({ id: registered.id, email, username: name, password: PASSWORD, tenantId: registered.tenant_id, role: 'ADMIN' });

    const operatorEmail = `op_${email}`;
    const invite = await request('POST', '/api/v1/invitations', { token: admin.accessToken, body: { email: operatorEmail } });
    if (invite.statusCode !== 201) throw new Error(`test invite failed: ${invite.body}`);
    const accepted = await request('POST', '/api/v1/invitations/accept', {
      body: { token: invite.json().token, username: `op_${name}`, password: PASSWORD },
    });
    if (accepted.statusCode !== 201) throw new Error(`test accept failed: ${accepted.body}`);
    const operator = await loggedIn({
      id: accepted.json().id,
      email: operatorEmail,
      username: `op_${name}`,
      password: PASSWORD,
      tenantId: registered.tenant_id,
      role: 'OPERATOR',
    });
    return { id: registered.tenant_id, domain, admin, operator };
  }

  try {
    const a = await createTenant('a');
    const b = await createTenant('b');
    return {
      app,
      config,
      publicUrl: config.publicUrl ?? 'http://localhost:80',
      a,
      b,
      request,
      createTenant,
      login,
      async close() {
        await app.close();
        await database.drop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await app.close();
    await database.drop();
    throw error;
  }
}

/** Asserts the one error shape (docs/decisions.md D9) and returns the body. */
export function expectError(res: LightMyRequestResponse, status: number, code: string): { detail: string; error_code: string; timestamp: string; errors?: Array<{ field: string; message: string }> } {
  const body = res.json();
  if (res.statusCode !== status || body.error_code !== code) {
    throw new Error(`expected ${status} ${code}, got ${res.statusCode} ${res.body}`);
  }
  if (typeof body.detail !== 'string' || !body.detail || Number.isNaN(Date.parse(body.timestamp))) {
    throw new Error(`error body does not have the shape {detail, error_code, timestamp}: ${res.body}`);
  }
  return body;
}

/**
 * Gives the tenant an `openai-compatible` key on a local fake (its `baseUrl`), as its ADMIN would;
 * `apiKey` when the test tells the fake's requests apart by key. Returns the stored key's id.
 */
export async function addFakeProviderKey(
  t: TestApp,
  tenant: TestTenant,
  baseUrl: string,
  { model = 'local-llm', apiKey = 'sk-test-fake-provider-0123456789abcdef' }: { model?: string; apiKey?: string } = {},
): Promise<{ id: string }> {
  const res = await t.request('POST', '/api/v1/api-keys', {
    token: tenant.admin.accessToken,
    body: { provider: 'openai-compatible', model, api_key: apiKey, base_url: baseUrl },
  });
  if (res.statusCode !== 201) throw new Error(`adding a provider key: ${res.statusCode} ${res.body}`);
  return res.json();
}
