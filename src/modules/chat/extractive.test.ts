import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MessageSource } from '../../db/schema.js';
import { extractiveAnswer } from './extractive.js';

const source = (chunk_text: string): MessageSource => ({ file_id: 'f', file_name: '就業規則.txt', chunk_index: 0, chunk_text, page: null, score: 1 });

test('quotes the matching sentences of a passage, and stops where its paragraph ends', () => {
  const passage =
    '業務の都合により、始業時刻を繰り下げることがある。\n' +
    '第25条（通勤手当）通勤に公共交通機関を利用する従業員には、定期券代を通勤手当として支給する。ただし、支給額の上限は月額5万円とする。\n' +
    '第30条（服務規律）従業員は、会社の機密情報を許可なく社外に持ち出してはならない。';
  const answer = extractiveAnswer('通勤手当の上限はいくら？', [source(passage)], 'ja');
  assert.equal(answer, '資料の中から、ご質問に最も関連する箇所を抜粋しました。\n\n・第25条（通勤手当）通勤に公共交通機関を利用する従業員には、定期券代を通勤手当として支給する。ただし、支給額の上限は月額5万円とする。 [1]');
});

test('a long paragraph is cut with an ellipsis on the side that continues', () => {
  const sentences = Array.from({ length: 12 }, (_, i) => `This is filler sentence number ${i} about nothing.`);
  sentences[6] = 'The meal allowance is 60 dollars per day.';
  const answer = extractiveAnswer('What is the meal allowance?', [source(sentences.join(' '))], 'en');
  assert.match(answer, /^Here are the passages/);
  assert.match(answer, /・….*The meal allowance is 60 dollars per day\..*… \[1\]$/);
});

test('no sources: says so in the question’s language', () => {
  assert.match(extractiveAnswer('何か', [], 'ja'), /見つかりませんでした/);
  assert.match(extractiveAnswer('anything', [], 'en'), /do not contain/);
});
