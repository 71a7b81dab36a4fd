import { parse } from 'csv-parse/sync';
import { corruptFile, describeCause, noTextFound, tooMuchText } from '../errors.js';
import { readTextFile } from '../txt/extract-txt.js';
import type { ExtractionLimits, ExtractionResult } from '../types.js';
import { tableToText } from './table-to-text.js';

const DELIMITERS = [',', '\t', ';'] as const;

/**
 * Reads a CSV file (UTF-8 with or without BOM, Shift_JIS as Excel writes it in Japan, and the
 * other encodings TXT accepts) as one table: each row with its column headers (tableToText).
 * Tab- and semicolon-separated files saved as .csv are read too. One page numbered 1.
 */
export async function extractCsv(filePath: string, limits: ExtractionLimits): Promise<ExtractionResult> {
  const { text: source, encoding, warnings } = await readTextFile(filePath, limits);
  let rows: string[][];
  try {
    rows = parse(source, { delimiter: guessDelimiter(source), relax_column_count: true, relax_quotes: true, skip_empty_lines: true });
  } catch (error) {
    throw corruptFile({ ja: 'CSV の形式が正しくありません（引用符が閉じていないなど）', en: 'its CSV structure is invalid (an unclosed quote, for instance)' }, describeCause(error));
  }
  const text = tableToText(rows);
  if (text.length > limits.maxTextChars) throw tooMuchText(limits.maxTextChars);
  if (text.trim() === '') throw noTextFound({ ja: 'この CSV ファイルは空です。登録する内容がありません。', en: 'This CSV file is empty; there is nothing to index.' });
  return { kind: 'csv', pages: [{ page: 1, text }], pageCount: 1, encoding, warnings };
}

/** The separator that occurs most often in the first line, outside quotes; a comma when none does. */
function guessDelimiter(source: string): string {
  const firstLine = (source.split('\n', 1)[0] ?? '').replace(/"[^"]*"/g, '');
  const counts = DELIMITERS.map((delimiter) => ({ delimiter, count: firstLine.split(delimiter).length - 1 }));
  const best = counts.sort((a, b) => b.count - a.count)[0]!;
  return best.count > 0 ? best.delimiter : ',';
}
