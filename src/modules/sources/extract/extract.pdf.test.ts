/** PDF: page numbers, limits and damage, on PDFs generated here (the shared fixtures cover real-world files). */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ExtractionError, extractFile } from './index.js';
import { makeScratchFolder } from './test-support/fixture-files.js';
import { makeTextPdf } from './test-support/make-pdf.js';

describe('PDF extraction', { concurrency: 2 }, () => {
  let scratch: Awaited<ReturnType<typeof makeScratchFolder>>;
  let threePages: string;
  before(async () => {
    scratch = await makeScratchFolder();
    threePages = await scratch.write(
      'three-pages.pdf',
      await makeTextPdf(['Page one: alpha', '', 'Page three: gamma\nsecond line of page three']),
    );
  });
  after(() => scratch.cleanup());

  test('each page keeps its own number; a blank page is left out but counted', async () => {
    const result = await extractFile(threePages, 'pdf');
    assert.equal(result.kind, 'pdf');
    assert.equal(result.pageCount, 3);
    assert.deepEqual(result.pages, [
      { page: 1, text: 'Page one: alpha' },
      { page: 3, text: 'Page three: gamma\nsecond line of page three' },
    ]);
    assert.deepEqual(result.warnings, []);
  });

  test('more pages than maxPages is refused before reading', async () => {
    await assert.rejects(extractFile(threePages, 'pdf', { maxPages: 2 }), (error: unknown) => {
      assert.ok(error instanceof ExtractionError);
      assert.equal(error.code, 'TOO_LARGE');
      assert.equal(error.message, 'This PDF has 3 pages, more than the limit of 2; split it into smaller files.');
      assert.equal(error.permanent, true);
      return true;
    });
  });

  test('more text than maxTextChars is refused', async () => {
    await assert.rejects(extractFile(threePages, 'pdf', { maxTextChars: 20 }), { code: 'TOO_LARGE' });
  });

  test('a truncated PDF is reported as incomplete', async () => {
    const whole = await makeTextPdf(['Some text that will be cut off', 'More text']);
    const file = await scratch.write('cut.pdf', whole.subarray(0, Math.floor(whole.length * 0.6)));
    await assert.rejects(extractFile(file, 'pdf'), {
      code: 'CORRUPT',
      message: 'The file is damaged and could not be read: the file is incomplete (it was probably cut off during upload or download).',
    });
  });

  test('a PDF of blank pages has no text, and says so without mentioning scans', async () => {
    const file = await scratch.write('blank.pdf', await makeTextPdf(['', '']));
    await assert.rejects(extractFile(file, 'pdf'), {
      code: 'NO_TEXT',
      message: 'This PDF contains no text (its pages are blank or contain only drawings); there is nothing to index.',
    });
  });

  test('bytes that are not a PDF at all are a damaged file', async () => {
    const file = await scratch.write('garbage.pdf', Buffer.from('%PDF-1.7\n' + 'garbage '.repeat(100) + '\n%%EOF\n'));
    await assert.rejects(extractFile(file, 'pdf'), { code: 'CORRUPT', message: /^The file is damaged and could not be read: / });
  });
});
