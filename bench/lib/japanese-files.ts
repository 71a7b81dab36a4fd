// Japanese documents in the text and office formats, of about a given size, for bench:ingest: the
// eval set's Wikipedia paragraphs laid out as people write such files (a Markdown manual with
// headings and lists, an HTML page with navigation around its main content, a CSV/XLSX table of
// articles, a slide deck with notes). XLSX through exceljs and PPTX through the extraction tests'
// own writer (make-office.ts), so they are real files.
import ExcelJS from 'exceljs';
import { writeCsv } from '../../src/lib/csv/csv-writer.js';
import { makePptx, type SlideInput } from '../../src/modules/sources/extract/test-support/make-office.js';

export const BENCH_FORMATS = ['md', 'html', 'csv', 'xlsx', 'pptx'] as const;
export type BenchFormat = (typeof BENCH_FORMATS)[number];

interface Section {
  title: string;
  paragraphs: string[];
}

/** Sections of ~4 paragraphs taken from the articles, from `seed` on, until their text reaches `bytes`. */
function sections(articles: Array<{ text: string }>, bytes: number, seed: number): Section[] {
  const paragraphs = articles.flatMap((a) => a.text.split(/\n\s*\n/).map((p) => p.trim()).filter((p) => p.length > 40));
  const result: Section[] = [];
  let size = 0;
  for (let i = (seed * 97) % paragraphs.length; size < bytes; ) {
    const chosen = Array.from({ length: 4 }, () => paragraphs[i++ % paragraphs.length]!);
    size += chosen.reduce((s, p) => s + Buffer.byteLength(p), 0);
    result.push({ title: `第${result.length + 1}章 ${chosen[0]!.slice(0, 12)}`, paragraphs: chosen });
  }
  return result;
}

const sentences = (paragraph: string) => paragraph.split(/(?<=。)/).map((s) => s.trim()).filter(Boolean);
const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Rows of a table of articles: one row per paragraph, as a spreadsheet of notes would hold them. */
const tableRows = (parts: Section[]) => parts.flatMap((s, i) => s.paragraphs.map((p, j) => [String(i * 4 + j + 1), s.title, sentences(p)[0] ?? p, p, `2026-0${(i % 9) + 1}-1${j}`]));
const TABLE_HEADER = ['番号', '章', '見出し', '本文', '更新日'];

/** One file of `format` whose text is about `bytes` long. */
export async function makeJapaneseFile(format: BenchFormat, articles: Array<{ text: string }>, bytes: number, seed: number): Promise<Buffer> {
  const parts = sections(articles, bytes, seed);
  switch (format) {
    case 'md':
      return Buffer.from(
        `# 社内資料 ${seed + 1}\n\n` +
          parts.map((s) => `## ${s.title}\n\n${s.paragraphs.slice(0, 3).join('\n\n')}\n\n${sentences(s.paragraphs[3]!).map((line) => `- ${line}`).join('\n')}\n`).join('\n'),
      );
    case 'html':
      return Buffer.from(
        `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>社内資料 ${seed + 1}</title></head><body>` +
          '<header><nav><a href="/">ホーム</a> <a href="/news">お知らせ</a> <a href="/contact">お問い合わせ</a></nav></header>' +
          `<main><article><h1>社内資料 ${seed + 1}</h1>` +
          parts.map((s) => `<section><h2>${escapeHtml(s.title)}</h2>${s.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('')}</section>`).join('') +
          '</article></main><footer><p>© 2026 株式会社サンプル</p></footer></body></html>',
      );
    case 'csv':
      return writeCsv([TABLE_HEADER, ...tableRows(parts)]);
    case 'xlsx': {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('記事一覧');
      sheet.addRow([`社内資料 ${seed + 1}`]);
      sheet.addRow(TABLE_HEADER);
      for (const row of tableRows(parts)) sheet.addRow([Number(row[0]), ...row.slice(1)]);
      return Buffer.from(await workbook.xlsx.writeBuffer());
    }
    case 'pptx':
      return makePptx(parts.map((s): SlideInput => ({ title: s.title, body: s.paragraphs.slice(0, 2).flatMap(sentences), notes: s.paragraphs.slice(2).join('\n') })));
  }
}
