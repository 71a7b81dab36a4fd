// FAQ entries as CSV, for people who keep them in Excel. Columns: question, answer, alternatives
// (the other phrasings in one cell, separated by "|" or by line breaks within the cell). A header
// row is required; Japanese headers (質問, 回答, 言い換え) are accepted too. Read as UTF-8 (with or
// without BOM) or Shift_JIS, as the document readers detect it; written as UTF-8 with BOM, which
// Excel needs to open Japanese text correctly, or as Shift_JIS (CP932) when asked for.
import { parse } from 'csv-parse/sync';
import { AppError } from '../../../http/errors.js';
import { csvText, unguardCsvField, writeCsv } from '../../../lib/csv/csv-writer.js';
import { charactersOutsideShiftJis, encodeShiftJis } from '../../../lib/csv/shift-jis.js';
import type { Text } from '../../../http/language.js';
import { decodeWith, detectTextEncoding, type TextEncodingLabel } from '../extract/txt/detect-encoding.js';

export const MAX_CSV_BYTES = 2 * 1024 * 1024;
export const MAX_CSV_ROWS = 2000;
/** Between the alternatives of one cell; a line break within the cell works too. */
export const ALTERNATIVES_DELIMITER = '|';

const COLUMNS = {
  question: ['question', '質問'],
  answer: ['answer', '回答'],
  alternatives: ['alternatives', '言い換え', '別の聞き方'],
} as const;
type Column = keyof typeof COLUMNS;

export interface CsvRecord {
  /** Line of the record in the file, from 1 (the header is 1). */
  row: number;
  question: string;
  answer: string;
  alternatives: string[];
}

const badCsv = (detail: Text) => new AppError('VALIDATION_ERROR', detail, { errors: [{ field: 'file', message: detail }] });

function decode(bytes: Buffer): { text: string; encoding: TextEncodingLabel } {
  const detected = detectTextEncoding(bytes);
  if (!detected) throw badCsv({ ja: 'CSV ファイルとして読めません（テキストではありません）。', en: 'This is not a CSV file (it is not text).' });
  return { text: decodeWith(bytes.subarray(detected.bomLength), detected.encoding), encoding: detected.encoding };
}

/** The file's records with their line numbers; the header decides which column is which. */
export function readFaqCsv(bytes: Buffer): { records: CsvRecord[]; encoding: TextEncodingLabel } {
  const { text, encoding } = decode(bytes);
  let rows: Array<{ record: string[]; info: { lines: number } }>;
  try {
    rows = parse(text, { relax_column_count: true, skip_empty_lines: true, info: true, to: MAX_CSV_ROWS + 2 }) as unknown as typeof rows;
  } catch {
    throw badCsv({ ja: 'CSV の形式が正しくありません（引用符が閉じていないなど）。', en: 'The CSV structure is invalid (an unclosed quote, for instance).' });
  }
  const [header, ...body] = rows;
  if (!header) throw badCsv({ ja: 'CSV ファイルが空です。', en: 'The CSV file is empty.' });
  if (body.length > MAX_CSV_ROWS) throw badCsv({ ja: `一度に取り込めるのは ${MAX_CSV_ROWS} 行までです。`, en: `At most ${MAX_CSV_ROWS} rows can be imported at once.` });
  const names = header.record.map((name) => name.trim().toLowerCase());
  const index = Object.fromEntries(
    (Object.keys(COLUMNS) as Column[]).map((column) => [column, names.findIndex((name) => (COLUMNS[column] as readonly string[]).includes(name))]),
  ) as Record<Column, number>;
  if (index.question < 0 || index.answer < 0) {
    throw badCsv({
      ja: '1 行目に見出し question, answer, alternatives（または 質問, 回答, 言い換え）が必要です。',
      en: 'The first row must be the header question, answer, alternatives.',
    });
  }
  // writeFaqCsv's guard against formulas is undone, so an export imports back as it was.
  const cell = (record: string[], column: Column) => unguardCsvField(index[column] >= 0 ? (record[index[column]] ?? '') : '');
  const records = body.map(({ record, info }) => ({
    row: info.lines,
    question: cell(record, 'question'),
    answer: cell(record, 'answer'),
    alternatives: cell(record, 'alternatives')
      .split(/[|\n]/)
      .map((alternative) => alternative.trim())
      .filter(Boolean),
  }));
  return { records, encoding };
}

export type FaqCsvEncoding = 'utf-8' | 'shift_jis';

/**
 * The entries as a CSV file Excel opens as it is: UTF-8 with BOM, or Shift_JIS (CP932) without;
 * CRLF line ends. An entry with characters Shift_JIS cannot hold (emoji, 𠮷, é…) refuses the
 * Shift_JIS export (422 naming it) instead of writing '?' in their place.
 */
export function writeFaqCsv(entries: Array<{ question: string; answer: string; alternatives: string[] }>, encoding: FaqCsvEncoding = 'utf-8'): Buffer {
  const rows = [['question', 'answer', 'alternatives'], ...entries.map((e) => [e.question, e.answer, e.alternatives.join(` ${ALTERNATIVES_DELIMITER} `)])];
  if (encoding === 'utf-8') return writeCsv(rows);
  const misfits = entries
    .map((entry) => ({ question: entry.question, characters: charactersOutsideShiftJis([entry.question, entry.answer, ...entry.alternatives].join('\n')) }))
    .filter((misfit) => misfit.characters.length > 0);
  if (misfits.length > 0) throw notShiftJis(misfits);
  return encodeShiftJis(csvText(rows));
}

function notShiftJis(misfits: Array<{ question: string; characters: string[] }>): AppError {
  const named = (misfit: (typeof misfits)[number]) => ({
    question: misfit.question.length > 40 ? `${misfit.question.slice(0, 40)}…` : misfit.question,
    characters: misfit.characters.map((c) => `${c} (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`).join(', '),
  });
  const first = named(misfits[0]!);
  const others = misfits.length - 1;
  return new AppError(
    'VALIDATION_ERROR',
    {
      ja: `FAQ「${first.question}」に Shift_JIS で表せない文字があります: ${first.characters}。${others ? `ほかに ${others} 件も同様です。` : ''}文字を置き換えるか、UTF-8 で書き出してください。`,
      en: `The FAQ entry "${first.question}" has characters Shift_JIS cannot represent: ${first.characters}.${others ? ` So do ${others} other entries.` : ''} Replace them, or export as UTF-8.`,
    },
    {
      errors: misfits.map(named).map(({ question, characters }) => ({
        field: 'encoding',
        message: { ja: `「${question}」: Shift_JIS で表せない文字 ${characters}`, en: `"${question}": characters Shift_JIS cannot represent: ${characters}` },
      })),
    },
  );
}
