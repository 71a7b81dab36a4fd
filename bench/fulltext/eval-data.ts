// Loads an evaluation set from shared/eval (see shared/eval/README.md for the format).
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface EvalQuestion {
  id: string;
  question: string;
  answers: string[];
  file: string;
  paragraph: number;
}

export interface EvalSet {
  name: string;
  articles: { file: string; text: string }[];
  questions: EvalQuestion[];
}

export function loadEvalSet(sharedDir: string, name: string): EvalSet {
  const dir = join(sharedDir, 'eval', name);
  const articles = readdirSync(dir)
    .filter((file) => file.endsWith('.txt'))
    .sort()
    .map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8') }));
  const questions = readFileSync(join(dir, 'questions.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as EvalQuestion);
  return { name, articles, questions };
}

/** The README's chunk-level test: compare after NFKC, without whitespace. */
export function answerKey(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
}
