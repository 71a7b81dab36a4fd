// CSV files that Excel opens as they are: UTF-8 with a BOM (without it Excel reads Japanese as
// Shift_JIS and garbles it) or, asked for, Shift_JIS itself (./shift-jis.ts); CRLF line ends, and
// cells that would start a formula made inert. Every CSV the product writes (FAQ, conversations,
// inbox exports) goes through here.

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * One CSV field, quoted when it must be; a leading =, +, - or @ (or a tab or CR) is prefixed with '
 * so a spreadsheet shows it as text instead of running it as a formula (CSV injection).
 * @example csvField('=SUM(A1)') // "'=SUM(A1)"
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Rows (the header first) as CSV text: CRLF after every row, every field through csvField. */
export const csvText = (rows: ReadonlyArray<ReadonlyArray<string>>) => rows.map((cells) => cells.map(csvField).join(',')).join('\r\n') + '\r\n';

/** Rows (the header first) as a CSV file: UTF-8 with BOM, CRLF, every field through csvField. */
export function writeCsv(rows: ReadonlyArray<ReadonlyArray<string>>): Buffer {
  return Buffer.concat([BOM, Buffer.from(csvText(rows), 'utf8')]);
}

/** A formula guard undone, for reading back a file we wrote (csvField's leading '). */
export const unguardCsvField = (value: string) => value.replace(/^'(?=[=+\-@])/, '');
