/**
 * Renders a table (CSV, one Excel sheet) as text a question can find and a citation can show:
 * each data row one paragraph of "列名: 値" pairs joined by " | ", so a row read alone still
 * says what each value is ("商品: りんご | 価格: 120"). Empty cells are left out of their row;
 * empty rows are dropped.
 *
 * The header row is the first row that fills at least half as many cells as the fullest of the
 * first rows: Japanese sheets often start with a title ("2024年度 価格表") and a blank line
 * above the real headers. Rows before it are kept as plain lines. A column without a header is
 * named by its letter as Excel shows it (A, B, … AA).
 * Example: tableToText([['商品', '価格'], ['りんご', '120']]) → '商品 | 価格\n\n商品: りんご | 価格: 120'
 */
export function tableToText(rows: readonly (readonly string[])[]): string {
  const cleaned = rows.map((row) => row.map(cleanCell)).filter((row) => row.some((cell) => cell !== ''));
  if (cleaned.length === 0) return '';
  const headerIndex = findHeaderRow(cleaned);
  const headers = cleaned[headerIndex]!;
  const preamble = cleaned.slice(0, headerIndex).map((row) => row.filter(Boolean).join(' | '));
  const headerLine = headers.filter(Boolean).join(' | ');
  const body = cleaned.slice(headerIndex + 1).map((row) => rowText(row, headers));
  return [...preamble, headerLine, ...body].filter(Boolean).join('\n\n');
}

const HEADER_SEARCH_ROWS = 10;

function findHeaderRow(rows: readonly string[][]): number {
  const filled = rows.slice(0, HEADER_SEARCH_ROWS).map((row) => row.filter(Boolean).length);
  const fullest = Math.max(...filled);
  const index = filled.findIndex((count) => count >= Math.max(fullest / 2, Math.min(fullest, 2)));
  return index === -1 ? 0 : index;
}

function rowText(row: readonly string[], headers: readonly string[]): string {
  return row
    .map((value, column) => (value === '' ? '' : `${headers[column] || columnLetter(column)}: ${value}`))
    .filter(Boolean)
    .join(' | ');
}

/** Line breaks inside a cell become spaces: one row stays one line. */
function cleanCell(value: string): string {
  return value.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** 0 → 'A', 25 → 'Z', 26 → 'AA'. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}
