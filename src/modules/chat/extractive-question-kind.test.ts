import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindSpans, questionKind } from './extractive-question-kind.js';

test('question kind from the interrogative, in Japanese and English', () => {
  const cases: Array<[string, string | null]> = [
    ['東京オリンピックは何年に開催された？', 'date'],
    ['創業はいつですか', 'date'],
    ['社員は何人いますか？', 'number'],
    ['ニュースは何カ国語で配信？', 'number'],
    ['支持率は何%？', 'number'],
    ['りんごはいくつ？', 'number'],
    ['本社はどこにありますか', 'place'],
    ['この曲を作ったのは誰ですか', 'person'],
    ['創業者はだれ？', 'person'],
    ['ジェイ・キャストの定義は？', null],
    ['When was the company founded?', 'date'],
    ['In what year did the war end?', 'date'],
    ['How many employees does it have?', 'number'],
    ['What percentage of the vote did he win?', 'number'],
    ['Where is the headquarters?', 'place'],
    ['Which country hosted the games?', 'place'],
    ['Who wrote the letter?', 'person'],
    ['What is a printable character?', null],
    ['この制度を何というか', 'name'],
    ['半狭母音の別の言い方は？', 'name'],
    ['What is the term for a zero voltage difference?', 'name'],
  ];
  for (const [question, kind] of cases) assert.equal(questionKind(question), kind, question);
});

test('full-width question text is recognised as its matching form', () => {
  assert.equal(questionKind('ＷＨＯ　ｗｒｏｔｅ ｉｔ？'), 'person');
  assert.equal(questionKind('支持率は何％？'), 'number');
});

test('kindSpans finds dates, numbers, places and people', () => {
  const found = (kind: Parameters<typeof kindSpans>[0], text: string) => kindSpans(kind, text).map((s) => text.slice(s.start, s.end));
  assert.deepEqual(found('date', '1948年に創業し、昭和27年に設立。'), ['1948年', '昭和27年']);
  assert.deepEqual(found('date', 'It opened on 4 July 1998 and closed in the 1990s.'), ['4 July 1998', '1990s']);
  assert.ok(found('number', '社員は120人、シェアは35%。').includes('120'));
  assert.ok(found('number', 'About three thousand people came.').includes('three'));
  assert.ok(found('place', '京都市山科区に本社を置いている。').some((s) => s.startsWith('京都市')));
  assert.ok(found('place', 'The firm is based in Paris.').includes('in Paris'));
  assert.ok(found('person', '作曲はジョン・ウィリアムズ。').includes('ジョン・ウィリアムズ'));
  assert.ok(found('person', 'The letter was written by Thomas Jefferson.').includes('Thomas Jefferson'));
});

test('kindSpans finds what a text names: 〜ともいう, 〜と呼ばれる, called …', () => {
  const names = (text: string) => kindSpans('name', text).map((s) => text.slice(s.start, s.end));
  assert.deepEqual(names('半高母音ともいう。'), ['半高母音']);
  assert.deepEqual(names('この関係は「フックの法則」としても知られる。'), ['この関係は「フックの法則」']);
  assert.deepEqual(names('This is called saturation because the current flows freely.'), ['called saturation']);
});
