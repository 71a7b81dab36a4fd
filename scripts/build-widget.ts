// Bundles widget/src into dist/widget/widget.js: one minified file, nothing loaded from elsewhere.
// `npm run build` runs this after the server build; the widget tests call buildWidget() themselves
// when the bundle is missing or older than its sources.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { projectRoot, widgetBundlePath } from '../src/paths.js';

export const widgetSourceDir = join(projectRoot, 'widget', 'src');

/** Budget for what a visitor downloads (the server sends it gzipped). */
export const WIDGET_GZIP_BUDGET_BYTES = 25 * 1024;

export interface WidgetBuild {
  path: string;
  bytes: number;
  gzipBytes: number;
}

/** Builds the bundle and writes it atomically (a server reading it meanwhile sees the old or the new file whole). */
export async function buildWidget(outfile = widgetBundlePath): Promise<WidgetBuild> {
  const result = await build({
    entryPoints: [join(widgetSourceDir, 'main.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    // ASCII output (strings' Japanese as \u escapes; regular expression literals must spell theirs so
    // themselves): correct whatever charset a server or proxy might add. widget-script.test.ts checks.
    charset: 'ascii',
    tsconfig: join(projectRoot, 'widget', 'tsconfig.json'),
    write: false,
    logLevel: 'warning',
  });
  const code = result.outputFiles[0]!.contents;
  mkdirSync(dirname(outfile), { recursive: true });
  const temporary = `${outfile}.${process.pid}.tmp`;
  writeFileSync(temporary, code);
  renameSync(temporary, outfile);
  return { path: outfile, bytes: code.byteLength, gzipBytes: gzipSync(code, { level: 9 }).byteLength };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const built = await buildWidget();
  console.log(`widget.js: ${(built.bytes / 1024).toFixed(1)} kB, ${(built.gzipBytes / 1024).toFixed(1)} kB gzipped → ${built.path}`);
  if (built.gzipBytes > WIDGET_GZIP_BUDGET_BYTES) {
    console.error(`widget.js is over its budget of ${WIDGET_GZIP_BUDGET_BYTES / 1024} kB gzipped`);
    process.exit(1);
  }
}
