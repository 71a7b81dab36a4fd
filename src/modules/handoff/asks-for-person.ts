/**
 * Does the visitor ask to talk to a person rather than ask a question? Checked before retrieval
 * (docs: ./README.md): 「担当者と話したい」「人に繋いで」「オペレーターをお願いします」, "talk to a human",
 * "operator". A question *about* people (「経理の担当者は誰？」, "What does an operator do?") is not:
 * the Japanese needs a person word together with a verb of reaching them, the English a request
 * shape, and a bare word counts only when it is the whole message.
 */

/** Longer messages are questions that happen to mention a person. */
const MAX_CHARS = 80;

const PERSON_JA = '(?:担当者?|担当の(?:方|人)|人間|有人|オペレーター|オペレータ|スタッフ|係の(?:方|人)|係員|窓口|サポート(?:担当|の(?:方|人))?|(?<!\\p{Script=Han})人(?!気|数|口|工|生|物|材|事|類|件|権|員|々|たち))';
const REACH_JA = '(?:(?:と|に|で)(?:直接)?(?:話|はな|相談|つな|繋|代わ|かわ|替わ|変わ|連絡|問い合わせ|問合せ|対応)|を(?:呼|よ|お願い|出して)|(?:に|と)(?:お)?(?:つないで|繋いで|代わって|かわって))';

const japanese = [
  new RegExp(`${PERSON_JA}(?:さん|の方)?${REACH_JA}`, 'u'),
  // 「有人対応」「有人チャット」「オペレーター対応」
  /(?:有人|オペレーター)(?:対応|チャット|サポート)/,
  // 「オペレーター」「担当者お願いします」 alone
  /^(?:担当者?|オペレーター|有人|人間)(?:さん)?(?:を|に|で)?(?:お願い(?:します|したい(?:です)?)?|希望(?:です)?|呼んで(?:ください)?)?$/,
];

const PERSON_EN = '(?:a\\s+|an\\s+|the\\s+|some\\s+|your\\s+)?(?:real\\s+|live\\s+|actual\\s+)?(?:human(?:\\s+being)?|person|people|someone|somebody|agent|operator|representative|rep|staff(?:\\s+member)?|support\\s+(?:agent|staff|team)|customer\\s+service)';

const english = [
  new RegExp(`\\b(?:talk|speak|chat)\\s+(?:to|with)\\s+${PERSON_EN}\\b`),
  new RegExp(`\\b(?:connect|transfer|put)\\s+me\\s+(?:to|with|through\\s+to)\\s+${PERSON_EN}\\b`),
  new RegExp(`\\b(?:i\\s+(?:want|need|would\\s+like)|i'd\\s+like|can\\s+i\\s+(?:get|have)|get\\s+me|let\\s+me\\s+talk\\s+to)\\s+${PERSON_EN}\\b`),
  /\b(?:human|live)\s+(?:agent|support|operator|help)\b/,
  /^(?:an?\s+)?(?:human|operator|agent|representative|real\s+person|live\s+agent)(?:\s+please)?$/,
];

/** Lower-case, NFKC (full-width letters and digits), without closing punctuation or politeness. */
function normalised(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s]+/g, ' ')
    .replace(/[。．.!！?？、,…]+$/u, '')
    .trim();
}

export function asksForPerson(question: string): boolean {
  if (question.length > MAX_CHARS) return false;
  const text = normalised(question);
  const compact = text.replace(/\s+/g, '');
  return japanese.some((pattern) => pattern.test(compact)) || english.some((pattern) => pattern.test(text));
}
