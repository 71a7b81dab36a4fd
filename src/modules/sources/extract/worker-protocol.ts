import type { SerializedExtractionError } from './errors.js';
import type { ChunkingRequest } from './prepare-chunks.js';
import type { ExtractionLimits, ExtractionResult, FileKind } from './types.js';

/** The one message the parent sends to an extraction worker process. */
export interface ExtractionRequest {
  filePath: string;
  kind: FileKind;
  limits: ExtractionLimits;
  chunking?: ChunkingRequest;
}

/** The one message the worker sends back before it exits. */
export type ExtractionReply =
  | { ok: true; result: ExtractionResult }
  | { ok: false; error: SerializedExtractionError };
