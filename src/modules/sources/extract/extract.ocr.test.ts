/** OCR of scanned PDF pages in the extraction child process: Japanese and English, mixed PDFs, blank scans, limits, no network. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { createRequire } from 'node:module';
import { extractInProcess } from './extract-in-process.js';
import { extractFile } from './index.js';
import { defaultExtractionLimits } from './types.js';
import { makeScratchFolder } from './test-support/fixture-files.js';
import { ENGLISH_SCAN, JAPANESE_SCAN, makeScannedPdf } from './test-support/make-scanned-pdf.js';
import { rejectsWith } from './test-support/rejects-with.js';


/** OCR output compared without whitespace: what search and quotes see. */
const squash = (text: string) => text.normalize('NFKC').replace(/\s+/g, '');

describe('PDF OCR', { concurrency: 2 }, () => {
  let scratch: Awaited<ReturnType<typeof makeScratchFolder>>;
  before(async () => {
    scratch = await makeScratchFolder();
  });
  after(() => scratch.cleanup());

  test('a scanned Japanese page is read by OCR, without spaces between the characters, and marked', async () => {
    const file = await scratch.write('ja-scan.pdf', await makeScannedPdf([JAPANESE_SCAN]));
    const result = await extractFile(file, 'pdf');
    assert.deepEqual(result.ocrPages, [1]);
    assert.equal(result.pages.length, 1);
    const text = result.pages[0]!.text;
    assert.match(text, /有給休暇/, text);
    assert.match(text, /上長へ提出/, text);
    assert.doesNotMatch(text, /[\p{sc=Han}\p{sc=Hiragana}] [\p{sc=Han}\p{sc=Hiragana}]/u, 'no space between CJK characters');
    assert.ok(squash(text).includes(squash('申請は三日前までに上長へ提出してください。')), text);
    assert.deepEqual(result.warnings, []);
  });

  test('a mixed PDF: the text pages are read as text, only the scanned page by OCR; English keeps its spaces', async () => {
    const file = await scratch.write('mixed.pdf', await makeScannedPdf([{ text: 'Chapter one: the text layer' }, ENGLISH_SCAN, { text: 'Chapter three' }]));
    const result = await extractFile(file, 'pdf');
    assert.deepEqual(result.ocrPages, [2]);
    assert.deepEqual(result.pages.map((p) => p.page), [1, 2, 3]);
    assert.equal(result.pages[0]!.text, 'Chapter one: the text layer');
    assert.match(result.pages[1]!.text, /Expense reports are due on the 25th/, result.pages[1]!.text);
  });

  test('a text PDF does not load OCR, and a blank scan still ends as NO_TEXT saying OCR found nothing', async () => {
    const text = await scratch.write('text.pdf', await makeScannedPdf([{ text: 'Only text here' }]));
    assert.equal((await extractFile(text, 'pdf')).ocrPages, undefined);
    // In this process, as the worker runs it: reading a text PDF never loads tesseract.js.
    const loadedTesseract = () => Object.keys(createRequire(import.meta.url).cache).some((path) => /[\\/]tesseract\.js[\\/]/.test(path));
    assert.equal((await extractInProcess(text, 'pdf', defaultExtractionLimits)).pages[0]?.text, 'Only text here');
    assert.equal(loadedTesseract(), false, 'tesseract.js was loaded for a text PDF');
    await import('tesseract.js');
    assert.equal(loadedTesseract(), true, 'the check sees tesseract.js once it is loaded');
    const blank = await scratch.write('blank-scan.pdf', await makeScannedPdf([{ blank: true }]));
    await assert.rejects(extractFile(blank, 'pdf'), rejectsWith('NO_TEXT', /scanned pages.*OCR\) found no text/));
  });

  test('a page over the OCR time limit is skipped with a warning in ja and en; the document keeps its other pages', async () => {
    const file = await scratch.write('slow.pdf', await makeScannedPdf([{ text: 'The text page' }, ENGLISH_SCAN]));
    const result = await extractFile(file, 'pdf', { ocrPageTimeoutMs: 1 });
    assert.deepEqual(result.pages.map((p) => p.page), [1]);
    assert.equal(result.ocrPages, undefined);
    assert.deepEqual(result.warnings, [
      {
        ja: '2 ページ目の文字認識（OCR）が上限の 0 秒を超えたため、このページは飛ばしました。',
        en: 'Text recognition (OCR) of page 2 took longer than the limit of 0 seconds; the page was skipped.',
      },
    ]);
  });

  test('OCR over the page limit names the pages not read; OCR off (0 pages) says so', async () => {
    const file = await scratch.write('two-scans.pdf', await makeScannedPdf([ENGLISH_SCAN, { blank: true }]));
    const result = await extractFile(file, 'pdf', { ocrMaxPages: 1 });
    assert.deepEqual(result.ocrPages, [1]);
    assert.equal(result.warnings.length, 1);
    assert.match(result.warnings[0]!.en, /read 1 pages, the limit; page 2 without text was not read/);
    assert.match(result.warnings[0]!.ja, /2 ページ目は読み取っていません/);
    await assert.rejects(extractFile(file, 'pdf', { ocrMaxPages: 0 }), rejectsWith('NO_TEXT', /OCR\) is turned off/));
  });

  test('nothing is downloaded: with every network call refused in the worker process and its threads, OCR still reads the page', async () => {
    const log = scratch.path('network.log');
    const file = await scratch.write('offline.pdf', await makeScannedPdf([ENGLISH_SCAN]));
    const script = fileURLToPath(new URL('./test-support/ocr-offline.ts', import.meta.url));
    const blocker = fileURLToPath(new URL('./test-support/deny-network.mjs', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--import', blocker, script, file], {
      env: { ...process.env, DENY_NETWORK_LOG: log },
      timeout: 120_000,
    });
    const report = JSON.parse(stdout) as { text: string; ocrPages: number[]; blockerWorks: boolean };
    assert.equal(report.blockerWorks, true, 'the blocker refuses a fetch');
    assert.deepEqual(report.ocrPages, [1]);
    assert.match(report.text, /Expense reports/);
    const attempts = (await readFile(log, 'utf8')).trim().split('\n');
    assert.deepEqual(attempts.filter((line) => !line.includes('fetch http://blocker.test/')), [], 'no network use other than the probe');
  });
});
