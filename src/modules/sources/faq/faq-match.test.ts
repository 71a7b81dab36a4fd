import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ANSWER_THRESHOLD, asksFor, matchForm, similarity } from './faq-match.js';

const score = (a: string, b: string) => similarity(matchForm(a), matchForm(b));

test('a paraphrase reaches the answer threshold; a related but different question does not', () => {
  assert.ok(score('有給休暇の申請方法', '有給休暇はどうやって申請しますか') >= ANSWER_THRESHOLD);
  assert.ok(score('交通費の精算方法を教えてください', '交通費はどうやって精算しますか') >= ANSWER_THRESHOLD);
  assert.ok(score('ＶＰＮの接続方法', 'VPNに接続する方法') >= ANSWER_THRESHOLD, 'full-width and half-width meet (NFKC)');
  assert.ok(score('有給休暇の申請方法', '有給休暇の日数') < ANSWER_THRESHOLD);
  assert.ok(score('How do I reset my password?', 'How do I change my email address?') < 0.35);
});

test('two questions asking for different things lose most of their overlap', () => {
  assert.deepEqual([...asksFor('キャンセルの締め切りはいつですか')], ['when']);
  assert.deepEqual([...asksFor('駐車場の料金はいくらですか')], ['price']);
  assert.ok(score('ポイントの有効期限はいつまでですか', 'ポイントはいくらで買えますか') < 0.5);
});

test('a question of stopwords and references only matches nothing', () => {
  assert.equal(matchForm('それはいつまで？').words.size, 0);
  assert.equal(score('それはいつまで？', 'それはいつまで？'), 0);
  assert.equal(score('', '有給休暇'), 0);
});
