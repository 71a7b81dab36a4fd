import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quotableSentences } from './extractive-sentences.js';

test('a title line and a heading are marked, the body is not', () => {
  const sentences = quotableSentences('日本郵便\n\n日本郵便株式会社は、郵便事業を営む会社である。\n\nスローガン\n「真心を届ける」を掲げている。');
  assert.deepEqual(sentences.map((s) => [s.text, s.heading]), [
    ['日本郵便', true],
    ['日本郵便株式会社は、郵便事業を営む会社である。', false],
    ['スローガン', true],
    ['「真心を届ける」を掲げている。', false],
  ]);
  const en = quotableSentences('Agence France-Presse\n\nIt is the oldest news agency in the world.');
  assert.deepEqual(en.map((s) => s.heading), [true, false]);
});

test('a sentence broken by a line end is joined again; list items stay apart', () => {
  const sentences = quotableSentences('代表作の例として、\n『鉄腕アトム』などがある。\n・一つ目\n・二つ目');
  assert.deepEqual(sentences.map((s) => s.text), ['代表作の例として、『鉄腕アトム』などがある。', '・一つ目', '・二つ目']);
  const en = quotableSentences('The plan was approved by the\nboard in May.');
  assert.deepEqual(en.map((s) => s.text), ['The plan was approved by the board in May.']);
});

test('full-width characters are kept as written', () => {
  const [s] = quotableSentences('本社は〒１００－０００１　（東京都千代田区）にある。');
  assert.equal(s?.text, '本社は〒１００－０００１　（東京都千代田区）にある。');
});

test('a spreadsheet row ("列名: 値 | 列名: 値") is a statement of its own, never a heading; the header row is a heading', () => {
  const sheet = quotableSentences('担当者\n\n氏名 | 部署 | 内線\n\n氏名: 山田太郎 | 部署: 購買部 | 内線: 1234\n氏名: 佐藤花子 | 部署: 総務部 | 内線: 5678');
  assert.deepEqual(
    sheet.map((s) => [s.text, s.heading]),
    [['担当者', true], ['氏名 | 部署 | 内線', true], ['氏名: 山田太郎 | 部署: 購買部 | 内線: 1234', false], ['氏名: 佐藤花子 | 部署: 総務部 | 内線: 5678', false]],
  );
});
