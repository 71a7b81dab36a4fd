import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { privateCacheFolder } from './private-cache-folder.js';

const require = createRequire(import.meta.url);

export type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');

/** Folders of pdf.js data files, given as paths: pdf.js reads them with fs under Node, never over the network. */
export interface PdfjsAssets {
  cMapUrl: string;
  standardFontDataUrl: string;
  wasmUrl: string;
}

/**
 * pdf.js 5.x drops to a simple-font fallback when a composite (Type0) font has no
 * FontDescriptor, so text in the common "non-embedded Japanese font + predefined CMap
 * (90ms-RKSJ-H)" shape comes out as Shift_JIS bytes read as Latin-1. pdf.js fixed this upstream
 * in 2026-05 (PR #21331, released in 6.x, which needs Node 22). Until then the worker module
 * is loaded with the same one-line change: treat a composite font without a descriptor like a
 * Type3 font without one (an empty descriptor), which keeps it on the path that loads the CMap.
 */
const MISSING_DESCRIPTOR_BRANCH = `    if (!descriptor) {
      if (isType3Font) {
        descriptor = Dict.empty;`;
const MISSING_DESCRIPTOR_FIX = `    if (!descriptor) {
      if (isType3Font || composite) {
        descriptor = Dict.empty;`;

export interface LoadedPdfjs {
  pdfjs: Pdfjs;
  assets: PdfjsAssets;
  /** Why the patched worker could not be used, when it could not (the stock worker runs instead). */
  patchProblem: string | undefined;
}

let loading: Promise<LoadedPdfjs> | undefined;

/** Loads pdf.js once per process, with the patched worker when the installed version needs it. */
export function loadPdfjs(): Promise<LoadedPdfjs> {
  loading ??= (async () => {
    // Without the fix only some rare Japanese PDFs suffer, so a failure here must not stop every PDF.
    const patchProblem = await installPatchedWorker().then(
      () => undefined,
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
    return { pdfjs, assets: assetFolders(), patchProblem };
  })();
  return loading;
}

function assetFolders(): PdfjsAssets {
  const root = dirname(require.resolve('pdfjs-dist/package.json'));
  return {
    cMapUrl: join(root, 'cmaps') + '/',
    standardFontDataUrl: join(root, 'standard_fonts') + '/',
    wasmUrl: join(root, 'wasm') + '/',
  };
}

/**
 * Under Node, pdf.js runs its "worker" in-process and takes it from `globalThis.pdfjsWorker`
 * when set. The patched copy is kept in a per-user cache folder that only this user can
 * write (checked, since it holds code we import), under a name derived from its content, so
 * worker processes reuse one file instead of writing 2 MB each time.
 */
async function installPatchedWorker(): Promise<void> {
  const source = await readFile(require.resolve('pdfjs-dist/legacy/build/pdf.worker.mjs'), 'utf8');
  if (!source.includes(MISSING_DESCRIPTOR_BRANCH)) return; // fixed upstream, or the code moved
  const patched = source.replace(MISSING_DESCRIPTOR_BRANCH, MISSING_DESCRIPTOR_FIX);
  const digest = createHash('sha256').update(patched).digest('hex').slice(0, 16);
  const file = join(await privateCacheFolder('shiori-pdfjs'), `pdf.worker.${digest}.mjs`);
  const cached = await readFile(file, 'utf8').catch(() => undefined);
  if (cached !== patched) {
    const partial = `${file}.${process.pid}.tmp`;
    await writeFile(partial, patched, { mode: 0o600 });
    await rename(partial, file); // atomic: a concurrent worker sees the old file or the whole new one
  }
  (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker = await import(pathToFileURL(file).href);
}
