// Compares estimateTokens with real BPE tokenizers on the eval corpora.
// Run: npx tsx bench/calibrate-tokens.ts   (gpt-tokenizer is a devDependency, bench only)
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { encode as encodeO200k } from 'gpt-tokenizer/encoding/o200k_base';
import { encode as encodeCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { estimateTokens } from '../src/lib/text/tokens.js';
import { normalizeText } from '../src/lib/text/normalize.js';

const shared = process.env.SHIORI_SHARED ?? '../shared';
for (const set of ['ja', 'ja-jaquad', 'en']) {
  const dir = join(shared, 'eval', set);
  const totals = { chars: 0, estimate: 0, cl100k: 0, o200k: 0 };
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt'))) {
    for (const paragraph of normalizeText(readFileSync(join(dir, file), 'utf8')).split('\n\n')) {
      totals.chars += paragraph.length;
      totals.estimate += estimateTokens(paragraph);
      totals.cl100k += encodeCl100k(paragraph).length;
      totals.o200k += encodeO200k(paragraph).length;
    }
  }
  const pct = (a: number, b: number) => `${(((a - b) / b) * 100).toFixed(1)} %`;
  console.log(
    `${set.padEnd(10)} chars ${totals.chars}  estimate ${totals.estimate}  cl100k ${totals.cl100k} (est ${pct(totals.estimate, totals.cl100k)})  o200k ${totals.o200k} (est ${pct(totals.estimate, totals.o200k)})  chars/token ${(totals.chars / totals.estimate).toFixed(2)}`,
  );
}
