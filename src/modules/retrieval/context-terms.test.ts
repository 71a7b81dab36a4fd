import assert from 'node:assert/strict';
import { test } from 'node:test';
import { queryTerms } from '../../lib/text/search-text.js';
import { CONTEXT_SHARE, withContextTerms } from './context-terms.js';

const mass = (terms: Array<{ weight: number }>) => terms.reduce((sum, t) => sum + t.weight, 0);

test('context terms follow the question’s, together weighing at most CONTEXT_SHARE of it', () => {
  const question = queryTerms('料金は？');
  const combined = withContextTerms(question, queryTerms('エンタープライズプランの特徴を教えてください'));
  assert.deepEqual(combined.slice(0, question.length), question, 'the question’s own terms first, unchanged');
  const added = combined.slice(question.length);
  assert.ok(added.length > 0);
  assert.ok(mass(added) <= CONTEXT_SHARE * mass(question) + 1e-9, `${mass(added)} vs ${mass(question)}`);
  assert.ok(added.every((t) => t.weight <= 0.5));
});

test('a term the question already has is not added again', () => {
  const combined = withContextTerms(queryTerms('料金は？'), queryTerms('料金プラン'));
  assert.equal(combined.filter((t) => t.term === '料金').length, 1);
});

test('a question with no terms of its own is searched by its context’s words at full weight', () => {
  const context = queryTerms('エンタープライズプランの料金');
  assert.deepEqual(withContextTerms(queryTerms('それは？'), context), context.filter((t) => t.weight === 1 && !t.term.includes(' ')));
});
