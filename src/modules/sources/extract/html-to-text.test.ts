import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mammothHtmlToText } from './docx/html-to-text.js';

test('headings stand on their own line, paragraphs are separated by a blank line', () => {
  const { text } = mammothHtmlToText('<h1>第1章 総則</h1><p>First paragraph.</p><p>Second &amp; last.</p>');
  assert.equal(text, '第1章 総則\n\nFirst paragraph.\n\nSecond & last.');
});

test('bulleted, numbered and nested lists keep their markers', () => {
  const html = '<ul><li>Apple</li><li>Banana<ul><li>Cavendish</li></ul></li></ul><ol><li>Open</li><li>Submit</li></ol>';
  assert.equal(mammothHtmlToText(html).text, '- Apple\n- Banana\n  - Cavendish\n1. Open\n2. Submit');
});

test('table rows become one line of cells joined by " | "', () => {
  const html =
    '<table><thead><tr><th><p>項目</p></th><th><p>日数</p></th></tr></thead>' +
    '<tbody><tr><td><p>有給</p><p>休暇</p></td><td><p>20</p></td></tr><tr><td></td><td></td></tr></tbody></table>';
  assert.equal(mammothHtmlToText(html).text, '項目 | 日数\n有給 休暇 | 20');
});

test('footnotes come last as "[n] text", without the back-link arrows', () => {
  const html =
    '<p>Ouch<sup><a href="#footnote-1" id="footnote-ref-1">[1]</a></sup>.</p>' +
    '<ol><li id="footnote-1"><p> A tachyon walks into a bar. <a href="#footnote-ref-1">↑</a></p></li></ol>';
  assert.equal(mammothHtmlToText(html).text, 'Ouch[1].\n\n[1] A tachyon walks into a bar.');
});

test('line breaks split lines; images are counted, not rendered', () => {
  const result = mammothHtmlToText('<p>one<br />two</p><p><img src="" alt="logo" /></p>');
  assert.equal(result.text, 'one\ntwo');
  assert.equal(result.imageCount, 1);
});

test('entities are decoded, including numeric ones', () => {
  assert.equal(mammothHtmlToText('<p>&lt;tag&gt; &quot;q&quot; &#x65E5;&#26412;</p>').text, '<tag> "q" 日本');
});
