import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { after, before, describe, test } from 'node:test';
import { installErrorHandler } from '../../http/error-handler.js';
import { DASHBOARD_CSP, webRoutes } from './web.routes.js';

// The serving rules on a made-up build (the real bundle is exercised by dashboard.browser.test.ts).
describe('web routes: the dashboard SPA', () => {
  let app: FastifyInstance;
  let dir: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'shiori-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("app")');
    writeFileSync(join(dir, 'assets', 'index-abc123.js.gz'), gzipSync('console.log("app")'));
    writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
    app = Fastify();
    installErrorHandler(app);
    app.get('/api/v1/real', async () => ({ ok: true }));
    await app.register(webRoutes({ distDir: dir }));
  });
  after(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('every page path answers index.html, never cached, under a strict CSP', async () => {
    for (const url of ['/', '/documents', '/documents/42', '/chat?session=1', '/accept?token=abc']) {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 200, url);
      assert.match(res.headers['content-type'] as string, /^text\/html; charset=utf-8/);
      assert.equal(res.headers['cache-control'], 'no-cache');
      assert.equal(res.headers['content-security-policy'], DASHBOARD_CSP);
      assert.match(DASHBOARD_CSP, /default-src 'self'/);
      assert.doesNotMatch(DASHBOARD_CSP, /unsafe-inline|unsafe-eval|https?:/);
      assert.equal(res.headers['x-frame-options'], 'DENY');
      assert.match(res.body, /id="root"/);
    }
  });

  test('hashed assets are cached for a year, with their type, gzipped when accepted', async () => {
    const plain = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    assert.equal(plain.statusCode, 200);
    assert.equal(plain.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(plain.headers['x-content-type-options'], 'nosniff');
    assert.equal(plain.body, 'console.log("app")');
    const gzipped = await app.inject({ method: 'GET', url: '/assets/index-abc123.js', headers: { 'accept-encoding': 'gzip, br' } });
    assert.equal(gzipped.headers['content-encoding'], 'gzip');
    const icon = await app.inject({ method: 'GET', url: '/favicon.svg' });
    assert.equal(icon.headers['content-type'], 'image/svg+xml');
  });

  test('missing files and server paths are the API’s JSON 404, not the app', async () => {
    for (const url of ['/assets/missing.js', '/assets/..%2F..%2Fpackage.json', '/assets/.hidden', '/nope.png', '/api/v1/nope', '/api', '/docs/x', '/redoc', '/openapi.json', '/widget.js', '/health']) {
      const res = await app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.json().error_code, 'RESOURCE_NOT_FOUND', url);
    }
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/real' })).json().ok, true);
    assert.equal((await app.inject({ method: 'POST', url: '/documents' })).statusCode, 404);
  });

  test('without a build, pages say how to build it', async () => {
    const bare = Fastify();
    installErrorHandler(bare);
    await bare.register(webRoutes({ distDir: join(dir, 'missing') }));
    const res = await bare.inject({ method: 'GET', url: '/documents' });
    assert.equal(res.statusCode, 503);
    assert.match(res.body, /npm run build/);
    await bare.close();
  });
});
