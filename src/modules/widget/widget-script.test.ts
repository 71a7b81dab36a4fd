import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { WIDGET_GZIP_BUDGET_BYTES } from '../../../scripts/build-widget.js';
import { installErrorHandler } from '../../http/error-handler.js';
import { buildTestApp, expectError, type TestApp } from '../../test/harness.js';
import { widgetScriptRoutes } from './widget-script.routes.js';
import { ensureWidgetBundle } from './test-support/widget-bundle.js';

let t: TestApp;
let bundle: Buffer;
before(async () => {
  bundle = readFileSync(await ensureWidgetBundle());
  t = await buildTestApp();
});
after(() => t.close());

describe('the widget.js bundle', () => {
  test(`stays within ${WIDGET_GZIP_BUDGET_BYTES / 1024} kB gzipped`, (context) => {
    const gzipped = gzipSync(bundle, { level: 9 }).byteLength;
    context.diagnostic(`widget.js: ${bundle.byteLength} bytes, ${gzipped} bytes gzipped`);
    assert.ok(gzipped < WIDGET_GZIP_BUDGET_BYTES, `${gzipped} bytes gzipped`);
  });

  test('is one self-contained script: no imports, no URLs it could load (only the SVG namespace)', () => {
    const code = bundle.toString('utf8');
    assert.deepEqual(code.match(/https?:\/\/[^"'`\s)]*/g) ?? [], ['http://www.w3.org/2000/svg']);
    assert.doesNotMatch(code, /\bimport\s*\(|\bimportScripts\b|\binnerHTML\b|\bouterHTML\b|insertAdjacentHTML|document\.write|\beval\(|new Function/);
    assert.match(code, /^[\x09\x0a\x0d\x20-\x7e]*$/, 'ASCII only, whatever charset a server adds');
  });
});

describe('GET /widget.js', () => {
  test('serves the bundle as public, cacheable JavaScript that any site may load', async () => {
    const res = await t.request('GET', '/widget.js');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/javascript; charset=utf-8');
    assert.equal(res.headers['cache-control'], 'public, max-age=3600');
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin');
    assert.match(String(res.headers.etag), /^"[\w-]{27}"$/);
    assert.deepEqual(res.rawPayload, bundle);
  });

  test('gzipped for browsers that accept it; 304 when the ETag still matches', async () => {
    const zipped = await t.request('GET', '/widget.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    assert.equal(zipped.headers['content-encoding'], 'gzip');
    assert.equal(zipped.headers.vary, 'Accept-Encoding');
    assert.deepEqual(gunzipSync(zipped.rawPayload), bundle);
    assert.ok(zipped.rawPayload.byteLength < WIDGET_GZIP_BUDGET_BYTES);

    const again = await t.request('GET', '/widget.js', { headers: { 'if-none-match': String(zipped.headers.etag) } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.rawPayload.byteLength, 0);
  });

  test('needs no token, and is not part of the API documentation', async () => {
    assert.equal((await t.request('GET', '/widget.js', { headers: { authorization: 'Bearer nonsense' } })).statusCode, 200);
    const spec = (await t.request('GET', '/openapi.json')).json();
    assert.ok(!Object.keys(spec.paths).some((path) => path.includes('widget.js')));
  });

  test('a server without the built file answers 404 in the one error shape, saying how to build it', async () => {
    const app = Fastify();
    installErrorHandler(app);
    await app.register(widgetScriptRoutes({ scriptPath: join(tmpdir(), `shiori-not-built-${process.pid}`, 'widget.js') }));
    const body = expectError(await app.inject({ method: 'GET', url: '/widget.js' }), 404, 'RESOURCE_NOT_FOUND');
    assert.match(body.detail, /npm run build/);
    await app.close();
  });
});
