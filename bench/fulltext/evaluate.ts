// Indexes one evaluation set in a fresh in-memory PGlite and scores every question.
import type { PGlite } from '@electric-sql/pglite';
import type { Chunk } from '../../src/lib/text/chunk.js';
import { queryTerms, segmentForIndex, type SearchTextOptions } from '../../src/lib/text/search-text.js';
import { answerKey, type EvalSet } from './eval-data.js';
import { rankChunks, SCHEMA, type RankerName } from './rankers.js';

export interface SetReport {
  set: string;
  chunks: number;
  /** Share of questions whose gold file is among the top 1/5/10 chunks. */
  docAt: [number, number, number];
  /** Share of questions with an answer string inside one of the top 1/5/10 chunks. */
  hitAt: [number, number, number];
  mrrDoc: number;
  mrrHit: number;
  zeroShare: number;
  medianMs: number;
}

interface DesignLike {
  search: SearchTextOptions;
  ranker: RankerName;
  operator: 'or' | 'and';
  /** Index each chunk together with its document's title (the article's first line). */
  indexTitle?: boolean;
}

const K = [1, 5, 10] as const;
const BATCH = 500;

interface Row {
  file: string;
  title: string;
  chunk: Chunk;
}

async function indexChunks(db: PGlite, rows: Row[], design: DesignLike): Promise<void> {
  const indexText = (r: Row) => (design.indexTitle ? `${r.title}\n${r.chunk.text}` : r.chunk.text);
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    await db.query(
      `INSERT INTO chunks (file, idx, text, tsv)
       SELECT f, i, t, to_tsvector('simple', s) FROM unnest($1::text[], $2::int[], $3::text[], $4::text[]) AS u(f, i, t, s)`,
      [batch.map((r) => r.file), batch.map((r) => r.chunk.index), batch.map((r) => r.chunk.text), batch.map((r) => segmentForIndex(indexText(r), design.search))],
    );
  }
  await db.query('ANALYZE chunks');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export async function evaluateSet(db: PGlite, set: EvalSet, design: DesignLike, chunker: (text: string) => Chunk[]): Promise<SetReport> {
  await db.exec(`DROP TABLE IF EXISTS chunks; ${SCHEMA}`);
  const rows = set.articles.flatMap((a) => {
    const title = a.text.split('\n', 1)[0] ?? '';
    return chunker(a.text).map((chunk) => ({ file: a.file, title, chunk }));
  });
  await indexChunks(db, rows, design);
  const byId = new Map(rows.map((r, i) => [i + 1, { file: r.file, key: answerKey(r.chunk.text) }]));

  const docAt = [0, 0, 0];
  const hitAt = [0, 0, 0];
  let mrrDoc = 0;
  let mrrHit = 0;
  let zero = 0;
  const times: number[] = [];
  for (const q of set.questions) {
    const terms = queryTerms(q.question, design.search);
    const singles = terms.filter((t) => !t.term.includes(' '));
    const tsquery = singles.map((t) => t.tsquery).join(design.operator === 'and' ? ' & ' : ' | ');
    const started = performance.now();
    const ids = singles.length === 0 ? [] : await rankChunks(db, design.ranker, tsquery, terms, 10);
    times.push(performance.now() - started);
    if (ids.length === 0) zero += 1;
    const top = ids.map((id) => byId.get(id));
    const answers = q.answers.map(answerKey);
    const docRank = top.findIndex((c) => c?.file === q.file) + 1;
    const hitRank = top.findIndex((c) => answers.some((a) => c?.key.includes(a))) + 1;
    K.forEach((k, i) => {
      if (docRank > 0 && docRank <= k) docAt[i] = (docAt[i] ?? 0) + 1;
      if (hitRank > 0 && hitRank <= k) hitAt[i] = (hitAt[i] ?? 0) + 1;
    });
    if (docRank > 0) mrrDoc += 1 / docRank;
    if (hitRank > 0) mrrHit += 1 / hitRank;
  }
  const n = set.questions.length;
  const share = (xs: number[]) => xs.map((x) => x / n) as [number, number, number];
  return {
    set: set.name,
    chunks: rows.length,
    docAt: share(docAt),
    hitAt: share(hitAt),
    mrrDoc: mrrDoc / n,
    mrrHit: mrrHit / n,
    zeroShare: zero / n,
    medianMs: median(times),
  };
}
