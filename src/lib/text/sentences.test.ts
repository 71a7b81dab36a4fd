import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sentenceSpans, splitSentences } from './sentences.js';

test('Japanese sentences split at 。!?', () => {
  assert.deepEqual(splitSentences('今日は晴れです。明日は雨でしょう!本当?はい。'), ['今日は晴れです。', '明日は雨でしょう!', '本当?', 'はい。']);
});

test('English sentences split, abbreviations and decimals do not end a sentence', () => {
  assert.deepEqual(splitSentences('Mr. Smith paid $3.50 for it, e.g. at 5 p.m. yesterday. Dr. J. Doe agreed. It was fine.'), [
    'Mr. Smith paid $3.50 for it, e.g. at 5 p.m. yesterday.',
    'Dr. J. Doe agreed.',
    'It was fine.',
  ]);
});

test('mixed Japanese and English text', () => {
  assert.deepEqual(splitSentences('Shioriは RAG の製品です。It supports PDF. 日本語も使えます。'), [
    'Shioriは RAG の製品です。',
    'It supports PDF.',
    '日本語も使えます。',
  ]);
});

test('「」 quotes: sentence-final punctuation inside a quote does not split the sentence', () => {
  assert.deepEqual(splitSentences('彼は「こんにちは。元気?」と言った。次の文。'), ['彼は「こんにちは。元気?」と言った。', '次の文。']);
  assert.deepEqual(splitSentences('「はい。」と答えた。(注:例です。)と書いた。'), ['「はい。」と答えた。', '(注:例です。)と書いた。']);
});

test('a quote that ends the sentence is not merged with the next sentence', () => {
  assert.deepEqual(splitSentences('彼は「行く。」そして去った。'), ['彼は「行く。」', 'そして去った。']);
});

test('lines without 。 (headings, list items) are separate sentences', () => {
  assert.deepEqual(splitSentences('第1章 概要\n・項目一\n・項目二\n本文です。'), ['第1章 概要', '・項目一', '・項目二', '本文です。']);
});

test('an unclosed bracket does not swallow the whole text', () => {
  const text = '「開き括弧だけ。' + 'これは文です。'.repeat(100);
  assert.ok(splitSentences(text).length > 10);
});

test('spans are contiguous and cover the text exactly', () => {
  const samples = ['', '  a. b.  ', 'Hi. 「はい。」と言った。\n\n次。', '😀 emoji. 👨‍👩‍👧 family!'];
  for (const text of samples) {
    const spans = sentenceSpans(text);
    let cursor = 0;
    for (const span of spans) {
      assert.equal(span.start, cursor);
      assert.ok(span.end > span.start);
      cursor = span.end;
    }
    assert.equal(cursor, text.length);
  }
});
