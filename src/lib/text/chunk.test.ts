import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chunkDocument, chunkingBounds, defaultChunking, estimateTokens, validateChunkingOptions, type Chunk } from './chunk.js';
import { documentText } from './document-text.js';
import { sentenceSpans } from './sentences.js';
import type { PageText } from './normalize.js';

const SENTENCES = [
  '本日は晴天なり。',
  '株式会社ジェイ・キャストは、日本のネットニュースサイト運営会社である。',
  '彼は「こんにちは。元気?」と言った。',
  'The quick brown fox jumps over the lazy dog.',
  'Dr. Smith paid $3.50 for a coffee at 5 p.m. yesterday.',
  'Shioriは RAG の製品で、PDF や DOCX を扱う。',
  '絵文字😀👨‍👩‍👧も含まれる文です。',
  'A much longer English sentence that keeps going with many words to make the chunker work harder than usual on it.',
  '長い文' + 'とても長い説明が続く'.repeat(30) + '。',
  'Antidisestablishmentarianism'.repeat(20) + ' is one enormous word.',
  '𠮷野家の𩸽を食べた。',
  '〒１００－０００１　東京都千代田区（本社）ＴＥＬ：０３－１２３４－５６７８！ﾃｽﾄです。',
];
const HEADINGS = ['第1章 概要', 'Introduction', '# Setup'];

