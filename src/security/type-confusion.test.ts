/**
 * Type confusion, property-based (fast-check), generated from /openapi.json: each body property of
 * every JSON write route, and each path and query parameter of every route, gets values of the wrong
 * type, hostile strings (NUL, lone surrogates, 1 MB), 10,000-deep nesting and prototype-pollution
 * keys; every write route gets malformed bodies. Always a 4xx in the error shape (never a 5xx, never a
 * hang) — a hostile value of the right type may also be accepted — and the server keeps answering.
 * The seed is fixed (FC_SEED overrides it); a failure prints it with the smallest failing input.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from '../test/harness.js';
import { uploadFile } from '../test/upload.js';
import { credentialFor, describeResponse, errorShapeProblem, send, widgetKey, type Credential } from './test-support/callers.js';
import { confusionFor, hostileUrlValue, kindAllowed, kindOf, malformedBodies, wrongShapeBodies, type JsonText, type UrlText } from './test-support/hostile-values.js';
import { fillPath, isWrite, type ApiRoute } from './test-support/openapi-routes.js';
import { assertExpectedPrivileges, readPrivileges } from './test-support/privileges.js';
import { assertWriteRoutesCovered, buildWriteSuite, callerCredential, jsonWriteRoutes, type WriteContext } from './test-support/write-routes.js';

const SEED = Number(process.env.FC_SEED ?? 20_261_107);
/** Runs per route: small, so the file stays well under 30 s on PGlite. */
const BODY_RUNS = 10;
const PARAM_RUNS = 8;

let suite: Awaited<ReturnType<typeof buildWriteSuite>>;
let t: TestApp;
let routes: ApiRoute[];
let ctx: WriteContext;
let disposableAdmin: Credential;
const counts = { bodyProperties: 0, parameters: 0, malformedBodies: 0, wrongShapeBodies: 0, badUrls: 0, uploadFields: 0, accepted: 0 };

before(async () => {
  suite = await buildWriteSuite();
  ({ t, routes, ctx } = suite);
  const login = await t.login(t.a.admin.email);
  disposableAdmin = { name: 'bearer ADMIN (own session)', headers: { authorization: `Bearer ${login.json().access_token}` } };
});
after(() => suite.close());

/** Never a 5xx; an error is in the one shape; `must4xx` when the input cannot be valid. */
function assertAnswered(res: LightMyRequestResponse, where: string, must4xx: boolean): void {
  assert.ok(res.statusCode < 500, `${where}: ${describeResponse(res)}`);
  if (res.statusCode >= 400) assert.equal(errorShapeProblem(res), null, where);
  else {
    assert.ok(!must4xx, `${where}: accepted: ${describeResponse(res)}`);
    counts.accepted++;
  }
}

const fcOptions = (runs: number) => ({ numRuns: runs, seed: SEED, endOnFailure: true });

/**
 * A's credential for a route of any kind: the table's caller for JSON writes; else A's widget key, or
 * a session of A's ADMIN of its own — a logout that accepted a body would end only that one.
 */
const credentialOf = (route: ApiRoute) =>
  jsonWriteRoutes[route.key] ? callerCredential(ctx, jsonWriteRoutes[route.key]!.caller) : credentialFor(route.auth, { user: disposableAdmin, widget: widgetKey(ctx.widgetKey) });

/** `{...base, [name]: <raw JSON>}` as text: the raw value may be 10,000 levels deep. */
function bodyWith(base: Record<string, unknown>, name: string, raw: string): string {
  const rest = Object.fromEntries(Object.entries(base).filter(([k]) => k !== name));
  const head = JSON.stringify(rest).slice(0, -1);
  return `${head}${head.length > 1 ? ',' : ''}${JSON.stringify(name)}:${raw}}`;
}

const json = { 'content-type': 'application/json' };

