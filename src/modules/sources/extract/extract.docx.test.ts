/** DOCX: structure survives as readable text, and hostile archives are refused before parsing. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { extractFile } from './index.js';
import { billionLaughsProlog, documentXml, makeHandmadeDocx, makeStructuredDocx } from './test-support/make-docx.js';
import { makeScratchFolder } from './test-support/fixture-files.js';
import { rejectsWith } from './test-support/rejects-with.js';
import { buildZip } from './test-support/zip-writer.js';

type Scratch = Awaited<ReturnType<typeof makeScratchFolder>>;


describe('DOCX extraction', { concurrency: 2 }, () => {
  let scratch: Scratch;
  before(async () => {
    scratch = await makeScratchFolder();
  });
  after(() => scratch.cleanup());

  test('a heading, lists, a table and a footnote come out readable, in order', async () => {
    const file = await scratch.write('handbook.docx', await makeStructuredDocx());
    const result = await extractFile(file, 'docx');
    assert.equal(result.kind, 'docx');
    assert.equal(result.pageCount, 1);
    assert.deepEqual(result.pages.map((page) => page.page), [1]);
    const lines = result.pages[0]!.text.split('\n');
    const lineIndex = (needle: string) => lines.findIndex((line) => line.includes(needle));

    assert.equal(lines[0], '就業規則 Employee Handbook', 'the heading is the first line, alone');
    assert.ok(lines.includes('- Bring your badge'), result.pages[0]!.text);
    assert.ok(lines.includes('1. Open the form') && lines.includes('2. Submit it'), result.pages[0]!.text);
    assert.ok(lines.includes('項目 | 日数') && lines.includes('年次有給休暇 | 20'), result.pages[0]!.text);
    assert.ok(lines.some((line) => /^\[1\] Footnote: measured in 2024\.$/.test(line)), 'the footnote text is kept');
    assert.ok(lineIndex('Paid leave') < lineIndex('Bring your badge'));
    assert.ok(lineIndex('年次有給休暇') < lineIndex('End of handbook.'));
    assert.ok(lineIndex('End of handbook.') < lineIndex('[1] Footnote'), 'notes come after the body');
  });

  test('a zip bomb (one entry inflating ~1000×) is refused from the central directory', async () => {
    const bomb = makeHandmadeDocx({ extraEntries: [{ name: 'word/media/image1.png', data: Buffer.alloc(64 * 1024 * 1024) }] });
    assert.ok(bomb.length < 200 * 1024, 'the bomb itself is small');
    const file = await scratch.write('bomb.docx', bomb);
    await assert.rejects(extractFile(file, 'docx'), rejectsWith('TOO_LARGE', /zip bomb/));
  });

  test('a document that unpacks to more than maxDecompressedBytes is refused', async () => {
    const file = await scratch.write('big.docx', makeHandmadeDocx({ extraEntries: [{ name: 'word/media/noise.bin', data: randomBytes(300 * 1024) }] }));
    await assert.rejects(extractFile(file, 'docx', { maxDecompressedBytes: 256 * 1024 }), rejectsWith('TOO_LARGE', /expands to more than 256 KB when unpacked/));
  });

  test('an entry that inflates to more than its header declares is refused', async () => {
    const liar = makeHandmadeDocx({ extraEntries: [{ name: 'word/styles.xml', data: Buffer.alloc(5 * 1024 * 1024, 0x20), declaredSize: 100 }] });
    const file = await scratch.write('liar.docx', liar);
    await assert.rejects(extractFile(file, 'docx'), rejectsWith('CORRUPT', /not the size the archive says/));
  });

  test('more entries than maxZipEntries is refused', async () => {
    const extraEntries = Array.from({ length: 60 }, (_, index) => ({ name: `customXml/item${index}.bin`, data: 'x' }));
    const file = await scratch.write('many.docx', makeHandmadeDocx({ extraEntries }));
    await assert.rejects(extractFile(file, 'docx', { maxZipEntries: 50 }), rejectsWith('TOO_LARGE', /more than 50 internal parts/));
  });

  test('XML with a DTD (billion laughs) is refused before any XML parser runs', async () => {
    const xml = documentXml(['&lol9;'], billionLaughsProlog());
    const file = await scratch.write('laughs.docx', makeHandmadeDocx({ documentXml: xml }));
    await assert.rejects(extractFile(file, 'docx'), rejectsWith('CORRUPT', /document type declaration/));
  });

  test('an entry named ../../ (zip slip) is refused', async () => {
    const file = await scratch.write('slip.docx', makeHandmadeDocx({ extraEntries: [{ name: '../../etc/evil.sh', data: 'echo owned' }] }));
    await assert.rejects(extractFile(file, 'docx'), rejectsWith('CORRUPT', /points outside the document/));
  });

  test('an archive nested inside the document is refused; an embedded Office object or SVG image is not', async () => {
    const nested = await scratch.write('nested.docx', makeHandmadeDocx({ extraEntries: [{ name: 'word/media/inner.zip', data: 'PK' }] }));
    await assert.rejects(extractFile(nested, 'docx'), rejectsWith('CORRUPT', /another archive/));

    const embedded = await scratch.write(
      'embedded.docx',
      makeHandmadeDocx({
        extraEntries: [
          { name: 'word/embeddings/Sheet1.xlsx', data: 'PK' },
          { name: 'word/media/image1.svg', data: '<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "x"><svg/>' },
        ],
      }),
    );
    const result = await extractFile(embedded, 'docx');
    assert.match(result.pages[0]!.text, /Hello from a handmade document\./);
  });

  test('a zip without a Word main document, and a truncated zip, are damaged files', async () => {
    const notWord = await scratch.write('not-word.docx', buildZip([{ name: '[Content_Types].xml', data: '<Types/>' }]));
    await assert.rejects(extractFile(notWord, 'docx'), rejectsWith('CORRUPT', /^The file is damaged and could not be read: .*not a Word document/));
    const whole = makeHandmadeDocx();
    const truncated = await scratch.write('truncated.docx', whole.subarray(0, Math.floor(whole.length / 2)));
    await assert.rejects(extractFile(truncated, 'docx'), rejectsWith('CORRUPT', /not a valid DOCX/));
  });
});

/** Incompressible bytes, so size limits (not the ratio check) are what trips. */
function randomBytes(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let state = 0x2545f491;
  for (let index = 0; index < length; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[index] = state & 0xff;
  }
  return bytes;
}
