import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { buildTestApp, expectError, type TestApp } from '../test/harness.js';
import { errorCodes } from './errors.js';

interface SeenRoute {
  method: string;
  url: string;
  auth: unknown;
  validationStatus?: number;
  hidden: boolean;
}

// Fastify announces every new instance on this diagnostics channel (meant for instrumentation), so
// the test sees every route the real createApp() registers without any hook in production code.
const routes: SeenRoute[] = [];
const collectRoutes = (message: unknown) => {
  (message as { fastify: FastifyInstance }).fastify.addHook('onRoute', (route: RouteOptions) => {
    for (const method of [route.method].flat()) {
      routes.push({ method, url: route.url, auth: route.config?.auth, validationStatus: route.config?.validationStatus, hidden: route.schema?.hide === true });
    }
  });
};

let t: TestApp;
before(async () => {
  diagnostics.subscribe('fastify.initialization', collectRoutes);
  try {
    t = await buildTestApp();
  } finally {
    diagnostics.unsubscribe('fastify.initialization', collectRoutes);
  }
});
after(() => t.close());

const apiRoutes = () => routes.filter((r) => r.url.startsWith('/api') && r.method !== 'HEAD');
const toOpenApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');
const json = (body: string, contentType = 'application/json') => ({ body, headers: { 'content-type': contentType } });

describe('framework errors have the one shape', () => {
  const expectShape = (res: Awaited<ReturnType<TestApp['request']>>, status: number, code: string) => {
    const body = expectError(res, status, code);
    assert.deepEqual(Object.keys(body).sort(), ['detail', 'error_code', 'timestamp']);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.ok(res.headers['x-request-id']);
    return body;
  };

  test('an unknown route → 404 RESOURCE_NOT_FOUND', async () => {
    // GET of any other path is a page of the dashboard SPA (src/modules/web); the API's paths keep their 404.
    expectShape(await t.request('GET', '/api/no/such/page'), 404, 'RESOURCE_NOT_FOUND');
    expectShape(await t.request('DELETE', '/no/such/page'), 404, 'RESOURCE_NOT_FOUND');
    expectShape(await t.request('POST', '/api/v1/nothing-here', { body: {} }), 404, 'RESOURCE_NOT_FOUND');
    const body = expectShape(await t.request('GET', '/api/v2/auth/me?token=secret'), 404, 'RESOURCE_NOT_FOUND');
    assert.ok(!body.detail.includes('secret'), 'the query string is not echoed');
  });

  test('malformed JSON → 400 BAD_REQUEST', async () => {
    expectShape(await t.request('POST', '/api/v1/auth/login', json('{"email": "a@example.com",')), 400, 'BAD_REQUEST');
    expectShape(await t.request('POST', '/api/login/', json('{not json}')), 400, 'BAD_REQUEST');
  });

  test('an empty body declared as JSON → 400 BAD_REQUEST', async () => {
    expectShape(await t.request('POST', '/api/v1/auth/login', json('')), 400, 'BAD_REQUEST');
  });

  test('a body of the wrong media type → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const credentials = JSON.stringify({ email: t.a.admin.email, password: t.a.admin.password });
    for (const type of ['text/plain', 'application/xml', 'application/x-www-form-urlencoded']) {
      expectShape(await t.request('POST', '/api/v1/auth/login', json(credentials, type)), 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
    expectShape(await t.request('POST', '/api/login/', json('username=x&password=y', 'text/plain')), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('a body over 1 MB → 413 PAYLOAD_TOO_LARGE; just under 1 MB is read', async () => {
    const big = JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(1024 * 1024) });
    expectShape(await t.request('POST', '/api/v1/auth/login', json(big)), 413, 'PAYLOAD_TOO_LARGE');
    const almost = JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(1024 * 1024 - 100) });
    const res = await t.request('POST', '/api/v1/auth/login', json(almost));
    assert.ok(expectError(res, 422, 'VALIDATION_ERROR').errors?.some((e) => e.field === 'password'), 'parsed, then refused by the schema');
  });

  test('a JSON body that is not an object, or none at all → 422 VALIDATION_ERROR', async () => {
    for (const body of ['null', '[]', '"text"', '42']) {
      const res = await t.request('POST', '/api/v1/auth/login', json(body));
      assert.ok(expectError(res, 422, 'VALIDATION_ERROR').errors?.length, res.body);
    }
    expectError(await t.request('POST', '/api/v1/auth/login'), 422, 'VALIDATION_ERROR');
  });
});

