import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildTestApp, type TestApp } from '../test/harness.js';
import { browserSkipReason, freePort, launchChromium } from '../modules/widget/test-support/browser.js';

// The API documentation as a reader opens it: the real server, Debian's Chromium. Each page must
// load everything from this server (the CSP would block anything else) and log no error.

describe('API documentation pages in a real browser', { skip: browserSkipReason() }, () => {
  let browser: Browser;
  let t: TestApp;
  let origin: string;

  before(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    t = await buildTestApp({ publicUrl: origin });
    await t.app.listen({ port, host: '127.0.0.1' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Opens `path`, waits for `ready` to show, and returns every request and console message it made. */
  async function visit(path: string, ready: string) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const requests: string[] = [];
    const messages: string[] = [];
    context.on('request', (request) => void requests.push(request.url()));
    const page = await context.newPage();
    page.on('console', (message) => void messages.push(`${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => void messages.push(`pageerror: ${String(error)}`));
    page.on('response', (response) => {
      if (response.status() >= 400) messages.push(`error: ${response.status()} ${response.url()}`);
    });
    await page.goto(`${origin}${path}`);
    await page.locator(ready).first().waitFor({ timeout: 20_000 });
    await page.waitForLoadState('networkidle');
    await context.close();
    return { requests, messages };
  }

  for (const [path, ready] of [
    ['/docs', '.opblock-summary-path:has-text("/api/v1/contents/upload")'],
    ['/redoc', 'h2:has-text("Upload")'],
  ] as const) {
    test(`${path} loads only from this server and logs no error`, async () => {
      const { requests, messages } = await visit(path, ready);
      assert.ok(requests.some((url) => url === `${origin}/openapi.json` || url === `${origin}/docs/json`), `the spec was fetched: ${requests.join(', ')}`);
      assert.deepEqual(requests.filter((url) => new URL(url).origin !== origin), [], 'requests to other hosts (blob: URLs of this page are this origin)');
      assert.deepEqual(messages.filter((m) => /^(error|warning|pageerror)/.test(m)), [], 'console errors and warnings');
    });
  }
});
