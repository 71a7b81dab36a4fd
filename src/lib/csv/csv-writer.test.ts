import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvField, unguardCsvField, writeCsv } from './csv-writer.js';

test('fields: quoted when they hold a quote, comma or line break; formulas made text', () => {
  assert.equal(csvField('有給休暇'), '有給休暇');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('line\nbreak'), '"line\nbreak"');
  for (const formula of ['=1+1', '+1', '-1', '@SUM(A1)']) assert.equal(csvField(formula), `'${formula}`);
  assert.equal(unguardCsvField(csvField('=1+1')), '=1+1');
});

test('a file: BOM, CRLF after every row, Japanese intact', () => {
  const bytes = writeCsv([['質問', '回答'], ['有給は？', '年10日']]);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.equal(bytes.subarray(3).toString('utf8'), '質問,回答\r\n有給は？,年10日\r\n');
});
