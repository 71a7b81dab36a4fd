// Builds the dashboard (web/) with Vite into dist/web, then writes a .gz beside each text file for
// the server to send to gzip clients. `npm run build` runs this; the dashboard's browser tests call
// buildWeb() themselves when the build is missing or older than its sources.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { projectRoot, webDistDir } from '../src/paths.js';

export const webSourceDir = join(projectRoot, 'web');

/** Budget for the JavaScript a first visit downloads, gzipped. */
export const WEB_JS_GZIP_BUDGET_BYTES = 150 * 1024;

export interface WebBuild {
  files: { name: string; bytes: number; gzipBytes: number }[];
  jsGzipBytes: number;
}

export async function buildWeb(): Promise<WebBuild> {
  await build({ configFile: join(webSourceDir, 'vite.config.ts'), logLevel: 'warn' });
  const files: WebBuild['files'] = [];
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path, `${prefix}${entry.name}/`);
      else if (/\.(js|css|html|svg|json)$/.test(entry.name)) {
        const body = readFileSync(path);
        const gzipped = gzipSync(body, { level: 9 });
        writeFileSync(`${path}.gz`, gzipped);
        files.push({ name: `${prefix}${entry.name}`, bytes: body.byteLength, gzipBytes: gzipped.byteLength });
      }
    }
  };
  walk(webDistDir, '');
  // What a first visit downloads: the scripts index.html loads and preloads, and the dictionary of the reader's
  // language (the larger one counts: web/src/i18n/dictionaries.ts); other pages' chunks come when opened.
  const html = readFileSync(join(webDistDir, 'index.html'), 'utf8');
  const firstVisit = new Set([...html.matchAll(/(?:src|href)="\/([^"]+\.js)"/g)].map((m) => m[1]!));
  const dictionaries = files.filter((f) => /^assets\/i18n-(ja|en)-[\w-]+\.js$/.test(f.name));
  if (dictionaries.length !== 2 || dictionaries.some((f) => firstVisit.has(f.name))) {
    throw new Error(`Expected the two dictionaries as chunks of their own, loaded by the app, not by index.html: ${dictionaries.map((f) => f.name).join(', ')}`);
  }
  const pagesGzipBytes = files.filter((f) => firstVisit.has(f.name)).reduce((sum, f) => sum + f.gzipBytes, 0);
  const jsGzipBytes = pagesGzipBytes + Math.max(...dictionaries.map((f) => f.gzipBytes));
  return { files, jsGzipBytes };
}

/** Newest modification time under a folder (the tests rebuild when web/ or the shared schemas changed). */
export function newestModification(dir: string): number {
  return Math.max(
    0,
    ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newestModification(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // React's production build whatever the caller's NODE_ENV (the test runner sets `test`).
  process.env.NODE_ENV = 'production';
  const built = await buildWeb();
  for (const f of built.files) console.log(`web/${f.name}: ${(f.bytes / 1024).toFixed(1)} kB, ${(f.gzipBytes / 1024).toFixed(1)} kB gzipped`);
  console.log(`web JavaScript of a first visit (the larger dictionary included): ${(built.jsGzipBytes / 1024).toFixed(1)} kB gzipped → ${webDistDir}`);
  if (built.jsGzipBytes > WEB_JS_GZIP_BUDGET_BYTES) {
    console.error(`The dashboard's JavaScript is over its budget of ${WEB_JS_GZIP_BUDGET_BYTES / 1024} kB gzipped`);
    process.exit(1);
  }
}
