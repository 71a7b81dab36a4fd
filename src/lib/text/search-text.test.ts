import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PGlite } from '@electric-sql/pglite';
import { buildTsQuery, defaultSearchText, queryTerms, segmentForIndex } from './search-text.js';

const words = (text: string) => segmentForIndex(text, { cjkBigrams: false, bigramWeight: 0, phraseWeight: 0, dropStopwords: true, stemEnglish: false }).split(' ');

test('Japanese without spaces is segmented into words; particles are dropped', () => {
  assert.deepEqual(words('東京大学に行きました'), ['東京', '大学', '行き']);
  assert.deepEqual(words('これは日本の首都です。'), ['日本', '首都']);
});

test('terms are NFKC-folded and lowercased; punctuation never reaches Postgres', () => {
  assert.deepEqual(words('ＡＢＣ Café, e-mail: foo@bar.com (U.S.A.)'), ['abc', 'café', 'e', 'mail', 'foo', 'bar', 'com', 'u', 's']);
});

test('English function words are dropped, content words kept', () => {
  assert.deepEqual(words('What is the capital of the United States?'), ['capital', 'united', 'states']);
});

test('English words are stemmed so inflections match', () => {
  assert.deepEqual(segmentForIndex('colonies colony Used uses naïve 2024').split(' '), ['coloni', 'coloni', 'us', 'us', 'naïve', '2024']);
});

test("a question's possessive 's is not a term of its own (straight or curly apostrophe)", () => {
  const terms = (q: string) => queryTerms(q, { ...defaultSearchText, phraseWeight: 0, bigramWeight: 0 }).map((t) => t.term);
  assert.deepEqual(terms("Apollo's first mission"), ['apollo', 'first', 'mission']);
  assert.deepEqual(terms('JAMES’S CAT'), ['jame', 'cat']);
  // Only a final "'s": other apostrophes and words merely starting with s stay as they were.
  assert.deepEqual(terms("O'Sullivan rock'n'roll"), ['o', 'sullivan', 'rock', 'n', 'roll']);
});

test('CJK bigrams are added across word cuts', () => {
  assert.equal(segmentForIndex('低コスト'), '低 コスト 低コ コス スト');
  // A particle ends the run: no bigram spans 取材 and 電話 across "は".
  assert.ok(!segmentForIndex('取材は電話').split(' ').includes('材電'));
});

test('buildTsQuery ORs the quoted, distinct terms', () => {
  assert.equal(buildTsQuery('How many printable characters? Characters!', { cjkBigrams: false, bigramWeight: 0, phraseWeight: 0, dropStopwords: true, stemEnglish: false }), "'printable' | 'characters'");
  assert.equal(buildTsQuery('東京大学はどこ?'), "'東京' | '大学' | '京大'");
});

test('buildTsQuery returns null when nothing searchable remains', () => {
  for (const q of ['', '   ', '?!。、', 'の は です か', 'What is the', '\u200B\u0000', '""', '&|!():*<->']) assert.equal(buildTsQuery(q), null, q);
});

test('queryTerms: words, adjacent-word phrases, then bigrams, each once', () => {
  assert.deepEqual(queryTerms('東京大学', { ...defaultSearchText, bigramWeight: 0.3, phraseWeight: 0.5 }), [
    { term: '東京', tsquery: "'東京'", weight: 1, kind: 'word' },
    { term: '大学', tsquery: "'大学'", weight: 1, kind: 'word' },
    { term: '東京 大学', tsquery: "'東京' <-> '大学'", weight: 0.5, kind: 'phrase' },
    { term: '京大', tsquery: "'京大'", weight: 0.3, kind: 'bigram' },
  ]);
});

test('every queryTerms tsquery is accepted by to_tsquery and a phrase matches across a dropped particle', async () => {
  const question = "東京の大学は? O'Reilly & (a|b) <-> \\";
  const tsv = segmentForIndex('東京大学の研究');
  for (const { tsquery } of queryTerms(question)) {
    await db.query(`SELECT to_tsquery('simple', $1)`, [tsquery]);
  }
  const { rows } = await db.query<{ m: boolean }>(`SELECT to_tsvector('simple', $1) @@ to_tsquery('simple', $2) AS m`, [tsv, "'東京' <-> '大学'"]);
  assert.equal(rows[0]?.m, true);
});

test('a 10,000-character question gives a bounded query', () => {
  const terms = queryTerms('word'.repeat(3) + ' あいうえお漢字'.repeat(2000));
  assert.ok(terms.length <= 48);
});

const HOSTILE = [
  "it's O'Reilly's 'quoted' \"double\"",
  "a & b | c ! d ( e ) : * <-> <2> f:* g:A 'h'",
  '\\ back\\slash \\\\ \\\' end\\',
  '!!!(((&&&|||)))',
  ':* :A <-> & | !',
  '😀 emoji 👨‍👩‍👧 絵文字 🇯🇵',
  'SELECT * FROM users; DROP TABLE chunks; --',
  '%s %d $1 $$ \u0000 \u0007 \uFFFF',
  '日本語の質問です!それは何ですか?「引用」と(括弧)',
  'x'.repeat(10_000),
  ('東京 ' + "o'neil & " + '(a|b) ').repeat(1500),
  'ａｂｃ＆｜！（）：＊＜－＞',
];

let db: PGlite;
before(async () => {
  db = new PGlite();
  await db.exec(`CREATE TABLE docs (id int, tsv tsvector)`);
});
after(async () => db.close());

test('every built query is accepted by to_tsquery (hostile input never throws)', async () => {
  for (const question of HOSTILE) {
    const query = buildTsQuery(question);
    if (query === null) continue;
    const { rows } = await db.query<{ q: string }>(`SELECT to_tsquery('simple', $1)::text AS q`, [query]);
    assert.equal(typeof rows[0]?.q, 'string', question.slice(0, 40));
  }
});

test('indexed text is accepted by to_tsvector, including hostile text', async () => {
  for (const text of HOSTILE) await db.query(`SELECT to_tsvector('simple', $1)`, [segmentForIndex(text)]);
});

test('a Japanese question matches its chunk without spaces; the right chunk ranks first', async () => {
  const chunks = [
    '株式会社ジェイ・キャストは、日本のネットニュースサイト運営会社。基本的に取材は電話取材のみで運営は低コストである。',
    '手塚治虫は日本の漫画家、アニメーター、アニメ監督である。',
    'ASCII has 95 printable characters and 33 control characters.',
  ];
  await db.query('DELETE FROM docs');
  for (const [id, text] of chunks.entries()) {
    await db.query(`INSERT INTO docs VALUES ($1, to_tsvector('simple', $2))`, [id, segmentForIndex(text)]);
  }
  const search = async (question: string) => {
    const { rows } = await db.query<{ id: number }>(
      `SELECT id FROM docs WHERE tsv @@ to_tsquery('simple', $1) ORDER BY ts_rank_cd(tsv, to_tsquery('simple', $1)) DESC`,
      [buildTsQuery(question)],
    );
    return rows.map((r) => r.id);
  };
  assert.equal((await search('ジェイ・キャストの運営は低コストか高コストか'))[0], 0);
  assert.equal((await search('手塚治虫の職業は?'))[0], 1);
  assert.equal((await search('How many printable characters does ASCII have?'))[0], 2);
  // Bigrams: "漫画家" written as one word in the question still finds "漫画|家".
  assert.ok((await search('有名な漫画家')).includes(1));
});
