import type { ExtractionFailure } from './types.js';

/**
 * Why a file could not be turned into text. `message` is written for the person who uploaded
 * the file; `detail` carries the technical cause for logs.
 */
export class ExtractionError extends Error {
  override readonly name = 'ExtractionError';
  readonly code: ExtractionFailure;
  /** False only when trying again may succeed (the worker was killed, the machine was busy). */
  readonly permanent: boolean;
  readonly detail: string | undefined;

  constructor(code: ExtractionFailure, message: string, options: { permanent?: boolean; detail?: string } = {}) {
    super(message);
    this.code = code;
    this.permanent = options.permanent ?? true;
    this.detail = options.detail;
  }

  /** Plain data that survives the trip between the worker process and its parent. */
  toJSON(): SerializedExtractionError {
    return { code: this.code, message: this.message, permanent: this.permanent, detail: this.detail };
  }

  static fromJSON(data: SerializedExtractionError): ExtractionError {
    return new ExtractionError(data.code, data.message, { permanent: data.permanent, detail: data.detail });
  }
}

export interface SerializedExtractionError {
  code: ExtractionFailure;
  message: string;
  permanent: boolean;
  detail: string | undefined;
}

/** "The file is damaged and could not be read: <cause>." — the one wording for damaged files. */
export function corruptFile(cause: string, detail?: string): ExtractionError {
  const sentence = cause.endsWith('.') ? cause : `${cause}.`;
  return new ExtractionError('CORRUPT', `The file is damaged and could not be read: ${sentence}`, { detail });
}

export function noTextFound(message: string): ExtractionError {
  return new ExtractionError('NO_TEXT', message);
}

export function tooLarge(message: string, detail?: string): ExtractionError {
  return new ExtractionError('TOO_LARGE', message, { detail });
}

export function tooMuchText(maxTextChars: number): ExtractionError {
  return tooLarge(
    `The file contains more text than the limit of ${maxTextChars.toLocaleString('en-US')} characters; split it into smaller files.`,
  );
}

/** A short, single-line cause from any thrown value, for `detail` and for corruptFile causes. */
export function describeCause(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const firstLine = text.split('\n', 1)[0] ?? '';
  return firstLine.length > 200 ? `${firstLine.slice(0, 197)}...` : firstLine;
}

/** 524288000 → "500 MB", 262144 → "256 KB". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round(bytes / (1024 * 1024)).toLocaleString('en-US')} MB`;
  return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('en-US')} KB`;
}
