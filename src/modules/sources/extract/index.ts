/**
 * Text extraction for uploaded documents (PDF, DOCX, TXT).
 *
 *   const { kind, reason } = await inspectFileType(path, upload.filename); // kind null → refuse the upload with `reason`
 *   const { pages } = await extractFile(path, kind);
 *
 * Parsing always happens in a separate, short-lived worker process with a hard time limit
 * and a memory cap, so a hostile or broken file fails alone. Failures are ExtractionErrors
 * whose message can be shown to the uploader as is.
 */
import { stat } from 'node:fs/promises';
import { runIsolated } from './run-isolated.js';
import { defaultExtractionLimits } from './types.js';
import type { ExtractionLimits, ExtractionResult, ExtractOptions, FileKind } from './types.js';

export { inspectFileType } from './detect-file-type.js';
export type { FileTypeVerdict } from './detect-file-type.js';
export { ExtractionError } from './errors.js';
export { defaultExtractionLimits } from './types.js';
export type {
  ExtractedPage,
  ExtractionFailure,
  ExtractionLimits,
  ExtractionResult,
  ExtractOptions,
  FileKind,
} from './types.js';

/**
 * Extracts the text of `filePath`, read as `kind` (from inspectFileType). Rejects with an
 * ExtractionError when the file cannot be indexed; with a plain Error only when the file
 * itself cannot be opened (e.g. ENOENT), which is the caller's problem, not the file's.
 */
export async function extractFile(
  filePath: string,
  kind: FileKind,
  limits: Partial<ExtractionLimits> = {},
  opts: ExtractOptions = {},
): Promise<ExtractionResult> {
  await stat(filePath); // fail fast, in the caller's process, on a path that does not exist
  const effectiveLimits = resolveLimits(limits);
  return runIsolated({ filePath, kind, limits: effectiveLimits, chunking: opts.chunking }, effectiveLimits, opts);
}

function resolveLimits(overrides: Partial<ExtractionLimits>): ExtractionLimits {
  const limits = { ...defaultExtractionLimits };
  for (const [name, value] of Object.entries(overrides) as [keyof ExtractionLimits, number | undefined][]) {
    if (value === undefined) continue;
    // 0 turns OCR off; every other limit must let something through.
    if (!Number.isFinite(value) || value < 0 || (value === 0 && name !== 'ocrMaxPages')) throw new RangeError(`Extraction limit ${name} must be a positive number, got ${value}`);
    limits[name] = value;
  }
  return limits;
}
