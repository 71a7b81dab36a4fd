import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { markedPieces, quotedRanges, quotesCiting } from '../../../web/src/pages/chat/quoted-sentences.js';
import type { ChatSource } from '../chat/chat.schemas.js';
import { extractiveAnswer } from '../chat/extractive.js';
import { travelPolicyEn, workRulesJa } from '../retrieval/test-support/documents.js';

// The passage dialog highlights what the answer quoted (web/src/pages/chat/quoted-sentences.ts).

const asSources = (text: string): ChatSource[] =>
  text.split('\n\n').map((chunk_text, chunk_index) => ({ file_id: '00000000-0000-4000-8000-000000000000', file_name: 'doc.txt', file_type: 'txt', title: null, sheet_name: null, url: null, chunk_index, chunk_text, page: null, score: 0.5 }));
const marked = (passage: string, answer: string, n: number) =>
  markedPieces(passage, quotedRanges(passage, quotesCiting(answer, n)))
    .filter((p) => p.marked)
    .map((p) => p.text);
const compact = (text: string) => text.replace(/\s+|…/g, '');

describe('the quoted sentences of a cited passage', () => {
  for (const [question, document, language] of [
    ['年次有給休暇は何日付与されますか？', workRulesJa, 'ja'],
    ['通勤手当の上限はいくらですか', workRulesJa, 'ja'],
    ['How much is the daily meal allowance on business trips?', travelPolicyEn, 'en'],
  ] as const) {
    test(`every quote of an extractive answer is marked in the passage it cites: ${question}`, () => {
      // Most relevant first, as retrieval would give them: the sections that share the question's words.
      const sources = asSources(document).sort((a, b) => Number(b.chunk_text.includes(question.slice(0, 4))) - Number(a.chunk_text.includes(question.slice(0, 4))));
      const answer = extractiveAnswer(question, sources, language);
      const bullets = answer.split('\n').filter((line) => /\[\d\]$/.test(line));
      assert.ok(bullets.length >= 1, answer);
      for (const bullet of bullets) {
        const n = Number(/\[(\d)\]$/.exec(bullet)![1]);
        const quote = bullet.replace(/^・/, '').replace(/\s*\[\d\]$/, '');
        const highlighted = marked(sources[n - 1]!.chunk_text, answer, n).map(compact).join('');
        for (const piece of quote.split('…').filter((p) => p.trim().length >= 4)) assert.ok(highlighted.includes(compact(piece)), `${piece} is marked in [${n}]: ${highlighted}`);
      }
    });
  }

  test('a sentence the document breaks over lines is still found, and marked from its first to its last character', () => {
    const passage = '第20条（年次有給休暇）\n入社後6か月で、10日の年次\n有給休暇を付与する。以上。';
    assert.deepEqual(marked(passage, '資料から抜粋しました。\n\n・入社後6か月で、10日の年次有給休暇を付与する。 [1]', 1), ['入社後6か月で、10日の年次\n有給休暇を付与する。']);
  });

  test('only the quotes citing this source are marked; a clipped quote is marked in its parts', () => {
    const passage = 'Flights. Book economy class for flights shorter than six hours. Business class may be booked for longer flights with the approval of a director.';
    const answer = 'Here are the passages.\n\n・Book economy class for flights shorter than six hours. [2]\n・…may be booked for longer flights… [1]';
    assert.deepEqual(marked(passage, answer, 1), ['may be booked for longer flights']);
    assert.deepEqual(marked(passage, answer, 2), ['Book economy class for flights shorter than six hours.']);
    assert.deepEqual(marked(passage, answer, 3), []);
  });

  test('a model’s paraphrase marks nothing; words it quotes in 「」 are marked', () => {
    const passage = '入社日から6か月間継続して勤務した従業員には、10日の年次有給休暇を付与する。';
    assert.deepEqual(marked(passage, '入社後半年で有給休暇が10日もらえます[1]。', 1), []);
    assert.deepEqual(marked(passage, '規則には「10日の年次有給休暇を付与する」とあります[1]。', 1), ['10日の年次有給休暇を付与する']);
  });

  test('pieces cover the whole text, in order', () => {
    const pieces = markedPieces('abcdef', [{ start: 1, end: 3 }, { start: 4, end: 6 }]);
    assert.deepEqual(pieces, [
      { text: 'a', marked: false },
      { text: 'bc', marked: true },
      { text: 'd', marked: false },
      { text: 'ef', marked: true },
    ]);
  });
});
