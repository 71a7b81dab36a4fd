// What kind of answer a question asks for (a date, a number, a place, a person), and where a
// text holds something of that kind. Both work on the matching form (NFKC, lowercase), so
// "１９６４年" and "1964年" are the same date.
import type { TextSpan } from '../../lib/text/sentences.js';

export type QuestionKind = 'date' | 'number' | 'place' | 'person' | 'name';

// Order matters: 何年 is a date before it is a number, どの国 a place before anything else; a
// name (何という, 別名, what is X called) only when no other kind asks.
const KIND_CUES: Array<[QuestionKind, RegExp]> = [
  ['date', /いつ|何年(?!間)|何月|何日(?!間)|何曜|何時代|何世紀|何年代|西暦何|\bwhen\b|\bwhat (?:year|date|day|month|century|decade|era|time period)\b|\bwhich (?:year|date|day|month|century|decade)\b|\bhow long ago\b/u],
  ['place', /どこ|何処|どの(?:国|県|都市|町|地域|地方|場所|州|島|大陸)|何(?:県|市|州|国(?!語))|\bwhere\b|\b(?:what|which) (?:country|city|town|state|region|province|county|continent|island|place|location|area|nation)\b|\bin what (?:country|city|state|region|place)\b/u],
  ['person', /誰|だれ|何者|どなた|どの人物|\bwho(?:m|se)?\b|\bwhat (?:person|man|woman|king|queen|president|artist|author|composer|scientist)\b|\bwhich (?:person|man|woman|king|queen|president|artist|author|composer|scientist)\b/u],
  ['number', /いくつ|いくら|何(?:人|名|個|%|％|パーセント|割|倍|回|度|歳|才|位|番|本|台|冊|曲|種|カ国|ヶ国|か国|ケ国|箇所|カ所|ヶ所|か所|件|社|校|店|話|巻|作品|点|票|キロ|メートル|センチ|トン|円|ドル|万|億|千|百|つ|年間|日間|時間|分|秒|階|部|作|匹|頭|羽|枚|語)|どの(?:くらい|ぐらい|程度)|どれ(?:くらい|ぐらい|だけ)|\bhow (?:many|much|long|old|far|big|large|tall|high|deep|wide|often|fast)\b|\bwhat (?:percentage|percent|proportion|fraction|number|amount|size|population)\b/u],
  ['name', /(?:何|なん|なに)(?:と|て)(?:いう|言う|いい|言い|呼ぶ|呼ば|呼び|称す|称さ)|別名|別称|別の(?:言い方|呼び方|名前|名称|表記)|別表記|異名|通称|略称|旧称|\bwhat (?:is|are|was|were) (?:the )?(?:term|name|word) for\b|\bcalled\?|\b(?:another|other|alternative) names?\b|\bknown as\?/u],
];

const MONTHS = 'january|february|march|april|may|june|july|august|september|october|november|december';
const ERAS = '明治|大正|昭和|平成|令和|慶応|元治|文久|安政|嘉永|天保|文政|文化|享和|寛政|天明|安永|明和|宝暦|享保|元禄';
const KANJI_DIGITS = '〇一二三四五六七八九十百千万億';
const JA_COUNTERS = '人名個つ回度倍歳才位番本台冊曲種カヶか国件社校店話巻作点票割%枚匹頭羽階年日分秒円ドル';

