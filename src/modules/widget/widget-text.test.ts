import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pickLanguage, strings } from '../../../widget/src/i18n.js';
import { citedNumbers, excerpt, parseInline, parseMarkup } from '../../../widget/src/markup.js';
import { createSseParser } from '../../../widget/src/sse.js';

// The widget's pure parts (widget/src), tested here without a browser.

const STREAM = 'event: delta\ndata: {"text":"入社後"}\n\n: keep-alive\n\nevent: delta\r\ndata: {"text":"10日"}\r\n\r\nevent: sources\ndata: {"sources":[]}\n\nevent: done\ndata: {}\n\n';

describe('SSE parser', () => {
  test('the same events whether the stream arrives whole or one character at a time', () => {
    const whole = createSseParser().push(STREAM);
    assert.deepEqual(whole, [
      { event: 'delta', data: '{"text":"入社後"}' },
      { event: 'delta', data: '{"text":"10日"}' },
      { event: 'sources', data: '{"sources":[]}' },
      { event: 'done', data: '{}' },
    ]);
    const parser = createSseParser();
    assert.deepEqual([...STREAM].flatMap((char) => parser.push(char)), whole);
  });

  test('multi-line data, unnamed events, a lone \\r line ending, and an unfinished event waits', () => {
    const parser = createSseParser();
    assert.deepEqual(parser.push('data: a\ndata: b\n\ndata:c\r\rdata: d'), [
      { event: 'message', data: 'a\nb' },
      { event: 'message', data: 'c' },
    ]);
    assert.deepEqual(parser.push('\n\n'), [{ event: 'message', data: 'd' }]);
  });
});

describe('answer markup', () => {
  test('paragraphs, line breaks, bold, lists and citations become data, never HTML', () => {
    assert.deepEqual(parseMarkup('**有給休暇**は10日です[1]。\n最大20日[1, 2]\n\n- 入社6か月後\n・勤続1年ごと[2]\n1. 届出'), [
      {
        kind: 'paragraph',
        inlines: [
          { kind: 'text', text: '有給休暇', bold: true },
          { kind: 'text', text: 'は10日です', bold: false },
          { kind: 'cite', n: 1, raw: '[1]' },
          { kind: 'text', text: '。', bold: false },
          { kind: 'break' },
          { kind: 'text', text: '最大20日', bold: false },
          { kind: 'cite', n: 1, raw: '[1]' },
          { kind: 'cite', n: 2, raw: '[2]' },
        ],
      },
      { kind: 'list', ordered: false, start: 1, items: [[{ kind: 'text', text: '入社6か月後', bold: false }], [{ kind: 'text', text: '勤続1年ごと', bold: false }, { kind: 'cite', n: 2, raw: '[2]' }]] },
      { kind: 'list', ordered: true, start: 1, items: [[{ kind: 'text', text: '届出', bold: false }]] },
    ]);
  });

  test('markup in the text stays text; an unclosed ** (mid-stream) is shown as it is; headings are bold lines', () => {
    assert.deepEqual(parseInline('<img src=x onerror="alert(1)">'), [{ kind: 'text', text: '<img src=x onerror="alert(1)">', bold: false }]);
    assert.deepEqual(parseInline('**太字の途中'), [{ kind: 'text', text: '**太字の途中', bold: false }]);
    assert.deepEqual(parseMarkup('## 手当\n本文'), [
      { kind: 'paragraph', inlines: [{ kind: 'text', text: '手当', bold: true }] },
      { kind: 'paragraph', inlines: [{ kind: 'text', text: '本文', bold: false }] },
    ]);
  });

  test('cited numbers, once each and in order; excerpts cut on whole characters', () => {
    assert.deepEqual(citedNumbers('a[3] b[1] c[3] d[1、2] e[x]'), [1, 2, 3]);
    assert.equal(excerpt('  第20条\n\n（年次有給休暇）  ', 160), '第20条 （年次有給休暇）');
    assert.equal(excerpt('あいうえお😀かきくけこ', 6), 'あいうえお😀…');
    const passage = '業務の都合により、始業時刻を繰り下げることがある。第20条 入社日から6か月勤務した従業員には、10日の年次有給休暇を付与する。';
    assert.equal(excerpt(passage, 30, '年次有給休暇は10日付与されます[1]。'), '…第20条 入社日から6か月勤務した従業員には、10日の年次有…', 'starts at the sentence the answer used');
    assert.equal(excerpt(passage, 12, 'nothing in common'), '業務の都合により、始業時…', 'no overlap: the beginning');
  });
});

describe('language', () => {
  const table: Array<[Parameters<typeof pickLanguage>, string]> = [
    [['ja', 'en', ['en-US']], 'ja'],
    [['en', 'ja', ['ja-JP']], 'en'],
    [['auto', 'ja-JP', ['en-US']], 'ja'],
    [['auto', 'en', ['ja-JP']], 'en'],
    [['auto', '', ['ja-JP', 'en']], 'ja'],
    [['auto', '', ['fr-FR']], 'en'],
    [['auto', '', []], 'en'],
  ];
  for (const [args, expected] of table) {
    test(`${JSON.stringify(args)} → ${expected}`, () => assert.equal(pickLanguage(...args), expected));
  }

  test('every built-in text exists in both languages', () => {
    assert.deepEqual(Object.keys(strings.ja).sort(), Object.keys(strings.en).sort());
    for (const language of ['ja', 'en'] as const) for (const [name, value] of Object.entries(strings[language])) assert.ok(typeof value === 'function' || value.length > 0, `${language}.${name}`);
  });
});
