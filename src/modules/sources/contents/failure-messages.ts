import type { Language, Text } from '../../../http/language.js';
import type { ExtractionFailure } from '../extract/types.js';

/** Every `failure_code` a document can end with: the extractor's, and the worker's own. */
export const failureCodes = ['NO_TEXT', 'PASSWORD_REQUIRED', 'CORRUPT', 'TOO_LARGE', 'TIMEOUT', 'UNSUPPORTED', 'PROCESSING_FAILED'] as const satisfies readonly (ExtractionFailure | 'PROCESSING_FAILED')[];
export type FailureCode = (typeof failureCodes)[number];

/**
 * What each failure code means, for the documents failed before reasons were stored in both
 * languages (migration 0007): their Japanese comes from here, their English was stored.
 */
export const failureCodeTexts: Record<FailureCode, Text> = {
  NO_TEXT: { ja: 'ファイルに登録できるテキストがありません（スキャンした PDF の場合は、文字認識（OCR）でも文字が見つかりませんでした）。', en: 'The file contains no text to index (for a scanned PDF: text recognition (OCR) found none either).' },
  PASSWORD_REQUIRED: { ja: 'この PDF はパスワードで保護されています。パスワードを外してからアップロードしてください。', en: 'This PDF is password-protected; upload it without a password.' },
  CORRUPT: { ja: 'ファイルが壊れているため読み取れませんでした。元のファイルを保存し直してからアップロードしてください。', en: 'The file is damaged and could not be read.' },
  TOO_LARGE: { ja: 'ファイルが大きすぎるため処理できませんでした。小さなファイルに分けてアップロードしてください。', en: 'The file is too large to process; split it into smaller files.' },
  TIMEOUT: { ja: 'ファイルの読み取りに時間がかかりすぎたため中止しました。再処理できます。', en: 'Reading this file took too long and was stopped; it can be tried again.' },
  UNSUPPORTED: { ja: 'この種類のファイルには対応していません。PDF、Word（.docx）、Excel（.xlsx）、PowerPoint（.pptx）、CSV、テキスト、Markdown、HTML のファイルをアップロードしてください。', en: 'This file type is not supported; upload a PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), CSV, text, Markdown or HTML file.' },
  PROCESSING_FAILED: { ja: '処理に失敗しました。再処理してください。', en: 'Processing failed; reprocess the document.' },
};

/** The worker's own failures (not the file's content): stopped too often, or an unexpected error on the last attempt. */
export const processingFailed = {
  stoppedRepeatedly: (times: number): Text => ({
    ja: `処理が ${times} 回予期せず止まりました。ファイルが複雑すぎて処理できない可能性があります。`,
    en: `Processing stopped unexpectedly ${times} times; the file may be too complex to process.`,
  }),
  unexpected: (cause: string): Text => ({ ja: `処理に失敗しました: ${cause}`, en: `Processing failed: ${cause}` }),
};

/** A document's failure reason in `language`: its stored message, else (failed before 0007) what its code means. */
export function failureReasonIn(
  content: { failureCode: string | null; failureReason: string | null; failureMessage: Text | null },
  language: Language,
): string | null {
  if (content.failureMessage) return content.failureMessage[language];
  if (!content.failureCode) return content.failureReason;
  if (language === 'en' && content.failureReason) return content.failureReason;
  return (failureCodeTexts[content.failureCode as FailureCode] ?? failureCodeTexts.PROCESSING_FAILED)[language];
}