const CANDIDATES: Record<QuestionKind, RegExp> = {
  date: new RegExp(
    [
      `(?:紀元前|西暦)?\\d{1,4}年(?:代|頃)?(?:\\d{1,2}月)?(?:\\d{1,2}日)?`,
      `\\d{1,2}月\\d{1,2}日|\\d{1,2}月`,
      `(?:${ERAS})(?:元|\\d{1,2}|[${KANJI_DIGITS}]{1,3})年`,
      `\\d{1,2}世紀|[${KANJI_DIGITS}]{1,3}世紀`,
      `\\b(?:${MONTHS})(?: \\d{1,2})?(?:, \\d{3,4})?\\b`,
      `\\b\\d{1,2} (?:${MONTHS})(?: \\d{3,4})?\\b`,
      `\\b1\\d{3}s?\\b|\\b20\\d{2}s?\\b|\\b\\d{1,2}(?:st|nd|rd|th) century\\b|\\b\\d{3}s? (?:bc|ad|bce|ce)\\b`,
    ].join('|'),
    'gu',
  ),
  number: new RegExp(
    [
      // Not the number of a label: 第25条 is an article, not an amount.
      `(?<![第\\d])\\d[\\d,.]*(?![\\d条章節項号])(?:\\s?(?:%|percent|per cent|million|billion|thousand|hundred))?`,
      `[${KANJI_DIGITS}]+(?=[${JA_COUNTERS}])`,
      `\\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|dozen|half|a quarter)\\b`,
    ].join('|'),
    'gu',
  ),
  place: new RegExp(
    [
      `[\\p{Script=Han}\\p{Script=Katakana}ー]{1,12}(?:都|道|府|県|市|区|町|村|郡|州|国|島|駅|港|空港|山|川|湖|湾|半島|地方|大陸|海|王国|共和国|帝国)`,
      `\\b(?:in|at|from|near|to|into|across|throughout|outside|inside) (?:the )?[\\p{Lu}][\\p{L}'’-]+(?: [\\p{Lu}][\\p{L}'’-]+)*`,
    ].join('|'),
    'gu',
  ),
  person: new RegExp(
    [
      `[\\p{Script=Katakana}ー]+(?:・[\\p{Script=Katakana}ー]+)+`,
      `[\\p{Script=Han}\\p{Script=Katakana}ー]{1,8}(?:氏|さん|様|博士|教授|監督|選手|天皇|将軍|大臣|首相|社長|会長|皇帝|大統領|藩主|法皇|上皇|親王|王|公|卿|夫人)`,
      `\\b(?:mr|mrs|ms|dr|sir|king|queen|pope|saint|st|president|emperor|prince|princess|lord|lady|general)\\.? [\\p{Lu}][\\p{L}'’-]+`,
      `\\b[\\p{Lu}][\\p{L}'’-]+(?: (?:[\\p{Lu}]\\.|[\\p{Lu}][\\p{L}'’-]+|de|da|van|von|of))* [\\p{Lu}][\\p{L}'’-]+\\b`,
    ].join('|'),
    'gu',
  ),
  // What a text names: 「XともいうYと呼ばれる」, "this is called X", "also known as X".
  name: new RegExp(
    [
      `[^、。，,\\s]{1,30}?(?=(?:と|とも|とは|として|としても)(?:いう|言う|いい|言い|呼ぶ|呼ば|呼び|称す|称さ|名付け|表記|記さ|書か|知られ))`,
      `\\b(?:called|known as|named|termed|referred to as|nicknamed|dubbed)\\s+(?:the\\s+|an?\\s+)?["“'‘]?[\\p{L}\\p{N}][\\p{L}\\p{N}'’-]*(?:\\s[\\p{Lu}\\p{N}][\\p{L}\\p{N}'’-]*)*`,
    ].join('|'),
    'gu',
  ),
};

/**
 * The kind of answer `question` asks for, from its interrogative (いつ/何年 → date, 何人/いくつ/
 * 何% → number, どこ → place, だれ → person, 何という/別名 → name; when/how many/where/who/what is
 * X called), or null ("what is…?").
 * @example questionKind('東京オリンピックは何年に開催された？') // 'date'
 */
export function questionKind(question: string): QuestionKind | null {
  const key = question.normalize('NFKC').toLowerCase();
  for (const [kind, cue] of KIND_CUES) if (cue.test(key)) return kind;
  return null;
}

/**
 * Spans of `text` holding something of `kind`, in `text`'s own offsets. `text` must already be
 * in matching form (NFKC): the English patterns also match it lowercased, names need capitals,
 * so pass the original case and lowercase nothing here.
 */
export function kindSpans(kind: QuestionKind, text: string): TextSpan[] {
  const pattern = CANDIDATES[kind];
  const caseless = kind === 'person' || kind === 'place' || kind === 'name' ? pattern : new RegExp(pattern.source, 'giu');
  return Array.from(text.matchAll(caseless), (m) => ({ start: m.index, end: m.index + m[0].length })).filter((s) => s.end > s.start);
}
