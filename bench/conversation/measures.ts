// What one asked question scores, and the rows of the conversation bench's tables.
import type { ChatResponse } from '../../src/modules/chat/chat.schemas.js';
import { answerKey } from '../fulltext/eval-data.js';
import { percentile } from '../lib/stats.js';

/** A question with what counts as answering it: the article it is about and its accepted answers. */
export interface Expected {
  file: string;
  answers: string[];
}

export interface Score {
  /** The answer text contains an accepted answer (NFKC, whitespace removed, case folded: `answerKey`). */
  answered: boolean;
  /** sources[0] is a passage of the question's article. */
  firstSourceRight: boolean;
  /** 1-based rank of the first source containing an accepted answer; 0 when none does. */
  hitRank: number;
  ms: number;
  /** Rewrite calls the provider saw for this question (fake-llm mode; 0 otherwise). */
  rewrites: number;
}

export function score(expected: Expected, response: ChatResponse, ms: number, rewrites = 0): Score {
  const answers = expected.answers.map(answerKey);
  const contains = (text: string) => {
    const key = answerKey(text);
    return answers.some((a) => key.includes(a));
  };
  return {
    answered: contains(response.answer),
    firstSourceRight: response.sources[0]?.file_name === expected.file,
    hitRank: response.sources.findIndex((s) => contains(s.chunk_text)) + 1,
    ms,
    rewrites,
  };
}

export interface Summary {
  n: number;
  answered: number;
  firstSource: number;
  hitAt: [number, number, number];
  p50ms: number;
  rewrites: number;
}

export function summarise(scores: Score[]): Summary {
  const share = (test: (s: Score) => boolean) => (scores.length ? scores.filter(test).length / scores.length : NaN);
  return {
    n: scores.length,
    answered: share((s) => s.answered),
    firstSource: share((s) => s.firstSourceRight),
    hitAt: [1, 5, 10].map((k) => share((s) => s.hitRank > 0 && s.hitRank <= k)) as Summary['hitAt'],
    p50ms: percentile(scores.map((s) => s.ms), 50),
    rewrites: scores.reduce((n, s) => n + s.rewrites, 0),
  };
}

const pct = (x: number) => (Number.isNaN(x) ? '—' : `${(x * 100).toFixed(1)}%`).padStart(7);

export const TABLE_HEADER = `${'questions'.padEnd(34)}${'n'.padStart(5)}  ${'answer'.padStart(7)} ${'1st src'.padStart(7)} ${'hit@1'.padStart(7)} ${'hit@5'.padStart(7)} ${'hit@10'.padStart(7)}  ${'p50 ms'.padStart(7)}  rewrites`;

/** `articleOnly`: the questions have no accepted answers of their own, only the article counts. */
export function tableRow(label: string, s: Summary, articleOnly = false): string {
  const answerCells = articleOnly ? [NaN, s.firstSource, NaN, NaN, NaN] : [s.answered, s.firstSource, ...s.hitAt];
  return `${label.padEnd(34)}${String(s.n).padStart(5)}  ${answerCells.map(pct).join(' ')}  ${s.p50ms.toFixed(0).padStart(7)}  ${String(s.rewrites).padStart(8)}`;
}

/** "−0.7 pt" : how far a conversation's share is from the fresh one, in percentage points. */
export const points = (a: number, b: number) => `${(a - b) * 100 >= 0 ? '+' : '−'}${Math.abs((a - b) * 100).toFixed(1)} pt`;

/** "0.93" : a follow-up's share over its standalone form's (1 when both are 0). */
export const ratio = (a: number, b: number) => (b === 0 ? (a === 0 ? 1 : Infinity) : a / b);
