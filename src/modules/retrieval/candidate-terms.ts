// Which of a question's terms decide the chunks a search reads (MaxScore's "essential" terms).
// BM25 gives a term weight × IDF, and IDF falls as the term gets common: a chunk holding only the
// common words of a question ("規定", "company") can never outscore one holding its rare words by
// much, so reading every chunk that holds a common word is what made a search grow with the tenant
// (1.2 s at 100,000 chunks). The rarest terms are taken until their postings reach a budget; every
// chunk read is then scored on all the terms, exactly. What can be lost is a chunk holding only
// common terms of the question, which bench/search.ts and bench/retrieval-quality.ts measure against reading them all.

/** Postings (in the searched scope) one search reads: about 500 chunks is 5–10 ms on PGlite (bench/search.ts). */
export const CANDIDATE_BUDGET = 500;
/** When even the rarest term is over budget: chunks holding two of this many rarest terms. */
const PAIRED_TERMS = 4;

export interface TermFrequency {
  /** The term as a to_tsquery('simple', …) string. */
  tsquery: string;
  /** Chunks of the tenant holding it. */
  df: number;
}

export interface CandidateQuery {
  /** The terms ORed, to_tsquery syntax. */
  query: string;
  /** The terms (tsquery strings) every chunk of which is read: what a count among the candidates is exact for. */
  whole: Set<string>;
}

/**
 * The OR of the rarest `terms` whose postings, scaled to the scope's share of the tenant, stay
 * within `budget`. When the rarest alone is over it (a question of common words only), chunks
 * holding any two of the rarest few: they hold more of the question than chunks with one common
 * word, and are far fewer. Null when no term is found at all.
 * @example candidateTerms([{ tsquery: "'a'", df: 10 }, { tsquery: "'b'", df: 5_000 }, { tsquery: "'c'", df: 0 }], 1, 2_000)?.query // "'a'"
 */
export function candidateTerms(terms: readonly TermFrequency[], scopeShare: number, budget = CANDIDATE_BUDGET): CandidateQuery | null {
  const present = terms.filter((t) => t.df > 0).sort((a, b) => a.df - b.df);
  if (present.length === 0) return null;
  const chosen: string[] = [];
  let postings = 0;
  for (const term of present) {
    postings += term.df * scopeShare;
    if (postings > budget) break;
    chosen.push(term.tsquery);
  }
  const rarest = present.slice(0, PAIRED_TERMS).map((t) => t.tsquery);
  if (chosen.length === 0 && rarest.length > 1) {
    return { query: rarest.flatMap((a, i) => rarest.slice(i + 1).map((b) => `(${a} & ${b})`)).join(' | '), whole: new Set() };
  }
  const read = chosen.length > 0 ? chosen : rarest;
  return { query: read.join(' | '), whole: new Set(read) };
}