describe('request ids', () => {
  const idOf = async (headers: Record<string, string> = {}) => String((await t.request('GET', '/health', { headers })).headers['x-request-id']);

  test('every response carries a fresh X-Request-Id', async () => {
    const [first, second] = [await idOf(), await idOf()];
    assert.match(first, /^[0-9a-f-]{36}$/);
    assert.notEqual(first, second);
  });

  test('a sane incoming X-Request-Id is echoed, also on errors', async () => {
    assert.equal(await idOf({ 'x-request-id': 'trace-42.abc_DEF' }), 'trace-42.abc_DEF');
    const res = await t.request('GET', '/nowhere', { headers: { 'x-request-id': 'lb-123' } });
    assert.equal(res.headers['x-request-id'], 'lb-123');
  });

  test('an insane one (too long, odd characters) is replaced', async () => {
    for (const given of ['a'.repeat(65), 'id with spaces', '<script>', 'a\\b', 'ümlaut', 'x;y=1']) {
      const id = await idOf({ 'x-request-id': given });
      assert.notEqual(id, given);
      assert.match(id, /^[0-9a-f-]{36}$/);
    }
    assert.equal(await idOf({ 'x-request-id': 'a'.repeat(64) }), 'a'.repeat(64), '64 characters are still fine');
  });
});

describe('GET /health', () => {
  test('200 ok: database reachable, capabilities tell the truth', async () => {
    const res = await t.request('GET', '/health');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(Object.keys(body).sort(), ['capabilities', 'database', 'status', 'uptime_seconds', 'version']);
    assert.equal(body.status, 'ok');
    assert.equal(body.database.reachable, true);
    assert.equal(typeof body.database.latency_ms, 'number');
    assert.equal(body.database.driver, t.app.database.driver);
    assert.equal(body.database.driver, process.env.DATABASE_URL ? 'postgres' : 'pglite');
    assert.equal(body.capabilities.shared_rate_limits, Boolean(t.config.redisUrl));

    if (t.app.database.driver === 'pglite') {
      assert.equal(body.capabilities.vector_search, true, 'PGlite ships pgvector');
    } else {
      const result = await t.app.database.db.execute(sql`select count(*)::int as n from pg_available_extensions where name = 'vector'`);
      const available = (result as unknown as { rows: Array<{ n: number }> }).rows[0]!.n > 0;
      assert.equal(body.capabilities.vector_search, available);
    }
  });

  test('needs no token', async () => {
    assert.equal((await t.request('GET', '/health', { token: 'garbage' })).statusCode, 200);
  });
});

