import assert from 'node:assert/strict';
import { test } from 'node:test';
import { layoutPageText } from './pdf/text-layout.js';
import type { PdfTextRun } from './pdf/text-layout.js';

/** A horizontal run at (x, y) in a 12 pt font, each character `advance` wide. */
function run(str: string, x: number, y: number, options: { hasEOL?: boolean; advance?: number } = {}): PdfTextRun {
  const advance = options.advance ?? 6;
  return { str, transform: [12, 0, 0, 12, x, y], width: str.length * advance, height: 12, hasEOL: options.hasEOL ?? false, vertical: false };
}

test('runs flagged as line ends become lines', () => {
  assert.equal(layoutPageText([run('Hello', 0, 700, { hasEOL: true }), run('world', 0, 685)]), 'Hello\nworld');
});

test('a run that starts on another line without hasEOL still starts a new line', () => {
  assert.equal(layoutPageText([run('First line', 0, 700), run('Second line', 0, 680)]), 'First line\nSecond line');
});

test('a wide gap on one line becomes a space, a kerning gap does not', () => {
  assert.equal(layoutPageText([run('Total', 0, 700), run('amount', 40, 700)]), 'Total amount');
  assert.equal(layoutPageText([run('Tot', 0, 700), run('al', 18.5, 700)]), 'Total');
});

test('no space is put between two CJK characters, even where pdf.js inferred one', () => {
  const runs = [run('日本語の', 0, 700, { advance: 12 }), run(' ', 48, 700), run('テキスト', 52, 700, { advance: 12 })];
  assert.equal(layoutPageText(runs), '日本語のテキスト');
});

test('a Japanese line that wraps mid-word is joined; a short line or a sentence end is not', () => {
  const runs = [
    run('見出し', 0, 760, { hasEOL: true, advance: 12 }),
    run('ポリエチレン絶縁電線に裸線をより合わせたデュプ', 0, 745, { hasEOL: true, advance: 12 }),
    run('レックス絶縁電線は対象外とする。', 0, 730, { hasEOL: true, advance: 12 }),
    run('次の段落です。', 0, 715, { advance: 12 }),
  ];
  assert.equal(
    layoutPageText(runs),
    '見出し\nポリエチレン絶縁電線に裸線をより合わせたデュプレックス絶縁電線は対象外とする。\n次の段落です。',
  );
});

test('vertical writing: each column is a line, in reading order', () => {
  const column = (str: string, x: number): PdfTextRun => ({
    str,
    transform: [10, 0, 0, 10, x, 556],
    width: 10,
    height: str.length * 10,
    hasEOL: true,
    vertical: true,
  });
  assert.equal(layoutPageText([column('わたくしといふ現象は。', 666), column('ひとつの青い照明です', 649)]), 'わたくしといふ現象は。\nひとつの青い照明です');
});

test('a superscript on the same line does not break it', () => {
  const runs = [run('E = mc', 0, 700), { ...run('2', 36, 704), transform: [7, 0, 0, 7, 36, 704] }, run(' holds', 40, 700)];
  assert.equal(layoutPageText(runs), 'E = mc2 holds');
});
