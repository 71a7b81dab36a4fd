import { readFile } from 'node:fs/promises';
import { ExtractionError, noTextFound, tooMuchText } from '../errors.js';
import type { ExtractionLimits, ExtractionResult } from '../types.js';
import { decodeWith, detectTextEncoding } from './detect-encoding.js';

/** Reads a plain-text file in any of the encodings Japanese offices produce; one page numbered 1. */
export async function extractTxt(filePath: string, limits: ExtractionLimits): Promise<ExtractionResult> {
  const bytes = await readFile(filePath);
  // Every encoding we accept needs at most 4 bytes per character.
  if (bytes.length > limits.maxTextChars * 4) throw tooMuchText(limits.maxTextChars);

  const detected = detectTextEncoding(bytes);
  if (!detected) {
    throw new ExtractionError(
      'UNSUPPORTED',
      { ja: 'このファイルはテキストではありません（バイナリデータを含みます）。PDF、DOCX、テキストファイルをアップロードしてください。', en: 'This file is not plain text (it contains binary data); upload a PDF, DOCX or text file.' },
    );
  }
  const decoded = decodeWith(bytes.subarray(detected.bomLength), detected.encoding);
  const text = cleanPlainText(decoded);
  if (text.length > limits.maxTextChars) throw tooMuchText(limits.maxTextChars);
  if (text.trim() === '') throw noTextFound({ ja: 'このテキストファイルは空です。登録する内容がありません。', en: 'This text file is empty; there is nothing to index.' });

  const warnings =
    detected.encoding === 'windows-1252'
      ? [{ ja: 'UTF-8 でも日本語の文字コードでもなかったため、Windows-1252（西欧）として読み取りました。', en: 'The text was not UTF-8 or a Japanese encoding; it was read as Windows-1252 (Western European).' }]
      : [];
  return { kind: 'txt', pages: [{ page: 1, text }], pageCount: 1, encoding: detected.encoding, warnings };
}

/** Unix line ends, no stray BOM, no control characters other than tab and line feed. */
export function cleanPlainText(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/\f/g, '\n')
    .replace(/[\u0000-\u0008\u000B\u000E-\u001F\u007F]/g, '');
}
