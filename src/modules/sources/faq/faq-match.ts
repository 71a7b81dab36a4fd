// How close a question is to an FAQ entry's question, from 0 to 1. Measured with
// bench/faq-match.ts (`npm run bench:faq`); the threshold and its error rates are in README.md.
import { normalizeText } from '../../../lib/text/normalize.js';
import { CJK_LETTER_CLASS } from '../../../lib/text/scripts.js';
import { queryTerms } from '../../../lib/text/search-text.js';

/**
 * Words that frame a question without naming its topic: "how do I", 「方法」「教えて」. Two questions
 * differing only in them ask the same thing (有給休暇の申請方法 / 有給休暇はどうやって申請しますか).
 * Written as the search segmentation cuts them (ICU words, English Porter stems).
 */
const FRAME_WORDS = new Set([
  ...'方法 やり方 仕方 手順 教え 教えて 知り 知りたい たい です ください 下さい 願い お願い いい よい 良い 可能 やっ やって どうやって どうすれ すれ すれば 場合 について 件 ほしい 欲しい 思い ござい す れば しま いたし かかり かかる もらえ もらう'.split(' '),
  ...'pleas tell know want need way like help get can doe ani possibl let'.split(' '),
]);

/** A lone hiragana is a fragment of a verb ending or particle as ICU cuts it (どう|す|れ|ば), never a topic. */
const LONE_HIRAGANA = /^\p{Script=Hiragana}$/u;
const CJK_RUN = new RegExp(`^[${CJK_LETTER_CLASS}]+$`, 'u');

/** A question as the matcher compares it: its topic words and the character bigrams of their CJK runs. */
export interface MatchForm {
  words: ReadonlySet<string>;
  grams: ReadonlySet<string>;
  asks: ReadonlySet<string>;
}

/** Katakana → hiragana, so 「ログイン」 and 「ろぐいん」, or 「お問い合わせ」 and 「お問合せ」's kana, still meet in bigrams. */
const foldKana = (text: string) => text.replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60));

/**
 * The matching form of a question: NFKC and the search segmentation (src/lib/text: stopwords out,
 * English stemmed), minus FRAME_WORDS; bigrams are taken across consecutive CJK words with kana folded,
 * so differing word cuts (有給|休暇 / 有給休暇) and kana spellings still overlap.
 */
export function matchForm(question: string): MatchForm {
  const words = queryTerms(normalizeText(question))
    .filter((t) => t.kind === 'word' && !FRAME_WORDS.has(t.term) && !LONE_HIRAGANA.test(t.term))
    .map((t) => t.term);
  const grams = new Set<string>();
  let run = '';
  const endRun = () => {
    const chars = [...foldKana(run)];
    if (chars.length === 1) grams.add(chars[0]!);
    for (let i = 1; i < chars.length; i += 1) grams.add(chars[i - 1]! + chars[i]!);
    run = '';
  };
  for (const word of words) {
    if (CJK_RUN.test(word)) run += word;
    else {
      endRun();
      grams.add(word);
    }
  }
  endRun();
  return { words: new Set(words), grams, asks: asksFor(question) };
}

/**
 * What a question asks for, where it says so: two questions on one topic asking for different
 * things (「駐車場の料金はいくら」/「駐車場はありますか」 is no pair, but "when" against "how much" is)
 * are different questions even when their topic words are the same.
 */
const ASKS: Array<[string, RegExp]> = [
  ['when', /いつ|何時|何月|何曜|\bwhen\b|\bwhat time\b|\bwhat day\b|締め切り|期限/iu],
  ['where', /どこ|\bwhere\b/iu],
  ['price', /いくら|料金|費用|値段|\bhow much\b|\bcost\b|\bprice\b|\bfee\b/iu],
  ['count', /何日|何人|何回|何個|何件|いくつ|\bhow many\b|\bhow long\b/iu],
  ['who', /誰|だれ|\bwho\b/iu],
  ['why', /なぜ|何故|どうして|\bwhy\b/iu],
  ['how', /どうやって|どうすれ|どうしたら|方法|手順|やり方|仕方|\bhow (?:do|can|to|should)\b/iu],
];

/** The kinds of answer a question asks for (ASKS); empty when it does not say. */
export function asksFor(question: string): ReadonlySet<string> {
  const text = normalizeText(question);
  return new Set(ASKS.filter(([, pattern]) => pattern.test(text)).map(([kind]) => kind));
}

/** Dice coefficient of two sets: 1 for the same set, 0 for nothing shared. */
function dice(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared += 1;
  return (2 * shared) / (a.size + b.size);
}

/** Both say what they ask for, and nothing in common. */
const asksDiffer = (a: ReadonlySet<string>, b: ReadonlySet<string>) => a.size > 0 && b.size > 0 && ![...a].some((kind) => b.has(kind));
/** Two questions asking for different things keep this share of their overlap: below any threshold, still a passage. */
const ASKS_DIFFER_FACTOR = 0.6;

/** How much the word overlap counts against the bigram overlap (chosen with the bench's tuning half). */
export const WORD_WEIGHT = 0.5;

/** Similarity of two questions in matching form, 0–1: words and CJK bigrams, each by Dice, averaged. */
export function similarity(a: MatchForm, b: MatchForm, wordWeight = WORD_WEIGHT): number {
  if (a.words.size === 0 || b.words.size === 0) return 0;
  const overlap = wordWeight * dice(a.words, b.words) + (1 - wordWeight) * dice(a.grams, b.grams);
  return asksDiffer(a.asks, b.asks) ? overlap * ASKS_DIFFER_FACTOR : overlap;
}

/**
 * At or above this, a question IS the entry's question and gets its answer verbatim (chosen with
 * bench/faq-match.ts on the tuning half; README.md gives precision, recall and false matches on the held-out half).
 */
export const ANSWER_THRESHOLD = 0.9;
/** At or above this, an entry is offered as a passage beside the documents' (search and the chat's sources). */
export const PASSAGE_THRESHOLD = 0.35;
