import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { driftsFrom } from './follow-up.js';
import { leansOnConversation } from './leans-on-conversation.js';

describe('leansOnConversation', () => {
  const cases: Array<[string, boolean, string]> = [
    ['そのスローガンは？', true, 'a demonstrative'],
    ['それはいつですか', true, 'a pronoun with nothing else'],
    ['同社の本社はどこにありますか', true, '同社 points back'],
    ['他にはどんな手当がありますか', true, 'continues the topic'],
    ['料金は？', true, 'elliptical: one word of its own'],
    ['詳しく教えてください', true, 'asks for more without naming anything'],
    ['支払い方法は？', true, 'a bare topic: an attribute of something said before'],
    ['Payment options?', true, 'a bare topic'],
    ['しおり商事の本社所在地は？', false, 'a bare topic that names its subject'],
    ['日本郵便の本社はどこにありますか？', false, 'names its topic'],
    ['では機密情報の持ち出しについて教えてください', false, 'では opening a new, named topic'],
    ['When was it founded?', true, 'a pronoun'],
    ['What about part-timers?', true, 'what about'],
    ['And the population?', true, 'and + one word'],
    ['Tell me more', true, 'no word of its own'],
    ['How many printable characters are there in ASCII?', false, 'names its topic'],
    ['What award did Cruyff win during his first year with Barcelona?', false, 'his points to Cruyff, inside the question'],
    ['2011年の経済産業省の調査で、その内、現在も顧問として勤務しているのは何人か？', false, 'その points inside the question'],
    ['法本質論とその他のいくつに大別された？', false, 'その他 is “others”, not a reference'],
    ['Did they later regret their choice?', true, 'nothing named before they'],
    ['Who composed the national anthem of Greece?', false, 'names its topic'],
  ];
  for (const [question, expected, why] of cases) {
    test(`${question} → ${expected} (${why})`, () => assert.equal(leansOnConversation(question), expected));
  }
});

describe('driftsFrom', () => {
  test('a rewrite that keeps the question’s words and adds the topic is used', () => {
    assert.equal(driftsFrom('料金は？', 'エンタープライズプランの料金'), false);
    assert.equal(driftsFrom('How much does it cost?', 'How much does the Enterprise plan cost'), false);
  });
  test('a rewrite that loses the question’s own words has answered another question', () => {
    assert.equal(driftsFrom('支払い方法は？', 'エンタープライズプランの料金'), true);
    assert.equal(driftsFrom('When was it founded?', 'Enterprise plan price'), true);
  });
  test('a question with no words of its own cannot drift', () => {
    assert.equal(driftsFrom('それは？', 'エンタープライズプランの料金'), false);
  });
});
