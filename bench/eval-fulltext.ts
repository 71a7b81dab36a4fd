// Retrieval evaluation of the lexical (full-text) search on shared/eval, in real PostgreSQL
// (PGlite, in memory). Prints recall/hit@k, MRR, zero-result share and median query time.
//
//   npx tsx bench/eval-fulltext.ts                 # the module's defaults
//   npx tsx bench/eval-fulltext.ts --matrix        # every design compared in src/lib/text/README.md
//   npx tsx bench/eval-fulltext.ts --matrix --only H,I   # some of them, by letter
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
  indexTitle?: boolean;
}

const base: Design = { label: 'default', search: defaultSearchText, chunking: defaultChunking, ranker: 'bm25', operator: 'or' };

type Change = Partial<Omit<Design, 'label'>> & {
  bigrams?: boolean;
  bigramWeight?: number;
  phraseWeight?: number;
  stopwords?: boolean;
  stem?: boolean;
  size?: number;
};

function variant(label: string, change: Change): Design {
  const search = {
    cjkBigrams: change.bigrams ?? base.search.cjkBigrams,
    bigramWeight: change.bigramWeight ?? base.search.bigramWeight,
    phraseWeight: change.phraseWeight ?? base.search.phraseWeight,
    dropStopwords: change.stopwords ?? base.search.dropStopwords,
    stemEnglish: change.stem ?? base.search.stemEnglish,
  };
  const chunking = change.size ? { chunkSize: change.size, chunkOverlap: Math.round(change.size * 0.15) } : base.chunking;
  return { ...base, ranker: change.ranker ?? base.ranker, operator: change.operator ?? base.operator, indexTitle: change.indexTitle ?? false, label, search, chunking };
}

// Earlier designs are measured as they were tried: without stemming, bigrams at full weight.
const early = { stem: false, bigramWeight: 1, phraseWeight: 0 };
const MATRIX: Design[] = [
  variant('A words       | ts_rank_cd | AND', { ...early, bigrams: false, ranker: 'cd', operator: 'and' }),
  variant('B words       | ts_rank_cd', { ...early, bigrams: false, ranker: 'cd' }),
  variant('C words       | ts_rank', { ...early, bigrams: false, ranker: 'rank' }),
  variant('D words       | bm25', { ...early, bigrams: false }),
  variant('E +bigrams    | ts_rank_cd', { ...early, ranker: 'cd' }),
  variant('F +bigrams    | bm25', { ...early }),
  variant('G +bigrams    | bm25 | keep stopw', { ...early, stopwords: false }),
  variant('H words+stem  | bm25', { bigrams: false, phraseWeight: 0 }),
  variant('I +bigr 0.3+stem | bm25', { phraseWeight: 0 }),
  variant('J +bigr 0.1+stem | bm25', { bigramWeight: 0.1, phraseWeight: 0 }),
  variant('K +bigr 0.5+stem | bm25', { bigramWeight: 0.5, phraseWeight: 0 }),
  variant('L I, size 300', { size: 300, phraseWeight: 0 }),
  variant('M I, size 500', { size: 500, phraseWeight: 0 }),
  variant('N I, size 600', { size: 600, phraseWeight: 0 }),
  variant('O I + title indexed', { indexTitle: true, phraseWeight: 0 }),
  variant('P I + phrases 0.5 (default)', {}),
  variant('Q I + phrases 1.0', { phraseWeight: 1 }),
  variant('R I + phrases 0.25', { phraseWeight: 0.25 }),
  variant('S default + title indexed', { indexTitle: true }),
];

function designFromArgs(): Design[] {
  const { values } = parseArgs({
    options: {
      matrix: { type: 'boolean' },
      rank: { type: 'string' },
      'no-bigrams': { type: 'boolean' },
      'no-stopwords': { type: 'boolean' },
      'no-stem': { type: 'boolean' },
      and: { type: 'boolean' },
      'chunk-size': { type: 'string' },
      sets: { type: 'string' },
      only: { type: 'string' },
    },
  });
  if (values.matrix) return MATRIX.filter((d) => !values.only || values.only.split(',').some((tag) => d.label.startsWith(`${tag} `)));
  const size = values['chunk-size'] ? Number(values['chunk-size']) : undefined;
  return [
    variant('cli', {
      ranker: (values.rank as RankerName | undefined) ?? base.ranker,
      bigrams: !values['no-bigrams'],
      stopwords: !values['no-stopwords'],
      stem: !values['no-stem'],
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
