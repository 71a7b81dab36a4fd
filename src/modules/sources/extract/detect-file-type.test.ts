/**
 * inspectFileType: the content decides the type, the name must claim one of ours.
 * Table: [description, file name, content] → expected kind (null = refused).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import iconv from 'iconv-lite';
import { inspectFileType } from './index.js';
import type { FileKind } from './index.js';
import { makeScratchFolder } from './test-support/fixture-files.js';
import { makeHandmadeDocx } from './test-support/make-docx.js';
import { makeTextPdf } from './test-support/make-pdf.js';
import { buildZip } from './test-support/zip-writer.js';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90), Buffer.alloc(64)]);
const OLE_DOC = Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(512)]);

describe('inspectFileType', { concurrency: 4 }, () => {
  let scratch: Awaited<ReturnType<typeof makeScratchFolder>>;
  let pdf: Buffer;
  let docx: Buffer;
  before(async () => {
    scratch = await makeScratchFolder();
    pdf = await makeTextPdf(['Hello']);
    docx = makeHandmadeDocx();
  });
  after(() => scratch.cleanup());

  const cases: [string, string, () => Buffer, FileKind | null][] = [
    ['a PDF named .pdf', 'report.pdf', () => pdf, 'pdf'],
    ['a PDF named .PDF, upper case', 'REPORT.PDF', () => pdf, 'pdf'],
    ['a PDF with junk before its header', 'mail.pdf', () => Buffer.concat([Buffer.from('X-Gateway: scanned\r\n'), pdf]), 'pdf'],
    ['a truncated PDF (header intact): extraction reports the damage', 'half.pdf', () => pdf.subarray(0, pdf.length / 2), 'pdf'],
    ['a DOCX named .docx', '規程.docx', () => docx, 'docx'],
    ['a text file named .txt', 'notes.txt', () => Buffer.from('plain notes\n'), 'txt'],
    ['a Shift_JIS text file', 'メモ.txt', () => iconv.encode('社内メモです。\r\n', 'cp932'), 'txt'],
    ['a UTF-16 text file (NULs, but text)', 'utf16.txt', () => iconv.encode('\ufeffhello world', 'utf-16le'), 'txt'],
    ['an empty .txt (extraction then says NO_TEXT)', 'empty.txt', () => Buffer.alloc(0), 'txt'],
    ['a file without extension whose content is a PDF', 'scan', () => pdf, 'pdf'],
    ['content wins: a PDF renamed .docx', 'renamed.docx', () => pdf, 'pdf'],
    ['content wins: a DOCX renamed .pdf', 'renamed.pdf', () => docx, 'docx'],
    ['content wins: a PDF renamed .txt', 'renamed.txt', () => pdf, 'pdf'],
    ['a PNG renamed .pdf', 'photo.pdf', () => PNG, null],
    ['an .exe renamed .pdf', 'invoice.pdf', () => EXE, null],
    ['an .exe renamed .txt', 'readme.txt', () => EXE, null],
    ['an old binary .doc renamed .docx', 'old.docx', () => OLE_DOC, null],
    ['a valid PDF with an extension that is not ours', 'report.exe', () => pdf, null],
    ['plain text named .pdf (e.g. an HTML error page)', 'download.pdf', () => Buffer.from('<html><body>Not found</body></html>'), null],
    ['an empty .pdf', 'empty.pdf', () => Buffer.alloc(0), null],
    ['a plain zip renamed .docx', 'archive.docx', () => buildZip([{ name: 'a.txt', data: 'hello' }]), null],
    ['content wins: an Excel workbook renamed .docx', 'sheet.docx', () => xlsxLike(), 'xlsx'],
    ['an Excel workbook named .xlsx', '価格表.xlsx', () => xlsxLike(), 'xlsx'],
    ['a PowerPoint file named .pptx', '報告.pptx', () => pptxLike(), 'pptx'],
    ['a damaged zip named .xlsx: extraction reports the damage', 'broken.xlsx', () => Buffer.from('PK\x03\x04 broken'), 'xlsx'],
    ['a plain zip renamed .pptx', 'archive.pptx', () => buildZip([{ name: 'a.txt', data: 'hello' }]), null],
    ['a Markdown file named .md', 'README.md', () => Buffer.from('# 見出し\n\n本文\n'), 'md'],
    ['a Markdown file named .markdown', 'notes.markdown', () => Buffer.from('- item\n'), 'md'],
    ['an HTML page named .html', 'page.html', () => Buffer.from('<!doctype html><title>x</title><p>本文</p>'), 'html'],
    ['an HTML page named .htm, Shift_JIS', 'page.htm', () => iconv.encode('<html><body>日本語のページ</body></html>', 'cp932'), 'html'],
    ['an HTML page without an extension', 'index', () => Buffer.from('\n  <!DOCTYPE html><html><body>x</body></html>'), 'html'],
    ['a CSV file, Shift_JIS', '名簿.csv', () => iconv.encode('氏名,部署\r\n山田,購買\r\n', 'cp932'), 'csv'],
    ['an empty .csv (extraction then says NO_TEXT)', 'empty.csv', () => Buffer.alloc(0), 'csv'],
    ['an empty .xlsx', 'empty.xlsx', () => Buffer.alloc(0), null],
    ['a PNG renamed .csv', 'photo.csv', () => PNG, null],
    ['NUL-heavy binary named .txt', 'data.txt', () => Buffer.from(Array.from({ length: 2048 }, (_, i) => (i % 3 === 0 ? 0 : (i * 31) % 256))), null],
  ];

  for (const [description, name, content, expected] of cases) {
    test(`${description} → ${expected ?? 'refused'}`, async () => {
      const file = await scratch.write(`${Math.random().toString(36).slice(2)}-${name}`, content());
      assert.equal((await inspectFileType(file, name)).kind, expected);
    });
  }

  test('a refusal comes with a reason for the uploader, in both languages', async () => {
    const file = await scratch.write('old.docx', OLE_DOC);
    assert.deepEqual(await inspectFileType(file, 'old.docx'), {
      kind: null,
      reason: {
        ja: '古い形式の Office ファイル（.doc、.xls、.ppt）です。.docx、.xlsx、.pptx か PDF で保存し直してからアップロードしてください。',
        en: 'This is an old-format Office file (.doc, .xls, .ppt); save it as .docx, .xlsx, .pptx or PDF and upload it again.',
      },
    });
  });

  test('a zip bomb is classified from its directory alone, without inflating it', async () => {
    const bomb = makeHandmadeDocx({ extraEntries: [{ name: 'word/media/zeros.bin', data: Buffer.alloc(256 * 1024 * 1024) }] });
    const file = await scratch.write('bomb.docx', bomb);
    const started = Date.now();
    assert.equal((await inspectFileType(file, 'bomb.docx')).kind, 'docx'); // extraction refuses it (see the DOCX tests)
    assert.ok(Date.now() - started < 2000);
  });
});

function pptxLike(): Buffer {
  return buildZip([
    { name: '[Content_Types].xml', data: '<Types><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>' },
    { name: 'ppt/presentation.xml', data: '<presentation/>' },
  ]);
}

function xlsxLike(): Buffer {
  return buildZip([
    { name: '[Content_Types].xml', data: '<Types><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>' },
    { name: 'xl/workbook.xml', data: '<workbook/>' },
  ]);
}
