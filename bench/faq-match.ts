// How well src/modules/sources/faq/faq-match.ts tells "the same question" from "a related but different
// one", and where its answer threshold should sit. Prints, never asserts: `npm run bench:faq`.
//
// Pairs: hand-written ones (bench/faq/pairs.ts) plus, from shared/eval, questions about the same
// paragraph: the same accepted answer = same question (JSQuAD's near-duplicates), different answers =
// related but different. Each group is split alternately into a tuning half and a held-out half; the
// threshold is chosen on the tuning half only (the highest recall with false matches ≤ 2 %), then
// measured on the held-out half.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ANSWER_THRESHOLD, matchForm, similarity, WORD_WEIGHT } from '../src/modules/sources/faq/faq-match.js';
import { englishDifferent, englishSame, japaneseDifferent, japaneseSame, type Pair } from './faq/pairs.js';

interface Labelled extends Pair {
  same: boolean;
  group: string;
}

const shared = process.env.SHIORI_SHARED ?? '/work/shared';

function evalPairs(dir: string): { same: Pair[]; different: Pair[] } {
  const rows = readFileSync(join(shared, 'eval', dir, 'questions.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { question: string; answers: string[]; file: string; paragraph: number });
  const byParagraph = new Map<string, typeof rows>();
  for (const row of rows) byParagraph.set(`${row.file}#${row.paragraph}`, [...(byParagraph.get(`${row.file}#${row.paragraph}`) ?? []), row]);
  const same: Pair[] = [];
  const different: Pair[] = [];
  for (const group of byParagraph.values()) {
    for (let i = 0; i < group.length; i += 1) {
      for (let j = i + 1; j < group.length; j += 1) {
        const [x, y] = [group[i]!, group[j]!];
        (x.answers.some((answer) => y.answers.includes(answer)) ? same : different).push({ a: x.question, b: y.question });
      }
    }
  }
  return { same, different };
}

const jsquad = evalPairs('ja');
const groups: Array<[string, Pair[], boolean]> = [
  ['ja hand-written', japaneseSame, true],
  ['ja hand-written', japaneseDifferent, false],
  ['en hand-written', englishSame, true],
  ['en hand-written', englishDifferent, false],
  ['JSQuAD same paragraph', jsquad.same, true],
  ['JSQuAD same paragraph', jsquad.different, false],
  ['JaQuAD same paragraph', evalPairs('ja-jaquad').different, false],
  ['SQuAD same paragraph', evalPairs('en').different, false],
];
const tune: Labelled[] = [];
const heldOut: Labelled[] = [];
for (const [group, pairs, same] of groups) pairs.forEach((pair, i) => (i % 2 === 0 ? tune : heldOut).push({ ...pair, same, group }));

interface Rates {
  precision: number;
  recall: number;
  falseMatch: number;
  tp: number;
  fp: number;
  positives: number;
  negatives: number;
}

function rates(pairs: Labelled[], scores: number[], threshold: number): Rates {
  let tp = 0;
  let fp = 0;
  const positives = pairs.filter((p) => p.same).length;
  pairs.forEach((pair, i) => {
    if (scores[i]! < threshold) return;
    if (pair.same) tp += 1;
    else fp += 1;
  });
  return { precision: tp + fp ? tp / (tp + fp) : 1, recall: tp / positives, falseMatch: fp / (pairs.length - positives), tp, fp, positives, negatives: pairs.length - positives };
}

const scoresOf = (pairs: Labelled[], wordWeight: number) => pairs.map((p) => similarity(matchForm(p.a), matchForm(p.b), wordWeight));
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const THRESHOLDS = Array.from({ length: 10 }, (_, i) => 0.5 + i * 0.05).map((x) => Math.round(x * 1000) / 1000);
const MAX_FALSE_MATCH = 0.02;

console.log(`pairs: tuning ${tune.length} (${tune.filter((p) => p.same).length} same), held-out ${heldOut.length} (${heldOut.filter((p) => p.same).length} same)`);
for (const wordWeight of [0, 0.5, 1]) {
  const scores = scoresOf(tune, wordWeight);
  const chosen = THRESHOLDS.map((threshold) => ({ threshold, ...rates(tune, scores, threshold) })).filter((r) => r.falseMatch <= MAX_FALSE_MATCH).sort((x, y) => y.recall - x.recall)[0];
  console.log(`\nword weight ${wordWeight}${wordWeight === WORD_WEIGHT ? ' (in use)' : ''}: tuning half, chosen threshold ${chosen?.threshold} → recall ${pct(chosen?.recall ?? 0)}, false matches ${pct(chosen?.falseMatch ?? 0)}`);
  console.log('threshold | tuning P / R / false | held-out P / R / false');
  const held = scoresOf(heldOut, wordWeight);
  for (const threshold of THRESHOLDS) {
    const [a, b] = [rates(tune, scores, threshold), rates(heldOut, held, threshold)];
    console.log(`${threshold.toFixed(3)} | ${pct(a.precision)} / ${pct(a.recall)} / ${pct(a.falseMatch)} | ${pct(b.precision)} / ${pct(b.recall)} / ${pct(b.falseMatch)}`);
  }
}

const held = scoresOf(heldOut, WORD_WEIGHT);
const final = rates(heldOut, held, ANSWER_THRESHOLD);
console.log(`\nIN USE: word weight ${WORD_WEIGHT}, threshold ${ANSWER_THRESHOLD}; held-out half: precision ${pct(final.precision)} (${final.tp}/${final.tp + final.fp}), recall ${pct(final.recall)} (${final.tp}/${final.positives}), false-match rate ${pct(final.falseMatch)} (${final.fp}/${final.negatives})`);
for (const group of new Set(heldOut.map((p) => p.group))) {
  const idx = heldOut.map((p, i) => [p, i] as const).filter(([p]) => p.group === group);
  const r = rates(idx.map(([p]) => p), idx.map(([, i]) => held[i]!), ANSWER_THRESHOLD);
  console.log(`  ${group}: recall ${r.positives ? pct(r.recall) : '—'} (${r.tp}/${r.positives}), false matches ${pct(r.falseMatch)} (${r.fp}/${r.negatives})`);
}
if (process.argv.includes('--errors')) {
  heldOut.forEach((p, i) => {
    const wrong = p.same ? held[i]! < ANSWER_THRESHOLD : held[i]! >= ANSWER_THRESHOLD;
    if (wrong) console.log(`${p.same ? 'missed' : 'FALSE '} ${held[i]!.toFixed(3)} ${p.a} | ${p.b}`);
  });
}
