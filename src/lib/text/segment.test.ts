import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { segmentLong } from './segment.js';

const words = new Intl.Segmenter('ja', { granularity: 'word' });
const sentences = new Intl.Segmenter('ja', { granularity: 'sentence' });
const graphemes = new Intl.Segmenter('ja', { granularity: 'grapheme' });

const rebuilt = (segmenter: Intl.Segmenter, text: string) => {
  const segments = [...segmentLong(segmenter, text)];
  segments.forEach((s, i) => assert.equal(s.index, i === 0 ? 0 : segments[i - 1]!.index + segments[i - 1]!.segment.length));
  return segments;
};

describe('segmentLong', () => {
  test('a short text segments exactly as Intl.Segmenter does', () => {
    const text = '年次有給休暇は入社6か月後に10日付与されます。Paid leave starts after six months.';
    assert.deepEqual(
      [...segmentLong(words, text)],
      [...words.segment(text)].map(({ segment, index, isWordLike }) => ({ segment, index, isWordLike })),
    );
  });

  test('a long text of lines: sentences end at the same places, indexes are offsets in the whole text', () => {
    const line = '第1条　この規則は、従業員の労働条件を定める。第2条　従業員は誠実に勤務する。\n';
    const text = line.repeat(2000);
    const segments = rebuilt(sentences, text);
    assert.equal(segments.length, 4000);
    assert.equal(segments.map((s) => s.segment).join(''), text);
    assert.deepEqual(segments.slice(0, 2).map((s) => s.segment), ['第1条　この規則は、従業員の労働条件を定める。', '第2条　従業員は誠実に勤務する。\n']);
  });

  test('one giant word is cut at character boundaries, never inside a surrogate pair', () => {
    const text = '𠮷'.repeat(10_000); // a character outside the BMP: two UTF-16 units
    const segments = rebuilt(graphemes, text);
    assert.equal(segments.length, 10_000);
    assert.ok(segments.every((s) => s.segment === '𠮷'));
  });

  test('English without line breaks is cut after a sentence or a space', () => {
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(500);
    const segments = rebuilt(words, text);
    assert.equal(segments.filter((s) => s.isWordLike).length, 9 * 500);
    assert.ok(segments.every((s) => s.segment === ' ' || s.segment === '.' || /^[A-Za-z]+$/.test(s.segment)));
  });
});
