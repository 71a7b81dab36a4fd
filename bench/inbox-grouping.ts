// Where the inbox's grouping threshold (src/modules/inbox/inbox-grouping.ts) sits: over the
// hand-written pairs of bench/faq/pairs.ts (the same question in other words / a related but
// different question, ja and en), the share of each grouped at each similarity. Prints, never asserts.
//   npx tsx bench/inbox-grouping.ts
import { GROUP_THRESHOLD } from '../src/modules/inbox/inbox-grouping.js';
import { matchForm, similarity } from '../src/modules/sources/faq/faq-match.js';
import { englishDifferent, englishSame, japaneseDifferent, japaneseSame, type Pair } from './faq/pairs.js';

const scores = (pairs: Pair[]) => pairs.map((p) => similarity(matchForm(p.a), matchForm(p.b)));
const sets = { 'ja same': scores(japaneseSame), 'ja different': scores(japaneseDifferent), 'en same': scores(englishSame), 'en different': scores(englishDifferent) };
const pct = (xs: number[], cut: number) => `${((xs.filter((x) => x >= cut).length / xs.length) * 100).toFixed(0).padStart(4)}%`;

console.log(`pairs: ${Object.entries(sets).map(([name, xs]) => `${name} ${xs.length}`).join(', ')}; grouped at or above (current ${GROUP_THRESHOLD}):`);
console.log(`cut  | ${Object.keys(sets).join(' | ')}`);
for (const cut of [0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7]) console.log(`${cut.toFixed(2)} | ${Object.values(sets).map((xs) => pct(xs, cut).padStart(8)).join(' | ')}`);
