import assert from 'node:assert/strict';
import { test } from 'node:test';
import { displayWidth } from '../../lib/text/scripts.js';
import { clipSentence } from './extractive-clip.js';

const spanOf = (sentence: string, part: string, weight = 1) => {
  const start = sentence.indexOf(part);
  assert.ok(start >= 0, part);
  return { start, end: start + part.length, weight };
};

test('a sentence that fits is quoted whole', () => {
  assert.equal(clipSentence('短い文です。', [], 300), '短い文です。');
});

test('a long Japanese sentence is cut at 、 around the match, with an ellipsis where it was cut', () => {
  const sentence = '当社は創業以来、地域の皆様に支えられながら多くの製品を世に送り出してきたが、通勤手当の上限は月額5万円と定められており、その他の手当については別途定める規程によるものとし、詳細は人事部に問い合わせることとする。';
  const quote = clipSentence(sentence, [spanOf(sentence, '通勤手当'), spanOf(sentence, '月額5万円', 2)], 80);
  assert.match(quote, /^…/);
  assert.match(quote, /通勤手当の上限は月額5万円と定められており/);
  assert.match(quote, /…$/);
  assert.doesNotMatch(quote, /、…$/, 'no clause punctuation before the ellipsis');
  assert.ok(displayWidth(quote.replaceAll('…', '')) <= 80);
  assert.ok(sentence.includes(quote.replace(/^…|…$/g, '')), 'the kept part is verbatim');
});

test('a long English sentence is cut at a comma, never inside the matched answer or mid-word', () => {
  const sentence =
    'According to the myth told in many versions across the ancient world, the god of music and poetry, who was also a healer, had a son named Asclepius, who became the god of medicine and whose staff is still a symbol of doctors today.';
  const quote = clipSentence(sentence, [spanOf(sentence, 'son'), spanOf(sentence, 'Asclepius', 2)], 90);
  assert.match(quote, /Asclepius/);
  const kept = quote.replace(/^…|…$/g, '');
  assert.ok(sentence.includes(kept));
  const after = sentence[sentence.indexOf(kept) + kept.length] ?? '';
  assert.ok(!/[a-z]/i.test(after) || !/[a-z]$/i.test(kept), 'not cut mid-word');
});

test('a clause longer than the budget is cut between words, keeping the answer whole', () => {
  const sentence = 'The committee met on the first Monday of every month in the old town hall to discuss the budget and the roads and the schools and the parks and the library';
  const quote = clipSentence(sentence, [spanOf(sentence, 'first Monday of every month', 3)], 60);
  assert.match(quote, /first Monday of every month/);
  const kept = quote.replace(/^…|…$/g, '');
  const at = sentence.indexOf(kept);
  assert.ok(at >= 0);
  assert.ok(!/\w/.test(sentence[at - 1] ?? '') || !/\w/.test(kept[0] ?? ''), 'starts at a word');
  assert.ok(!/\w/.test(sentence[at + kept.length] ?? '') || !/\w/.test(kept.at(-1) ?? ''), 'ends at a word');
});