describe('type confusion over /openapi.json', () => {
  test('every write route is covered (see src/security/test-support/write-routes.ts)', () => {
    assertWriteRoutesCovered(routes);
  });

  test('each body property of every JSON write route: wrong types and hostile values → 4xx, never 5xx', async (diag) => {
    const jsonRoutes = routes.filter((r) => r.body && jsonWriteRoutes[r.key]);
    for (const route of jsonRoutes) {
      const entry = jsonWriteRoutes[route.key]!;
      const properties = Object.entries(route.body!.properties ?? {});
      assert.ok(properties.length > 0, `${route.key} documents no body properties`);
      const url = entry.params ? fillPath(route.path, entry.params(ctx)) : route.path;
      const input = fc.constantFrom(...properties).chain(([name, schema]) => confusionFor(schema).map((value): [string, boolean, JsonText] => [name, !kindAllowed(schema, kindOf(value.json)), value]));
      await fc.assert(
        fc.asyncProperty(input, async ([name, must4xx, value]) => {
          const body = bodyWith(await entry.body(ctx), name, value.json);
          const res = await send(t, route.method, url, credentialOf(route), { body, headers: json });
          assertAnswered(res, `${route.key} ${name} = ${value.label}`, must4xx);
          counts.bodyProperties++;
        }),
        fcOptions(BODY_RUNS),
      );
    }
    diag.diagnostic(`cases tried: ${counts.bodyProperties} over ${jsonRoutes.length} routes (seed ${SEED})`);
  });

  test('each path and query parameter of every route: hostile values → 4xx for ids, never 5xx', async (diag) => {
    const withParams = routes.filter((r) => r.parameters.some((p) => p.in !== 'header'));
    assert.ok(withParams.length >= 12, `only ${withParams.length} routes with parameters`);
    for (const route of withParams) {
      const entry = jsonWriteRoutes[route.key];
      const valid = entry?.params?.(ctx) ?? Object.fromEntries(route.pathParams.map((p) => [p, randomUUID()]));
      const params = route.parameters.filter((p) => p.in !== 'header');
      const input = fc.tuple(fc.constantFrom(...params), hostileUrlValue);
      await fc.assert(
        fc.asyncProperty(input, async ([param, value]: [ApiRoute['parameters'][number], UrlText]) => {
          let url = fillPath(route.path, valid);
          if (param.in === 'path') url = route.path.replace(/\{(\w+)\}/g, (_, n: string) => (n === param.name ? value.encoded : encodeURIComponent(valid[n]!)));
          else url += `?${value.queryPart ? value.queryPart(param.name) : `${param.name}=${value.encoded}`}`;
          const body = entry ? JSON.stringify(await entry.body(ctx)) : undefined;
          const res = await send(t, route.method, url, credentialOf(route), body === undefined ? {} : { body, headers: json });
          // A path id is a UUID, which no hostile value is; a query value may be one the route accepts.
          assertAnswered(res, `${route.method} ${url.slice(0, 200)} (${param.in} ${param.name} = ${value.label})`, param.in === 'path');
          counts.parameters++;
        }),
        fcOptions(PARAM_RUNS),
      );
    }
    diag.diagnostic(`cases tried: ${counts.parameters} over ${withParams.length} routes (seed ${SEED})`);
  });

  test('every write route refuses malformed bodies; JSON routes refuse bodies of the wrong shape', async (diag) => {
    for (const route of routes.filter(isWrite)) {
      const url = fillPath(route.path, jsonWriteRoutes[route.key]?.params?.(ctx) ?? Object.fromEntries(route.pathParams.map((p) => [p, randomUUID()])));
      for (const { label, body, contentType } of malformedBodies) {
        const res = await send(t, route.method, url, credentialOf(route), { body, headers: { 'content-type': contentType ?? 'application/json' } });
        assertAnswered(res, `${route.key} with ${label}`, true);
        counts.malformedBodies++;
      }
      if (!route.body) continue;
      for (const { label, body } of wrongShapeBodies) {
        const res = await send(t, route.method, url, credentialOf(route), { body, headers: json });
        assertAnswered(res, `${route.key} with ${label}`, true);
        counts.wrongShapeBodies++;
      }
    }
    diag.diagnostic(`cases tried: ${counts.malformedBodies} malformed, ${counts.wrongShapeBodies} wrong-shape`);
  });

  test('URLs the router cannot take (bad percent-encoding, an over-long id) → 400 in the error shape', async () => {
    for (const url of ['/api/v1/contents/%E0%A4%A', '/api/v1/contents/%', `/api/v1/contents/${'x'.repeat(200)}`, `/api/v1/users/${'9'.repeat(5000)}`]) {
      const res = await send(t, url.includes('users') ? 'PATCH' : 'GET', url, disposableAdmin, url.includes('users') ? { body: { is_active: true } } : {});
      // A GET of a path no API route takes is the not-found error (src/http/error-handler.ts).
      assert.ok([400, 404].includes(res.statusCode), `${url.slice(0, 80)}: ${describeResponse(res)}`);
      assert.equal(errorShapeProblem(res), null, url.slice(0, 80));
      if (res.statusCode === 400) assert.ok(!res.body.includes('%E0') && !res.body.includes('9999999999'), `the path is not echoed: ${res.body}`);
      counts.badUrls++;
    }
  });

  test('an upload’s multipart text fields with NUL or over-long values → 422, never 5xx', async () => {
    for (const [field, value] of [['title', 'a\u0000b'], ['description', '\u0000'], ['tags', 'x,\u0000'], ['title', 'x'.repeat(60_000)], ['tags', ','.repeat(999)]]) {
      const res = await uploadFile(t, t.a.admin.accessToken, 'notes.txt', `Notes ${randomUUID()}`, { [field!]: value! });
      assertAnswered(res, `upload with ${field} = ${JSON.stringify(value!.slice(0, 10))}`, value!.includes('\u0000') || value!.length > 2000);
      counts.uploadFields++;
    }
  });

  test('afterwards the server still answers, privileges are intact, and nothing polluted Object.prototype', async () => {
    assert.equal((await t.request('GET', '/health')).statusCode, 200);
    assert.equal((await t.login(t.a.operator.email)).statusCode, 200);
    assertExpectedPrivileges(await readPrivileges(t), t);
    const probe = {} as Record<string, unknown>;
    assert.equal(probe.role, undefined);
    assert.equal(probe.isAdmin, undefined);
  });
});

after(() => {
  console.log(`type confusion: count of cases tried ${JSON.stringify(counts)} (seed ${SEED})`);
});
