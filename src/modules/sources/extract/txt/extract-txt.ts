import { readFile } from 'node:fs/promises';
import type { Text } from '../../../../http/language.js';
import { ExtractionError, noTextFound, tooMuchText } from '../errors.js';
import type { ExtractionLimits, ExtractionResult } from '../types.js';
import { decodeWith, detectTextEncoding } from './detect-encoding.js';
import type { TextEncodingLabel } from './detect-encoding.js';

/** Reads a plain-text file in any of the encodings Japanese offices produce; one page numbered 1. */
export async function extractTxt(filePath: string, limits: ExtractionLimits): Promise<ExtractionResult> {
  const { text, encoding, warnings } = await readTextFile(filePath, limits);
  if (text.trim() === '') throw noTextFound({ ja: 'このテキストファイルは空です。登録する内容がありません。', en: 'This text file is empty; there is nothing to index.' });
  return { kind: 'txt', pages: [{ page: 1, text }], pageCount: 1, encoding, warnings };
}

export interface DecodedTextFile {
  /** Cleaned as cleanPlainText does. */
  text: string;
  encoding: TextEncodingLabel;
  warnings: Text[];
}

/**
 * Reads and decodes a text-based file (TXT, Markdown, HTML, CSV): the encoding is detected
 * (UTF-8/16, Shift_JIS, EUC-JP, ISO-2022-JP, else Windows-1252), binary data is refused.
 */
export async function readTextFile(filePath: string, limits: ExtractionLimits): Promise<DecodedTextFile> {
  const bytes = await readFile(filePath);
  // Every encoding we accept needs at most 4 bytes per character.
  if (bytes.length > limits.maxTextChars * 4) throw tooMuchText(limits.maxTextChars);

  const detected = detectTextEncoding(bytes);
  if (!detected) {
    throw new ExtractionError(
      'UNSUPPORTED',
      { ja: 'このファイルはテキストではありません（バイナリデータを含みます）。', en: 'This file is not plain text (it contains binary data).' },
    );
  }
  const text = cleanPlainText(decodeWith(bytes.subarray(detected.bomLength), detected.encoding));
  if (text.length > limits.maxTextChars) throw tooMuchText(limits.maxTextChars);
  const warnings =
    detected.encoding === 'windows-1252'
      ? [{ ja: 'UTF-8 でも日本語の文字コードでもなかったため、Windows-1252（西欧）として読み取りました。', en: 'The text was not UTF-8 or a Japanese encoding; it was read as Windows-1252 (Western European).' }]
      : [];
  return { text, encoding: detected.encoding, warnings };
}

/** Unix line ends, no stray BOM, no control characters other than tab and line feed. */
export function cleanPlainText(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\f/g, '\n')
    .replace(/[\u0000-\u0008\u000B\u000E-\u001F\u007F]/g, '');
}
