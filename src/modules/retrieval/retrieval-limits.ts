// Plain constants, imported by the service and by retrieval.schemas.ts (which the dashboard bundles).
export const DEFAULT_TOP_K = 5;
export const MAX_TOP_K = 20;
/**
 * What the best passage must reach when the caller gives no min_score (score-cut.ts), chosen with
 * bench/retrieval-quality.ts (figures in README.md): nearly all made-up Japanese questions
 * retrieve nothing while Japanese questions keep their answering passage (hit@5 −0.3 point) and
 * English ones mostly do (−5 points on SQuAD's paraphrased questions).
 */
export const DEFAULT_MIN_SCORE = 0.4;