/** Deterministic pseudo-random generator (mulberry32), so failures are reproducible. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomDocument(seed: number): PageText[] {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)] as T;
  const pageCount = 1 + Math.floor(rnd() * 4);
  return Array.from({ length: pageCount }, (_, p) => {
    const paragraphs: string[] = [];
    const paragraphCount = Math.floor(rnd() * 5);
    for (let i = 0; i < paragraphCount; i += 1) {
      const body = Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => pick(SENTENCES)).join(rnd() < 0.5 ? '' : ' ');
      paragraphs.push(rnd() < 0.3 ? `${pick(HEADINGS)}\n\n${body}` : body);
    }
    return { page: p + 3, text: paragraphs.join('\n\n') };
  });
}

const OPTION_SETS = [
  { chunkSize: 64, chunkOverlap: 0 },
  { chunkSize: 100, chunkOverlap: 30 },
  defaultChunking,
];

function checkInvariants(pages: PageText[], options: typeof defaultChunking, chunks: Chunk[]): void {
  const doc = documentText(pages);
  const sentenceStarts = new Set<number>();
  const sentenceEnds = new Set<number>();
  const oversize: { start: number; end: number }[] = [];
  for (const para of doc.text.split(/\n\n/).reduce<{ start: number; text: string }[]>((acc, text) => {
    const start = acc.length === 0 ? 0 : (acc.at(-1) as { start: number; text: string }).start + (acc.at(-1) as { text: string }).text.length + 2;
    return [...acc, { start, text }];
  }, [])) {
    for (const s of sentenceSpans(para.text)) {
      const text = para.text.slice(s.start, s.end);
      sentenceStarts.add(para.start + s.start);
      sentenceEnds.add(para.start + s.start + text.trimEnd().length);
      if (estimateTokens(text) > options.chunkSize) oversize.push({ start: para.start + s.start, end: para.start + s.end });
    }
  }
  const insideOversize = (offset: number) => oversize.some((s) => offset > s.start && offset < s.end);
  const pageOf = (offset: number) => doc.pages.filter((p) => p.start <= offset).at(-1)?.page;

  chunks.forEach((chunk, i) => {
    assert.equal(chunk.index, i);
    assert.equal(chunk.text, doc.text.slice(chunk.charStart, chunk.charEnd), 'offsets map back to the text');
    assert.equal(chunk.text, chunk.text.trim());
    assert.ok(chunk.text.length > 0);
    assert.ok(estimateTokens(chunk.text) <= options.chunkSize, `chunk ${i} has ${estimateTokens(chunk.text)} tokens`);
    assert.equal(chunk.tokens, estimateTokens(chunk.text));
    assert.ok(sentenceStarts.has(chunk.charStart) || insideOversize(chunk.charStart), `chunk ${i} starts inside a sentence`);
    assert.ok(sentenceEnds.has(chunk.charEnd) || insideOversize(chunk.charEnd), `chunk ${i} ends inside a sentence`);
    assert.doesNotMatch(chunk.text, /^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/, 'no split surrogate pair');
    assert.doesNotMatch(chunk.text, /^\u200D|\u200D$/, 'no split ZWJ sequence');
    assert.equal(chunk.pageStart, pageOf(chunk.charStart));
    assert.equal(chunk.pageEnd, pageOf(chunk.charEnd - 1));
    const prev = chunks[i - 1];
    if (prev) {
      assert.ok(chunk.charStart > prev.charStart && chunk.charEnd > prev.charEnd, 'chunks advance');
      if (chunk.charStart < prev.charEnd) {
        const shared = doc.text.slice(chunk.charStart, prev.charEnd);
        assert.ok(estimateTokens(shared) <= options.chunkOverlap, 'overlap within budget');
        assert.ok(sentenceStarts.has(chunk.charStart), 'overlap is whole sentences');
      } else {
        assert.equal(doc.text.slice(prev.charEnd, chunk.charStart).trim(), '', 'no text is skipped');
      }
    }
  });
  if (doc.text.trim() === '') assert.equal(chunks.length, 0);
  else assert.equal(chunks[0]?.charStart, 0);
  if (chunks.length > 0) assert.equal(chunks.at(-1)?.charEnd, doc.text.length);
}

test('chunker invariants hold on 300 random mixed-language documents', () => {
  for (let seed = 1; seed <= 100; seed += 1) {
    const pages = randomDocument(seed);
    for (const options of OPTION_SETS) checkInvariants(pages, options, chunkDocument(pages, options));
  }
});

test('chunking is deterministic', () => {
  const pages = randomDocument(42);
  assert.deepEqual(chunkDocument(pages), chunkDocument(pages));
});

test('short document gives one chunk; empty pages give none', () => {
  assert.deepEqual(chunkDocument([{ page: 1, text: 'Hello world.' }]), [
    { index: 0, text: 'Hello world.', pageStart: 1, pageEnd: 1, charStart: 0, charEnd: 12, tokens: 3 },
  ]);
  assert.deepEqual(chunkDocument([{ page: 1, text: ' \n ' }, { page: 2, text: '' }]), []);
});

test('chunk pages follow page boundaries', () => {
  const pages = [1, 2, 3].map((page) => ({ page, text: `これは${page}ページ目の文章です。`.repeat(6) }));
  const chunks = chunkDocument(pages, { chunkSize: 200, chunkOverlap: 0 });
  assert.deepEqual(chunks.map((c) => [c.pageStart, c.pageEnd]), [[1, 2], [3, 3]]);
  const sentenceSized = chunkDocument(pages, { chunkSize: 64, chunkOverlap: 0 });
  assert.deepEqual(sentenceSized.map((c) => [c.pageStart, c.pageEnd]), [[1, 1], [1, 2], [2, 2], [3, 3], [3, 3]]);
});

test('a heading stays with the paragraph after it', () => {
  const body = 'This sentence is part of the first section and has some words. '.repeat(5).trim();
  const text = `${body}\n\nSecond Section\n\n${'The second section starts here with its own text. '.repeat(3).trim()}`;
  const chunks = chunkDocument([{ page: 1, text }], { chunkSize: 80, chunkOverlap: 20 });
  const headed = chunks.find((c) => c.text.includes('Second Section'));
  assert.ok(headed?.text.startsWith('Second Section'), 'heading starts the chunk, without overlap before it');
});

test('overlap repeats whole sentences from the previous chunk', () => {
  const text = Array.from({ length: 20 }, (_, i) => `文${i}はここにあります。`).join('');
  const chunks = chunkDocument([{ page: 1, text }], { chunkSize: 64, chunkOverlap: 20 });
  assert.ok(chunks.length > 2);
  for (let i = 1; i < chunks.length; i += 1) {
    assert.ok((chunks[i]?.charStart ?? 0) < (chunks[i - 1]?.charEnd ?? 0), 'consecutive chunks overlap');
    assert.match(chunks[i]?.text ?? '', /^文\d+は/);
  }
});

test('an oversize sentence is cut at word or grapheme boundaries only', () => {
  const family = '👨‍👩‍👧';
  const chunks = chunkDocument([{ page: 1, text: family.repeat(300) }], { chunkSize: 64, chunkOverlap: 0 });
  assert.ok(chunks.length > 1);
  for (const chunk of chunks) assert.equal(chunk.text.replaceAll(family, ''), '', 'only whole emoji');
});

test('validateChunkingOptions enforces the bounds', () => {
  assert.deepEqual(validateChunkingOptions(defaultChunking), []);
  assert.equal(validateChunkingOptions({ chunkSize: chunkingBounds.chunkSize.min - 1, chunkOverlap: 0 }).length, 1);
  assert.equal(validateChunkingOptions({ chunkSize: 100.5, chunkOverlap: 0 }).length, 1);
  assert.equal(validateChunkingOptions({ chunkSize: 100, chunkOverlap: 51 }).length, 1);
  assert.equal(validateChunkingOptions({ chunkSize: 100, chunkOverlap: -1 }).length, 1);
  assert.throws(() => chunkDocument([{ page: 1, text: 'x' }], { chunkSize: 10, chunkOverlap: 0 }), RangeError);
});

test('full-width text is chunked as written, offsets into the text as written', () => {
  const text = '会社概要\n\n〒１００－０００１　東京都千代田区丸の内１－１（本社）。ＴＥＬは０３－１２３４－５６７８です！ｶﾀｶﾅも残る。';
  const doc = documentText([{ page: 1, text }]);
  assert.equal(doc.text, text);
  const chunks = chunkDocument([{ page: 1, text }]);
  assert.equal(chunks.length, 1);
  assert.equal(chunks[0]?.text, text);
  assert.equal(chunks[0]?.text, doc.text.slice(chunks[0]?.charStart, chunks[0]?.charEnd));
});

test('estimateTokens counts a full-width form like a Japanese character, not as a short word', () => {
  assert.equal(estimateTokens('ＴＥＬ０３'), 5);
  assert.equal(estimateTokens('（本社）'), 4);
  assert.ok(estimateTokens('ＡＢＣＤＥＦＧＨ') > estimateTokens('ABCDEFGH'));
  assert.equal(estimateTokens('ｶﾀｶﾅ'), estimateTokens('カタカナ'));
});

test('estimateTokens: about one per Japanese character, 1.3 per English word', () => {
  assert.equal(estimateTokens(''), 0);
  assert.equal(estimateTokens('日本語の文章'), 6);
  assert.equal(estimateTokens('The quick brown fox.'), 6);
  const english = 'retrieval augmented generation answers questions from documents '.repeat(10);
  assert.ok(Math.abs(estimateTokens(english) / (english.split(' ').length - 1) - 1.3) < 0.3);
});

test('pagesApart: no chunk spans two pages (sheets, slides), and offsets still index the document text', () => {
  const pages: PageText[] = [
    { page: 1, text: '価格表\n\n商品: りんご | 価格: 120' },
    { page: 2, text: '' },
    { page: 3, text: '担当者\n\n氏名: 山田 | 内線: 1234' },
  ];
  assert.equal(chunkDocument(pages).length, 1, 'joined, a short document is one chunk');
  const apart = chunkDocument(pages, defaultChunking, { pagesApart: true });
  const doc = documentText(pages);
  assert.deepEqual(apart.map((c) => [c.pageStart, c.pageEnd, c.index]), [[1, 1, 0], [3, 3, 1]]);
  for (const chunk of apart) assert.equal(doc.text.slice(chunk.charStart, chunk.charEnd), chunk.text);
  assert.match(apart[1]!.text, /^担当者\n\n氏名: 山田/);
});