describe('GET /openapi.json', () => {
  let spec: { openapi: string; paths: Record<string, Record<string, { security?: Array<Record<string, string[]>>; responses: Record<string, unknown>; requestBody?: unknown; parameters?: Array<{ in: string }> }>>; components: { schemas: Record<string, any>; securitySchemes: Record<string, any> } };
  before(async () => {
    const res = await t.request('GET', '/openapi.json');
    assert.equal(res.statusCode, 200);
    spec = res.json();
  });
  const operation = (route: SeenRoute) => spec.paths[toOpenApiPath(route.url)]?.[route.method.toLowerCase()];

  test('is OpenAPI 3', () => {
    assert.match(spec.openapi, /^3\.\d+\.\d+$/);
  });

  test('documents every /api route the app has, and nothing else', () => {
    const real = apiRoutes().filter((r) => !r.hidden);
    assert.ok(real.length >= 25, `only ${real.length} routes seen: is the route collector working?`);
    for (const route of real) assert.ok(operation(route), `${route.method} ${route.url} is not in /openapi.json`);
    const documented = Object.entries(spec.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`));
    const known = new Set(routes.map((r) => `${r.method} ${toOpenApiPath(r.url)}`));
    for (const entry of documented) assert.ok(known.has(entry), `${entry} is documented but no such route exists`);
  });

  test('includes the auth, 2fa, team, tenants and seed-002 paths', () => {
    const expected = [
      'post /api/v1/auth/register', 'post /api/v1/auth/login', 'post /api/v1/auth/refresh', 'post /api/v1/auth/logout', 'get /api/v1/auth/me', 'post /api/v1/auth/password',
      'get /api/v1/auth/2fa', 'post /api/v1/auth/2fa/setup', 'post /api/v1/auth/2fa/enable', 'post /api/v1/auth/2fa/disable', 'post /api/v1/auth/2fa/recovery-codes',
      'get /api/v1/users', 'patch /api/v1/users/{id}', 'post /api/v1/invitations', 'get /api/v1/invitations', 'delete /api/v1/invitations/{id}',
      'post /api/v1/invitations/preview', 'post /api/v1/invitations/accept', 'get /api/v1/tenants/{tenant_id}',
      'post /api/signup/', 'post /api/login/', 'post /api/login-2fa/', 'get /api/profile/', 'post /api/logout/', 'get /api/signup-tfa/', 'post /api/signup-tfa/',
      'get /health',
    ];
    for (const entry of expected) {
      const [method, path] = entry.split(' ') as [string, string];
      assert.ok(spec.paths[path]?.[method], `${entry} is missing`);
    }
  });

  test('documents the Error schema with every error code', () => {
    const error = spec.components.schemas.Error;
    assert.ok(error, 'no Error schema');
    assert.deepEqual([...error.required].sort(), ['detail', 'error_code', 'timestamp']);
    assert.deepEqual([...error.properties.error_code.enum].sort(), [...errorCodes].sort());
    for (const code of ['VALIDATION_ERROR', 'RESOURCE_NOT_FOUND', 'TWO_FACTOR_REQUIRED', 'CONFLICT', 'PAYLOAD_TOO_LARGE', 'RATE_LIMIT_EXCEEDED']) {
      assert.ok(error.properties.error_code.enum.includes(code), code);
    }
  });

  test('has the bearerAuth scheme, and every route that needs a user says so', () => {
    assert.deepEqual(spec.components.securitySchemes.bearerAuth, { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    for (const route of apiRoutes().filter((r) => r.auth === 'user' || r.auth === 'admin')) {
      const op = operation(route)!;
      assert.ok(op.security?.some((s) => 'bearerAuth' in s), `${route.method} ${route.url} does not document bearerAuth`);
      assert.ok(op.responses['401'], `${route.method} ${route.url} does not document 401`);
      if (route.auth === 'admin') assert.ok(op.responses['403'], `${route.method} ${route.url} does not document 403`);
    }
  });

  test('the widget routes document the widget key and its 401', () => {
    for (const route of apiRoutes().filter((r) => r.auth === 'widget')) {
      const op = operation(route)!;
      assert.ok(op.security?.some((s) => 'widgetKey' in s), `${route.method} ${route.url} does not document widgetKey`);
      assert.ok(op.responses['401'], `${route.method} ${route.url} does not document 401`);
    }
  });

  test('every route that validates input documents its validation error', () => {
    for (const route of apiRoutes().filter((r) => !r.hidden)) {
      const op = operation(route)!;
      const validates = op.requestBody !== undefined || (op.parameters ?? []).some((p) => p.in === 'path' || p.in === 'query');
      if (!validates) continue;
      const status = String(route.validationStatus ?? 422);
      assert.ok(op.responses[status], `${route.method} ${route.url} validates input but does not document ${status}`);
    }
  });

  test('error responses point at the Error schema', () => {
    const errorRef = JSON.stringify(spec.paths['/api/v1/auth/login']!.post!.responses['401']);
    assert.match(errorRef, /#\/components\/schemas\/Error"/);
  });
});

describe('API documentation pages work offline', () => {
  const attributeUrls = (html: string) => [...html.matchAll(/\b(?:src|href)\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]!);
  const resolve = (base: string, url: string) => new URL(url, `http://localhost${base}`).pathname;

  for (const page of ['/docs', '/docs/']) {
    test(`${page} serves Swagger UI whose assets are all served here`, async () => {
      const res = await t.request('GET', page);
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.match(res.body, /swagger-ui/i);
      assert.match(String(res.headers['content-security-policy']), /^default-src 'self';/);
      assert.doesNotMatch(String(res.headers['content-security-policy']), /https?:|\*/);
      const urls = attributeUrls(res.body);
      assert.ok(urls.length >= 3, res.body);
      for (const url of urls) {
        assert.doesNotMatch(url, /^(https?:)?\/\//i, `external URL ${url}`);
        const asset = await t.request('GET', resolve(page, url));
        assert.equal(asset.statusCode, 200, `${url} → ${asset.statusCode}`);
      }
    });
  }

  test('Swagger UI reads our spec and calls no online validator', async () => {
    const init = await t.request('GET', '/docs/static/swagger-initializer.js');
    assert.equal(init.statusCode, 200);
    assert.match(init.body, /validatorUrl: null/);
    const docsJson = await t.request('GET', '/docs/json');
    assert.deepEqual(Object.keys(docsJson.json().paths).sort(), Object.keys((await t.request('GET', '/openapi.json')).json().paths).sort());
  });

  test('/redoc serves ReDoc from this server, with no external URLs', async () => {
    const res = await t.request('GET', '/redoc');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.doesNotMatch(res.body, /(https?:)?\/\/[a-z0-9]/i);
    assert.match(res.body, /spec-url="\/openapi\.json"/);
    const urls = attributeUrls(res.body);
    assert.ok(urls.includes('/redoc/redoc.standalone.js'), res.body);
    const script = await t.request('GET', '/redoc/redoc.standalone.js');
    assert.equal(script.statusCode, 200);
    assert.match(String(script.headers['content-type']), /javascript/);
    assert.ok(script.body.length > 100_000, 'the real bundle');
    assert.doesNotMatch(script.body, /cdn\.redoc\.ly/, 'the bundle’s logo from the CDN is replaced');
    assert.match(String(res.headers['content-security-policy']), /^default-src 'self';/);
    assert.doesNotMatch(String(res.headers['content-security-policy']), /https?:|\*/);
  });
});

describe('route declarations', () => {
  test('every /api route declares config.auth', () => {
    const api = apiRoutes();
    assert.ok(api.length >= 25, `only ${api.length} routes seen: is the route collector working?`);
    const undeclared = api.filter((r) => !['public', 'user', 'admin', 'widget'].includes(String(r.auth)));
    assert.deepEqual(undeclared.map((r) => `${r.method} ${r.url}`), []);
  });

  test('every widget route refuses a request without the widget key, and documents it', async () => {
    const widget = apiRoutes().filter((r) => r.auth === 'widget');
    assert.ok(widget.length >= 1);
    for (const route of widget) {
      const res = await t.request(route.method as 'POST', route.url, { body: { query: 'x' }, headers: { authorization: `Bearer ${t.a.admin.accessToken}` } });
      expectError(res, 401, 'AUTHENTICATION_ERROR');
    }
  });

  test('every route that declares user or admin refuses a request without a token', async () => {
    for (const route of apiRoutes().filter((r) => r.auth === 'user' || r.auth === 'admin')) {
      const url = route.url.replace(/:\w+/g, randomUUID());
      const res = await t.request(route.method as 'GET', url, route.method === 'GET' ? {} : { body: {} });
      expectError(res, 401, 'AUTHENTICATION_ERROR');
    }
  });
});
