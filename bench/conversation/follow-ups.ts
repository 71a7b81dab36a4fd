// The follow-up test data: a first question, then a question that only makes sense after it
// ("その会社のスローガンは？", "What is the name of his son?"), with the follow-up's accepted answers
// and its standalone form (the same question asked with everything named) for the fresh comparison.
// Written by hand from the shared eval sets' articles (see follow-ups-*.jsonl); loading checks that
// every accepted answer occurs verbatim in its article, so a typo fails the bench instead of a score.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EvalSet } from '../fulltext/eval-data.js';

export interface FollowUpPair {
  set: string;
  /** The article (file of the eval set) both questions are about. */
  file: string;
  first: string;
  /** Depends on `first`: a pronoun or demonstrative, or a bare ellipsis. */
  followUp: string;
  /** The follow-up with its references spelled out: asked fresh, it is the baseline. */
  standalone: string;
  answers: string[];
  form: 'pronoun' | 'ellipsis';
}

const FILES = ['follow-ups-ja.jsonl', 'follow-ups-en.jsonl'];

export function loadFollowUps(): FollowUpPair[] {
  return FILES.flatMap((name) =>
    readFileSync(fileURLToPath(new URL(name, import.meta.url)), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line, i) => {
        try {
          return JSON.parse(line) as FollowUpPair;
        } catch (error) {
          throw new Error(`${name}:${i + 1}: ${String(error)}`);
        }
      }),
  );
}

/** The pairs of one set, checked against its articles; throws listing every pair that is wrong. */
export function followUpsOf(set: EvalSet, pairs: FollowUpPair[] = loadFollowUps()): FollowUpPair[] {
  const texts = new Map(set.articles.map((a) => [a.file, a.text]));
  const mine = pairs.filter((p) => p.set === set.name);
  const problems = mine.flatMap((p) => {
    const text = texts.get(p.file);
    if (text === undefined) return [`${p.file}: no such article in ${set.name}`];
    const wrong: string[] = [];
    if (p.answers.length === 0) wrong.push('no accepted answer');
    for (const answer of p.answers) if (!text.includes(answer)) wrong.push(`answer ${JSON.stringify(answer)} is not in the article`);
    if (!['pronoun', 'ellipsis'].includes(p.form)) wrong.push(`form ${JSON.stringify(p.form)}`);
    if (!p.first || !p.followUp || !p.standalone || p.followUp === p.standalone) wrong.push('first, followUp and standalone must be given, followUp ≠ standalone');
    return wrong.map((w) => `${p.file} «${p.followUp}»: ${w}`);
  });
  if (problems.length) throw new Error(`follow-up test data for ${set.name} is wrong:\n  ${problems.join('\n  ')}`);
  return mine;
}
