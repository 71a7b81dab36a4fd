/** TXT: every encoding Japanese offices produce is detected, reported and decoded; line ends become \n. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Encoding from 'encoding-japanese';
import iconv from 'iconv-lite';
import { ExtractionError, extractFile } from './index.js';
import { makeScratchFolder } from './test-support/fixture-files.js';

/** JIS X 0208 only, so that every Japanese encoding can represent it. */
const JAPANESE = '社内規程\r\n第1条 この規程は、従業員の休暇について定める。\r\nEnglish line 123.\r\n';
const EXPECTED = '社内規程\n第1条 この規程は、従業員の休暇について定める。\nEnglish line 123.\n';
/** Windows (CP932) extensions that plain Shift_JIS lacks: circled digits, 髙 (hashigo-daka). */
const CP932_ONLY = '①髙橋さんの申請\r\n';

const BOM_UTF8 = Buffer.from([0xef, 0xbb, 0xbf]);
const BOM_UTF16LE = Buffer.from([0xff, 0xfe]);
const BOM_UTF16BE = Buffer.from([0xfe, 0xff]);

const CASES: { name: string; bytes: Buffer; encoding: string; expected: string }[] = [
  { name: 'UTF-8', bytes: Buffer.from(JAPANESE, 'utf8'), encoding: 'utf-8', expected: EXPECTED },
  { name: 'UTF-8 with BOM', bytes: Buffer.concat([BOM_UTF8, Buffer.from(JAPANESE, 'utf8')]), encoding: 'utf-8', expected: EXPECTED },
  { name: 'UTF-16LE with BOM', bytes: Buffer.concat([BOM_UTF16LE, iconv.encode(JAPANESE, 'utf-16le')]), encoding: 'utf-16le', expected: EXPECTED },
  { name: 'UTF-16BE with BOM', bytes: Buffer.concat([BOM_UTF16BE, iconv.encode(JAPANESE, 'utf-16be')]), encoding: 'utf-16be', expected: EXPECTED },
  { name: 'UTF-16LE without BOM', bytes: iconv.encode(JAPANESE, 'utf-16le'), encoding: 'utf-16le', expected: EXPECTED },
  { name: 'UTF-16BE without BOM', bytes: iconv.encode(JAPANESE, 'utf-16be'), encoding: 'utf-16be', expected: EXPECTED },
  { name: 'Shift_JIS', bytes: iconv.encode(JAPANESE, 'shift_jis'), encoding: 'shift_jis', expected: EXPECTED },
  { name: 'CP932 (Windows extensions)', bytes: iconv.encode(CP932_ONLY + JAPANESE, 'cp932'), encoding: 'shift_jis', expected: '①髙橋さんの申請\n' + EXPECTED },
  { name: 'EUC-JP', bytes: iconv.encode(JAPANESE, 'euc-jp'), encoding: 'euc-jp', expected: EXPECTED },
  { name: 'ISO-2022-JP', bytes: Buffer.from(Encoding.convert(Encoding.stringToCode(JAPANESE), { to: 'JIS', from: 'UNICODE' })), encoding: 'iso-2022-jp', expected: EXPECTED },
  { name: 'Windows-1252', bytes: iconv.encode('Café crème, naïve façade.\r\n', 'windows-1252'), encoding: 'windows-1252', expected: 'Café crème, naïve façade.\n' },
  { name: 'old Mac line ends (CR)', bytes: Buffer.from('one\rtwo\rthree', 'utf8'), encoding: 'utf-8', expected: 'one\ntwo\nthree' },
];

describe('TXT extraction', { concurrency: 2 }, () => {
  let scratch: Awaited<ReturnType<typeof makeScratchFolder>>;
  before(async () => {
    scratch = await makeScratchFolder();
  });
  after(() => scratch.cleanup());

  for (const { name, bytes, encoding, expected } of CASES) {
    test(`${name} is detected as ${encoding} and decoded`, async () => {
      const file = await scratch.write(`${name.replace(/\W+/g, '-')}.txt`, bytes);
      const result = await extractFile(file, 'txt');
      assert.equal(result.encoding, encoding);
      assert.deepEqual(result.pages, [{ page: 1, text: expected }]);
      assert.equal(result.pageCount, 1);
    });
  }

  test('an empty or whitespace-only file has no text', async () => {
    for (const [name, content] of [['empty.txt', ''], ['blank.txt', ' \r\n\t\r\n']] as const) {
      const file = await scratch.write(name, content);
      await assert.rejects(extractFile(file, 'txt'), (error: unknown) => {
        assert.ok(error instanceof ExtractionError);
        assert.equal(error.code, 'NO_TEXT');
        assert.equal(error.message, 'This text file is empty; there is nothing to index.');
        return true;
      });
    }
  });

  test('binary data read as text is refused, not indexed as garbage', async () => {
    const binary = Buffer.from(Array.from({ length: 4096 }, (_, index) => (index * 7919) % 256));
    const file = await scratch.write('binary.txt', binary);
    await assert.rejects(extractFile(file, 'txt'), { code: 'UNSUPPORTED', message: /not plain text/ });
  });

  test('more characters than maxTextChars is refused, not cut', async () => {
    const file = await scratch.write('long.txt', 'あ'.repeat(2000));
    await assert.rejects(extractFile(file, 'txt', { maxTextChars: 1000 }), { code: 'TOO_LARGE', message: /more text than the limit of 1,000 characters/ });
  });
});
