// Real-browser test support: Debian's Chromium through playwright-core, and a second local web
// server (another origin than the API) that serves the test pages carrying the embed snippet.
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Why the browser tests cannot run here, for node:test's `skip`, or false when they can. In CI
 * (`CI` set) a missing browser is never a reason: the tests run and fail, since .ci/run installs it.
 */
export function browserSkipReason(): string | false {
  if (existsSync(CHROMIUM_PATH) || process.env.CI) return false;
  return `no browser at ${CHROMIUM_PATH}: apt-get install -y --no-install-recommends chromium fonts-noto-cjk`;
}

/**
 * Chromium, headless. Its own log is kept (the last lines) and printed if it goes away before the
 * test closes it, so a browser crash in CI says why instead of only "browser has been closed".
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`The widget's browser tests need Chromium at ${CHROMIUM_PATH} (apt-get install -y --no-install-recommends chromium fonts-noto-cjk)`);
  const log: string[] = [];
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    timeout: 60_000,
    logger: {
      isEnabled: (name) => name === 'browser',
      log: (_name, _severity, message) => {
        log.push(String(message));
        if (log.length > 40) log.shift();
      },
    },
  });
  let closing = false;
  const close = browser.close.bind(browser);
  browser.close = async (options) => {
    closing = true;
    await close(options);
  };
  browser.on('disconnected', () => {
    if (!closing) console.error(`Chromium went away during the test; its last log lines:\n${log.join('\n')}`);
  });
  return browser;
}

export interface SiteServer {
  /** http://localhost:PORT — a different origin from the API's http://127.0.0.1:PORT. */
  origin: string;
  /** Path → HTML; a test adds the pages it needs. */
  pages: Map<string, string>;
  /** Every request the site received (path only), to prove the widget loads nothing from it. */
  requests: string[];
  close(): Promise<void>;
}

/** A plain web server for the customer's website. */
export async function startSite(): Promise<SiteServer> {
  const pages = new Map<string, string>();
  const requests: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    requests.push(path);
    const html = pages.get(path);
    if (html === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://localhost:${(server.address() as AddressInfo).port}`,
    pages,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A free TCP port on 127.0.0.1 (the API must know its public URL before it listens). */
export { freePort } from '../../../test/server-process.js';

/** A company's web page with the embed snippet before </body>. */
export function sitePage(snippet: string, options: { lang?: string; head?: string; body?: string } = {}): string {
  return (
    `<!doctype html><html lang="${options.lang ?? 'ja'}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>株式会社しおり商事</title>' +
    `${options.head ?? ''}</head><body><header><h1>株式会社しおり商事</h1></header>` +
    `<main><p>採用情報・会社案内</p><button class="page-button">ページのボタン</button></main>${options.body ?? ''}${snippet}</body></html>`
  );
}
