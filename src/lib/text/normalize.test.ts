import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanPdfPages, cleanText, normalizeText } from './normalize.js';

test('NFKC folds full-width ASCII, half-width kana and full-width spaces', () => {
  assert.equal(normalizeText('ＡＢＣ１２３　ｶﾀｶﾅ'), 'ABC123 カタカナ');
  assert.equal(normalizeText('（株）テスト？'), '(株)テスト?');
});

test('cleanText keeps the document’s characters: full-width ASCII, （）, 〒, half-width kana, ideographic space', () => {
  assert.equal(cleanText('〒１００－０００１　ＴＥＬ（代表）ｶﾀｶﾅ'), '〒１００－０００１　ＴＥＬ（代表）ｶﾀｶﾅ');
  assert.equal(cleanText('第1章　概要'), '第1章　概要');
});

test('cleanText repairs extraction artefacts as normalizeText does, and is idempotent', () => {
  assert.equal(cleanText('\uFEFFＡ\u200Bｂ \t c\r\n\r\n\r\n日 本 語\u00A0 です'), 'Ａｂ c\n\n日本語です');
  const samples = ['ＡＢ　ｃ 日 本\r\n\r\n\r\nx', ' \t\u200B日 本 語 a b', '（ 引 用 ） と 言 う'];
  for (const s of samples) assert.equal(cleanText(cleanText(s)), cleanText(s));
  for (const s of samples) assert.equal(normalizeText(cleanText(s)), normalizeText(s));
});

test('line endings are unified and blank-line runs collapse to one paragraph break', () => {
  assert.equal(normalizeText('a\r\nb\rc\u2028d'), 'a\nb\nc\nd');
  assert.equal(normalizeText('para one\n\n\n\n  \npara two'), 'para one\n\npara two');
});

test('runs of spaces and tabs collapse; lines are trimmed', () => {
  assert.equal(normalizeText('  a \t\t b   c  \n   d'), 'a b c\nd');
});

test('control and zero-width characters are stripped, ZWJ emoji kept', () => {
  assert.equal(normalizeText('\uFEFFab\u200Bc\u0007d\u00ADe'), 'abcde');
  const family = '👨\u200D👩\u200D👧';
  assert.equal(normalizeText(family), family);
});

test('spaces between CJK characters are removed, never between Latin words', () => {
  assert.equal(normalizeText('日 本 語 の 文 書 で す 。'), '日本語の文書です。');
  assert.equal(normalizeText('東京 都 と Tokyo Metropolis'), '東京都と Tokyo Metropolis');
  assert.equal(normalizeText('hello world'), 'hello world');
  // Korean separates words with spaces: keep them.
  assert.equal(normalizeText('한국어 문장'), '한국어 문장');
});

test('normalizeText is idempotent', () => {
  const samples = ['ＡＢ　ｃ 日 本\r\n\r\n\r\nx', ' \t\u200B日 本 語 a b', '「 引 用 」 と 言 う'];
  for (const s of samples) assert.equal(normalizeText(normalizeText(s)), normalizeText(s));
});

test('cleanPdfPages joins Latin words hyphenated at line ends', () => {
  const [page] = cleanPdfPages([{ page: 1, text: 'The inter-\nnational committee met in the morning and\ndiscussed the plan.' }]);
  assert.equal(page?.text, 'The international committee met in the morning and discussed the plan.');
});

test('cleanPdfPages does not dehyphenate non-Latin or capitalised continuations', () => {
  const [page] = cleanPdfPages([{ page: 1, text: 'Jean-\nPaul Sartre' }]);
  assert.equal(page?.text, 'Jean-\nPaul Sartre');
});

test('cleanPdfPages joins Japanese lines without a space and English with one', () => {
  const ja = '本日は晴天なり。本日は晴天なり。明日の天気は\n曇りのち雨となる見込みです。\n';
  assert.equal(cleanPdfPages([{ page: 1, text: ja }])[0]?.text, '本日は晴天なり。本日は晴天なり。明日の天気は曇りのち雨となる見込みです。');
  const en = 'The quick brown fox jumps over the lazy\ndog and then runs far away from here.';
  assert.equal(cleanPdfPages([{ page: 1, text: en }])[0]?.text, 'The quick brown fox jumps over the lazy dog and then runs far away from here.');
});

test('cleanPdfPages keeps breaks before list items and after short headings', () => {
  const text = '第1章 概要\nこの文書はシステムの概要と使い方について説明するもので\nあり、以下の項目を含みます。\n・インストール\n・設定';
  const out = cleanPdfPages([{ page: 1, text }])[0]?.text;
  assert.equal(out, '第1章概要\nこの文書はシステムの概要と使い方について説明するものであり、以下の項目を含みます。\n・インストール\n・設定');
});

test('cleanPdfPages removes running headers, footers and page numbers', () => {
  const pages = [1, 2, 3, 4].map((n) => ({
    page: n,
    text: `社外秘 2024年度 報告書\n${'春夏秋冬'[n - 1]}の章では季節の話題を扱う。\n本文${n}の二行目です。\n- ${n} -`,
  }));
  const cleaned = cleanPdfPages(pages);
  for (const [i, p] of cleaned.entries()) {
    assert.equal(p.page, i + 1);
    assert.doesNotMatch(p.text, /社外秘|- \d -/);
    assert.match(p.text, new RegExp(`${'春夏秋冬'[i]}の章では季節の話題を扱う。`));
  }
});

test('cleanPdfPages keeps full-width text as written, and still finds full-width page numbers and list items', () => {
  const pages = [1, 2, 3].map((n) => ({ page: n, text: `ＡＢＣ株式会社（本社）の資料${n}です。\n１．申請書${'甲乙丙'[n - 1]}を提出する\n２．承認${'甲乙丙'[n - 1]}を待つ\n－ ${String.fromCharCode(0xff10 + n)} －` }));
  assert.deepEqual(cleanPdfPages(pages).map((p) => p.text), [1, 2, 3].map((n) => `ＡＢＣ株式会社（本社）の資料${n}です。\n１．申請書${'甲乙丙'[n - 1]}を提出する\n２．承認${'甲乙丙'[n - 1]}を待つ`));
});

test('cleanPdfPages removes "Page N" and "N / M" footers that vary only by number', () => {
  const pages = [1, 2, 3].map((n) => ({ page: n, text: `Body text of page ${n}.\nMore body text.\nPage ${n} of 3` }));
  assert.deepEqual(cleanPdfPages(pages).map((p) => p.text), [1, 2, 3].map((n) => `Body text of page ${n}. More body text.`));
  const slash = [1, 2, 3].map((n) => ({ page: n, text: `${n} / 3\nContent of the page number ${n}.\n${'xyz'[n - 1]} ends.` }));
  assert.deepEqual(cleanPdfPages(slash).map((p) => p.text), [1, 2, 3].map((n) => `Content of the page number ${n}. ${'xyz'[n - 1]} ends.`));
});

test('cleanPdfPages keeps body lines that recur on few pages', () => {
  const pages = [1, 2, 3, 4, 5, 6].map((n) => ({ page: n, text: `${n === 1 ? 'Summary\n' : ''}Paragraph ${n} talks about topic number ${n}.\n\n${'ABCDEF'[n - 1]} goes on.` }));
  assert.equal(cleanPdfPages(pages)[0]?.text, 'Summary\nParagraph 1 talks about topic number 1.\n\nA goes on.');
});
