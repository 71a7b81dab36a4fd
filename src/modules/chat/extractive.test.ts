import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatSource } from './chat.schemas.js';
import { extractiveAnswer } from './extractive.js';

const source = (chunk_text: string, chunk_index = 0): ChatSource => ({ file_id: 'f', file_name: '就業規則.txt', file_type: 'txt', title: null, sheet_name: null, url: null, chunk_index, chunk_text, page: null, score: 1 });
const bullets = (answer: string) => answer.split('\n').filter((line) => line.startsWith('・'));

test('quotes the sentence that answers, whole, after the lead line', () => {
  const passage =
    '業務の都合により、始業時刻を繰り下げることがある。\n' +
    '第25条（通勤手当）通勤に公共交通機関を利用する従業員には、定期券代を通勤手当として支給する。ただし、支給額の上限は月額5万円とする。\n' +
    '第30条（服務規律）従業員は、会社の機密情報を許可なく社外に持ち出してはならない。';
  const answer = extractiveAnswer('通勤手当の上限はいくら？', [source(passage)], 'ja');
  const lines = answer.split('\n');
  assert.equal(lines[0], '資料の中から、ご質問に最も関連する箇所を抜粋しました。');
  assert.equal(lines[2], '・ただし、支給額の上限は月額5万円とする。 [1]');
  assert.ok(bullets(answer).length <= 3);
});

test('the question kind picks the sentence: a date for いつ, a number for 何人, a place for where, a person for who', () => {
  const ja = source('当社は京都の出版社である。当社は1948年に創業した。当社の社員は120人である。本社は京都市山科区にある。創業者は杉田信夫である。');
  const first = (question: string, s = ja, language: 'ja' | 'en' = 'ja') => bullets(extractiveAnswer(question, [s], language, { maxQuotes: 1 }))[0];
  assert.match(first('当社はいつ創業した？')!, /1948年/);
  assert.match(first('当社の社員は何人？')!, /120人/);
  const en = source('The company is a publisher. The company was founded in 1948. The company employs 120 people. The company is based in Kyoto. The company was founded by Nobuo Sugita.');
  assert.match(first('When was the company founded?', en, 'en')!, /1948/);
  assert.match(first('How many people does the company employ?', en, 'en')!, /120 people/);
  assert.match(first('Where is the company based?', en, 'en')!, /Kyoto/);
  assert.match(first('Who founded the company?', en, 'en')!, /Nobuo Sugita/);
});

test('a title or heading line is never quoted alone', () => {
  const ja = extractiveAnswer('日本郵便のスローガンは？', [source('日本郵便\n\n日本郵便株式会社は、日本郵政グループの郵便事業会社である。日本郵便は全国の郵便局を運営する。日本郵便は2012年に発足した。スローガンは「真心を届ける」。')], 'ja');
  for (const b of bullets(ja)) assert.notEqual(b, '・日本郵便 [1]');
  assert.match(bullets(ja)[0]!, /真心を届ける/);
  const en = extractiveAnswer('What is Agence France-Presse?', [source('Agence France-Presse\n\nAgence France-Presse is a news agency based in Paris.')], 'en');
  assert.deepEqual(bullets(en), ['・Agence France-Presse is a news agency based in Paris. [1]']);
});

test('a passage that is only a title is not quoted; with nothing else to quote, the answer says so', () => {
  const answer = extractiveAnswer('フランス通信社は何カ国語で配信？', [source('フランス通信社\n\n'), source('ニュースは、公式には6か国語で配信。', 1)], 'ja');
  assert.deepEqual(bullets(answer), ['・ニュースは、公式には6か国語で配信。 [2]']);
  assert.match(extractiveAnswer('What?', [source('Title Only\n\n')], 'en'), /do not contain/);
  // The same answer as when nothing passes the cut: rephrasing, and the widget's contact line.
  assert.match(extractiveAnswer('何カ国語？', [source('フランス通信社\n\n')], 'ja', { contact: '03-1234-5678' }), /見つかりませんでした。\n.*言い換え.*\n.*03-1234-5678/);
});

test('a sentence shared by overlapping passages is quoted once', () => {
  const shared = '年次有給休暇は入社6か月後に10日付与する。';
  const ja = extractiveAnswer('年次有給休暇は何日付与される？', [source(`休暇について定める。${shared}`), source(`${shared}有給休暇は翌年度に繰り越せる。`, 1)], 'ja');
  assert.equal(bullets(ja).filter((b) => b.includes(shared)).length, 1);
  const sentence = 'The meal allowance on business trips is 60 dollars per day.';
  const en = extractiveAnswer('What is the meal allowance on business trips?', [source(`Travel rules. ${sentence}`), source(`${sentence} Receipts are required.`, 1)], 'en');
  assert.equal(bullets(en).filter((b) => b.includes(sentence)).length, 1);
});

