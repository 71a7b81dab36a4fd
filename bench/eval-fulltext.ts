// Retrieval evaluation of the lexical (full-text) search on shared/eval, in real PostgreSQL
// (PGlite, in memory). Prints recall/hit@k, MRR, zero-result share and median query time.
//
//   npx tsx bench/eval-fulltext.ts                 # the module's defaults
//   npx tsx bench/eval-fulltext.ts --matrix        # every design compared in src/lib/text/README.md
//   npx tsx bench/eval-fulltext.ts --rank cd --no-bigrams --and --chunk-size 300 --sets ja,en
//
// SHIORI_SHARED points at the shared folder (default ../shared, from the repository root).
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { chunkDocument, defaultChunking, type ChunkingOptions } from '../src/lib/text/chunk.js';
import { defaultSearchText, type SearchTextOptions } from '../src/lib/text/search-text.js';
import { loadEvalSet } from './fulltext/eval-data.js';
import { evaluateSet, type SetReport } from './fulltext/evaluate.js';
import type { RankerName } from './fulltext/rankers.js';

export interface Design {
  label: string;
  search: SearchTextOptions;
  chunking: ChunkingOptions;
  ranker: RankerName;
  operator: 'or' | 'and';
}

const base: Design = { label: 'default', search: defaultSearchText, chunking: defaultChunking, ranker: 'bm25', operator: 'or' };

function variant(label: string, change: Partial<Omit<Design, 'label'>> & { bigrams?: boolean; stopwords?: boolean; size?: number }): Design {
  const search = { cjkBigrams: change.bigrams ?? base.search.cjkBigrams, dropStopwords: change.stopwords ?? base.search.dropStopwords };
  const chunking = change.size ? { chunkSize: change.size, chunkOverlap: Math.round(change.size * 0.15) } : base.chunking;
  return { ...base, ranker: change.ranker ?? base.ranker, operator: change.operator ?? base.operator, label, search, chunking };
}

const MATRIX: Design[] = [
  variant('words  | ts_rank_cd | AND', { bigrams: false, ranker: 'cd', operator: 'and' }),
  variant('words  | ts_rank_cd | OR', { bigrams: false, ranker: 'cd' }),
  variant('words  | ts_rank    | OR', { bigrams: false, ranker: 'rank' }),
  variant('words  | bm25       | OR', { bigrams: false }),
  variant('+bigr  | ts_rank_cd | OR', { ranker: 'cd' }),
  variant('+bigr  | bm25       | OR', {}),
  variant('+bigr  | bm25 | no stopwords', { stopwords: false }),
  variant('+bigr  | bm25 | size 200', { size: 200 }),
  variant('+bigr  | bm25 | size 300', { size: 300 }),
  variant('+bigr  | bm25 | size 600', { size: 600 }),
];

function designFromArgs(): Design[] {
  const { values } = parseArgs({
    options: {
      matrix: { type: 'boolean' },
      rank: { type: 'string' },
      'no-bigrams': { type: 'boolean' },
      'no-stopwords': { type: 'boolean' },
      and: { type: 'boolean' },
      'chunk-size': { type: 'string' },
      sets: { type: 'string' },
    },
  });
  if (values.matrix) return MATRIX;
  const size = values['chunk-size'] ? Number(values['chunk-size']) : undefined;
  return [
    variant('cli', {
      ranker: (values.rank as RankerName | undefined) ?? base.ranker,
      bigrams: !values['no-bigrams'],
      stopwords: !values['no-stopwords'],
      operator: values.and ? 'and' : 'or',
      ...(size ? { size } : {}),
    }),
  ];
}

function formatRow(design: Design, r: SetReport): string {
  const pct = (x: number) => (x * 100).toFixed(1).padStart(5);
  return [
    design.label.padEnd(30),
    r.set.padEnd(10),
    `${String(r.chunks).padStart(5)} ch`,
    `doc@1/5/10 ${pct(r.docAt[0])} ${pct(r.docAt[1])} ${pct(r.docAt[2])}`,
    `hit@1/5/10 ${pct(r.hitAt[0])} ${pct(r.hitAt[1])} ${pct(r.hitAt[2])}`,
    `MRR doc ${r.mrrDoc.toFixed(3)} hit ${r.mrrHit.toFixed(3)}`,
    `zero ${pct(r.zeroShare)}%`,
    `median ${r.medianMs.toFixed(1)} ms`,
  ].join(' | ');
}

const shared = process.env.SHIORI_SHARED ?? '../shared';
const setNames = (parseArgs({ options: { sets: { type: 'string' } }, strict: false }).values.sets as string | undefined)?.split(',') ?? [
  'ja',
  'ja-jaquad',
  'en',
];
const sets = setNames.map((name) => loadEvalSet(shared, name));
// One PGlite for the whole run: starting one takes seconds; each set gets a fresh table.
const db = new PGlite();
for (const design of designFromArgs()) {
  for (const set of sets) {
    const chunker = (text: string) => chunkDocument([{ page: 1, text }], design.chunking);
    console.log(formatRow(design, await evaluateSet(db, set, design, chunker)));
  }
}
await db.close();
