import type { Text } from '../../../http/language.js';
import type { ExtractionFailure } from './types.js';

/**
 * Why a file could not be turned into text. `reason` is written for the person who uploaded
 * the file, in both languages (stored with the document, shown in the reader's); `detail`
 * carries the technical cause for logs.
 */
export class ExtractionError extends Error {
  override readonly name = 'ExtractionError';
  readonly code: ExtractionFailure;
  /** False only when trying again may succeed (the worker was killed, the machine was busy). */
  readonly permanent: boolean;
  readonly detail: string | undefined;
  readonly reason: Text;

  constructor(code: ExtractionFailure, reason: Text, options: { permanent?: boolean; detail?: string } = {}) {
    super(reason.en);
    this.code = code;
    this.reason = reason;
    this.permanent = options.permanent ?? true;
    this.detail = options.detail;
  }

  /** Plain data that survives the trip between the worker process and its parent. */
  toJSON(): SerializedExtractionError {
    return { code: this.code, reason: this.reason, permanent: this.permanent, detail: this.detail };
  }

  static fromJSON(data: SerializedExtractionError): ExtractionError {
    return new ExtractionError(data.code, data.reason, { permanent: data.permanent, detail: data.detail });
  }
}

export interface SerializedExtractionError {
  code: ExtractionFailure;
  reason: Text;
  permanent: boolean;
  detail: string | undefined;
}

/** "The file is damaged and could not be read: <cause>." — the one wording for damaged files. */
export function corruptFile(cause: Text, detail?: string): ExtractionError {
  return new ExtractionError(
    'CORRUPT',
    { ja: `ファイルが壊れているため読み取れませんでした（${cause.ja}）。元のファイルを保存し直してからアップロードしてください。`, en: `The file is damaged and could not be read: ${cause.en}.` },
    { detail },
  );
}

export function noTextFound(reason: Text): ExtractionError {
  return new ExtractionError('NO_TEXT', reason);
}

export function tooLarge(reason: Text, detail?: string): ExtractionError {
  return new ExtractionError('TOO_LARGE', reason, { detail });
}

export function tooMuchText(maxTextChars: number): ExtractionError {
  const limit = maxTextChars.toLocaleString('en-US');
  return tooLarge({
    ja: `ファイルの文字数が上限の ${limit} 文字を超えています。小さなファイルに分けてアップロードしてください。`,
    en: `The file contains more text than the limit of ${limit} characters; split it into smaller files.`,
  });
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