test('a long sentence is cut at a clause boundary with an ellipsis, never inside the answer or mid-word', () => {
  const ja = '当社は創業以来、地域の皆様に支えられながら数多くの製品を世に送り出してまいりましたが、本社は1990年に京都市山科区へ移転し、現在は約300人の社員が勤務しており、今後も地域に根ざした事業を展開してまいります。';
  const jaQuote = bullets(extractiveAnswer('本社はいつ移転した？', [source(ja)], 'ja', { maxQuoteWidth: 90 }))[0]!;
  assert.match(jaQuote, /1990年/);
  assert.match(jaQuote, /…/);
  const en =
    'In the myths told across the ancient Greek world, in many versions and with many local variations, the god of music and healing had a son, Asclepius, who became the god of medicine, and whose staff with a single snake is still the symbol of doctors.';
  const enQuote = bullets(extractiveAnswer("Who was Apollo's son?", [source(`Apollo was a god. ${en}`)], 'en', { maxQuoteWidth: 100 }))[0]!;
  assert.match(enQuote, /Asclepius[,…]/);
  const kept = enQuote.replace(/^・/, '').replace(/ \[\d\]$/, '').replace(/^…|…$/g, '');
  assert.ok(en.includes(kept), 'verbatim part of the sentence');
  const next = en[en.indexOf(kept) + kept.length] ?? '';
  assert.ok(!(/[a-z]$/i.test(kept) && /[a-z]/i.test(next)), 'not cut mid-word');
});

test('full-width text is quoted exactly as the document wrote it', () => {
  const text = '本社の所在地は〒６０７－８４９４（京都市山科区）である。ＴＥＬは０７５－５８１－５１９１。';
  const answer = extractiveAnswer('本社の所在地は？', [source(text)], 'ja');
  assert.match(answer, /〒６０７－８４９４（京都市山科区）/);
  const en = extractiveAnswer('What is the ＡＢＣ code?', [source('The ＡＢＣ code is （１２３）.')], 'en');
  assert.match(en, /The ＡＢＣ code is （１２３）\./);
});

test("the best passage's best sentence comes first, even when a later passage has a better one", () => {
  const first = source('経費精算は月末に行う。出張の日当は3000円とする。');
  const second = source('出張の日当は、国内出張の場合、役職にかかわらず一律3000円とし、出張の日当は海外では5000円とする。', 1);
  const answer = extractiveAnswer('出張の日当はいくら？', [first, second], 'ja');
  assert.equal(bullets(answer)[0], '・出張の日当は3000円とする。 [1]');
  const en = extractiveAnswer('What is the daily allowance?', [source('Expenses are paid monthly. The daily allowance is 30 dollars.'), source('The daily allowance, the daily allowance for travel, is 30 dollars.', 1)], 'en');
  assert.equal(bullets(en)[0], '・The daily allowance is 30 dollars. [1]');
});

test('no sources: says so in the question’s language', () => {
  assert.match(extractiveAnswer('何か', [], 'ja'), /見つかりませんでした/);
  assert.match(extractiveAnswer('anything', [], 'en'), /do not contain/);
});

test('a lead that restates the question without the asked value is followed by the sentence that holds it', () => {
  const passage = '関白は天皇と太政官の双方を統制する権限を有していた。これを摂関政治という。のちに院政が始まった。';
  const answer = extractiveAnswer('天皇と太政官の双方を統制する権限を持つ関白による政治を何という？', [source(passage)], 'ja');
  assert.match(bullets(answer)[0]!, /^・関白は天皇と太政官の双方を統制する権限を有していた。/);
  assert.match(bullets(answer).join('\n'), /これを摂関政治という。/);
});

test('a sentence right under its heading that names no subject is quoted with the heading', () => {
  const answer = extractiveAnswer('奈良時代初期の官撰の地誌は？', [source('風土記\n\n奈良時代初期の官撰の地誌。各地の産物を記す。')], 'ja');
  assert.equal(bullets(answer)[0], '・風土記 奈良時代初期の官撰の地誌。 [1]');
});

test('a question about a spreadsheet is answered with the row that holds it', () => {
  const sheet = source('担当者\n\n氏名 | 部署 | 内線\n\n氏名: 山田太郎 | 部署: 購買部 | 内線: 1234\n\n氏名: 佐藤花子 | 部署: 総務部 | 内線: 5678');
  assert.deepEqual(bullets(extractiveAnswer('購買部の担当者の内線番号は？', [sheet], 'ja')), ['・氏名: 山田太郎 | 部署: 購買部 | 内線: 1234 [1]']);
  assert.deepEqual(bullets(extractiveAnswer('総務部の内線は？', [sheet], 'ja')), ['・氏名: 佐藤花子 | 部署: 総務部 | 内線: 5678 [1]']);
});

test('a slide of short unpunctuated lines is quoted by its line that answers, not refused as all headings', () => {
  const slide = source('在庫の見通し\n\n倉庫の在庫は七月に解消する見込み\n\nノート\n\n質疑では物流費の値上げに触れる');
  assert.deepEqual(bullets(extractiveAnswer('在庫はいつ解消しますか', [slide], 'ja')), ['・倉庫の在庫は七月に解消する見込み [1]']);
  assert.deepEqual(bullets(extractiveAnswer('物流費の値上げ', [slide], 'ja')), ['・質疑では物流費の値上げに触れる [1]']);
  assert.deepEqual(bullets(extractiveAnswer('在庫の見通し', [source('在庫の見通し')], 'ja')), [], 'a title alone is still never quoted');
});
