import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildTestApp, type TestApp } from '../../test/harness.js';
import { uploadAndProcess } from '../../test/upload.js';
import type { ChatResponse } from './chat.schemas.js';

// The extractive answer (no provider key) through POST /api/v1/chats/rag, on documents uploaded
// and ingested for real: what is stored, retrieved, cited and quoted.

const ITEMS = ['ボールペン', 'ノート', '便箋', '封筒', '画用紙', '鉛筆', '消しゴム', '定規', 'ホッチキス', '付箋', '手帳', '色鉛筆', '筆箱', '下敷き', 'ファイル', 'クリップ', 'のり', 'はさみ', 'カッター', '修正テープ', 'マーカー', 'スケッチブック', '原稿用紙', 'ルーズリーフ'];
/** Written with full-width digits, as Japanese documents often are. */
const REPAIR = '万年筆の修理には、お預かりから通常１０日ほどかかる。';
const TITLE = '株式会社しおり文具';
// One paragraph of ~900 characters: three chunks, and REPAIR falls in the overlap of the first two.
const shopJa = `${TITLE}\n\n${[...ITEMS.slice(0, 9).map(shelf), REPAIR, ...ITEMS.slice(9).map(shelf)].join('')}`;
function shelf(item: string, i: number): string {
  return `${item}の売り場は${i + 2}番の棚にあり、季節ごとに新しい商品を入れ替えている。`;
}

const LONG_JA =
  '当社は戦後まもなく京都の小さな文房具店として始まり、地域の学校や官公庁に紙製品を納めながら少しずつ取り扱う品目を増やしてきたが、本社は１９９０年に京都市山科区の現在地へ移転し、その後は全国の文具店や量販店との取引を広げ、さらに自社で企画した紙製品や筆記具の販売にも力を入れるようになり、現在では海外の取引先とも直接の取引を行うまでになっている。';
const historyJa = `会社沿革\n\n${LONG_JA}\n\n所在地は〒６０７－８４９４　京都府京都市山科区日ノ岡堤谷町１番地（ＡＢＣビル３階）である。`;

const LONG_EN =
  'The company began after the war as a small stationery shop in Kyoto, selling paper goods to the schools and offices of the neighbourhood and slowly adding to the range of products it carried, and in 1990 it moved its head office to Yamashina, where it still stands, before expanding to shops and wholesalers across the whole country and abroad.';
const historyEn = `Shiori Stationery\n\nShiori Stationery is a stationery wholesaler. ${LONG_EN}\n\nThe shop sign reads ＳＨＩＯＲＩ（しおり） in full-width letters.`;

let t: TestApp;
before(async () => {
  t = await buildTestApp();
  const token = t.a.admin.accessToken;
  await uploadAndProcess(t, token, 'しおり文具.txt', shopJa);
  await uploadAndProcess(t, token, '会社沿革.txt', historyJa);
  await uploadAndProcess(t, t.b.admin.accessToken, 'history.txt', historyEn);
});
after(() => t.close());

async function ask(token: string, query: string): Promise<ChatResponse> {
  const res = await t.request('POST', '/api/v1/chats/rag', { token, body: { query } });
  assert.equal(res.statusCode, 200, res.body);
  const body: ChatResponse = res.json();
  assert.equal(body.metadata.model, 'extractive');
  return body;
}

const bullets = (answer: string) => answer.split('\n').filter((line) => line.startsWith('・'));
const quoteOf = (bullet: string) => bullet.replace(/^・/, '').replace(/ \[\d+\]$/, '').replace(/^…|…$/g, '');

describe('extractive answers over uploaded documents', () => {
  test('a title line is never a bullet on its own, even when the question names it', async () => {
    const ja = await ask(t.a.operator.accessToken, '株式会社しおり文具の万年筆の修理は何日かかる？');
    assert.ok(ja.sources.some((s) => s.chunk_text.startsWith(TITLE)), 'the title passage is retrieved');
    for (const b of bullets(ja.answer)) assert.notEqual(quoteOf(b), TITLE);
    assert.match(bullets(ja.answer)[0]!, /通常１０日/);
    const en = await ask(t.b.operator.accessToken, 'What is Shiori Stationery?');
    for (const b of bullets(en.answer)) assert.notEqual(quoteOf(b), 'Shiori Stationery');
    assert.match(en.answer, /Shiori Stationery is a stationery wholesaler\./);
  });

  test('a sentence held by two overlapping passages is quoted once', async () => {
    const body = await ask(t.a.operator.accessToken, '万年筆の修理にはどのくらいかかりますか？');
    assert.ok(body.sources.filter((s) => s.chunk_text.includes(REPAIR)).length >= 2, 'premise: both overlapping chunks are retrieved');
    assert.equal(bullets(body.answer).filter((b) => b.includes(REPAIR)).length, 1, body.answer);
    assert.equal(new Set(bullets(body.answer).map(quoteOf)).size, bullets(body.answer).length, 'no bullet twice');
  });

  test('a long sentence is cut at a clause boundary around the answer, verbatim, never mid-word', async () => {
    const ja = await ask(t.a.operator.accessToken, '本社はいつ現在地へ移転しましたか？');
    const jaQuote = bullets(ja.answer)[0]!;
    assert.match(jaQuote, /本社は１９９０年に京都市山科区の現在地へ移転し/);
    assert.match(jaQuote, /…/, 'cut, and says so');
    assert.ok(LONG_JA.includes(quoteOf(jaQuote)), 'the kept part is the sentence as written');
    assert.ok(/^・(?:…、?)?[^、]/.test(jaQuote), 'starts at a clause');

    const en = await ask(t.b.operator.accessToken, 'When did the company move its head office?');
    const enQuote = bullets(en.answer)[0]!;
    assert.match(enQuote, /in 1990 it moved its head office to Yamashina/);
    const kept = quoteOf(enQuote);
    assert.ok(LONG_EN.includes(kept), 'verbatim');
    const at = LONG_EN.indexOf(kept);
    assert.ok(!/\w/.test(LONG_EN[at - 1] ?? '') || !/\w/.test(kept[0]!), 'not cut mid-word at the start');
    assert.ok(!/\w/.test(LONG_EN[at + kept.length] ?? '') || !/\w/.test(kept.at(-1)!), 'not cut mid-word at the end');
  });

  test('full-width text is kept as the document wrote it, in the answer and in sources[].chunk_text', async () => {
    const ja = await ask(t.a.operator.accessToken, '会社の所在地はどこですか？');
    const address = '〒６０７－８４９４　京都府京都市山科区日ノ岡堤谷町１番地（ＡＢＣビル３階）';
    assert.ok(ja.sources.some((s) => s.chunk_text.includes(address)), 'stored and cited as written');
    assert.match(ja.answer, new RegExp(address.replace(/[()（）]/g, '\\$&')));
    // Matching still folds: a half-width question finds the full-width text.
    const folded = await ask(t.a.operator.accessToken, 'ABCビルは何階？');
    assert.match(folded.answer, /（ＡＢＣビル３階）/);

    const en = await ask(t.b.operator.accessToken, 'What does the shop sign read?');
    assert.ok(en.sources.some((s) => s.chunk_text.includes('ＳＨＩＯＲＩ（しおり）')));
    assert.match(en.answer, /ＳＨＩＯＲＩ（しおり）/);
  });
});
