// Plain constants, imported by the service and by retrieval.schemas.ts (which the dashboard bundles).
export const DEFAULT_TOP_K = 5;
export const MAX_TOP_K = 20;
/**
 * Chosen with bench/retrieval-quality.ts (figures in README.md): at 0.40 nearly all made-up
 * Japanese questions retrieve nothing while Japanese questions keep their answering passage
 * (hit@5 −1 point) and English ones mostly do (−6 points on SQuAD's paraphrased questions).
 */
export const DEFAULT_MIN_SCORE = 0.4;
