import ExcelJS from 'exceljs';
import { corruptFile, describeCause, noTextFound, tooLarge, tooMuchText } from '../errors.js';
import { assertSafeOfficeZip, officeFormats } from '../office/zip-guard.js';
import { tableToText } from '../table/table-to-text.js';
import type { ExtractedPage, ExtractionLimits, ExtractionResult } from '../types.js';
import { cellText } from './cell-text.js';

/**
 * Reads an Excel workbook: each worksheet one page, numbered in workbook order (pages hold
 * integers only, so the sheet's name is the page's first line, its heading; citations show it
 * with the passage). Each sheet is a table (tableToText: every row with its column headers).
 * Formulas give their cached results; a merged cell's value is repeated down the rows it
 * spans (each row stays self-contained) but not across columns (it would only repeat itself).
 * Hidden sheets are read too: hiding is layout, not confidentiality.
 * The zip is checked first, as for DOCX (zip bombs, entry counts, DTDs).
 */
export async function extractXlsx(filePath: string, limits: ExtractionLimits): Promise<ExtractionResult> {
  await assertSafeOfficeZip(filePath, limits, officeFormats.xlsx);
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(filePath);
  } catch (error) {
    throw corruptFile({ ja: 'Excel ブックの構造が正しくありません', en: 'the Excel workbook structure is invalid' }, describeCause(error));
  }
  const sheets = workbook.worksheets;
  if (sheets.length > limits.maxPages) {
    throw tooLarge({ ja: `このブックにはシートが ${sheets.length} 枚あり、上限の ${limits.maxPages} 枚を超えています。`, en: `This workbook has ${sheets.length} sheets, more than the limit of ${limits.maxPages}.` });
  }

  const pages: ExtractedPage[] = [];
  let totalChars = 0;
  for (const [index, sheet] of sheets.entries()) {
    const table = tableToText(sheetRows(sheet));
    if (table === '') continue;
    const text = `${sheet.name}\n\n${table}`;
    totalChars += text.length;
    if (totalChars > limits.maxTextChars) throw tooMuchText(limits.maxTextChars);
    pages.push({ page: index + 1, text });
  }
  if (pages.length === 0) throw noTextFound({ ja: 'この Excel ブックのシートはすべて空です。', en: 'Every sheet of this Excel workbook is empty.' });
  return { kind: 'xlsx', pages, pageCount: sheets.length, pageLabels: sheets.map((sheet) => sheet.name), warnings: [] };
}

function sheetRows(sheet: ExcelJS.Worksheet): string[][] {
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, column) => {
      // A slave of a merge across columns stays empty; down the rows it repeats the master's value.
      cells[column - 1] = cell.isMerged && cell.master.col !== cell.col ? '' : cellText(cell.master.value);
    });
    rows.push(Array.from(cells, (value) => value ?? ''));
  });
  return rows;
}
