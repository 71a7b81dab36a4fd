import assert from 'node:assert/strict';
import { test } from 'node:test';
import { candidateTerms } from './candidate-terms.js';

const terms = [
  { tsquery: "'common'", df: 5_000 },
  { tsquery: "'rare'", df: 10 },
  { tsquery: "'absent'", df: 0 },
  { tsquery: "'middling'", df: 900 },
];

test('the rarest terms are read until their postings reach the budget', () => {
  assert.deepEqual(candidateTerms(terms, 1, 1_000), { query: "'rare' | 'middling'", whole: new Set(["'rare'", "'middling'"]) });
  assert.equal(candidateTerms(terms, 1, 100)?.query, "'rare'");
  assert.equal(candidateTerms(terms, 1, Infinity)?.query, "'rare' | 'middling' | 'common'");
});

test('when even the rarest term is over the budget, chunks holding two of the rarest are read', () => {
  assert.deepEqual(candidateTerms(terms, 1, 5), { query: "('rare' & 'middling') | ('rare' & 'common') | ('middling' & 'common')", whole: new Set() });
  assert.deepEqual(candidateTerms([{ tsquery: "'common'", df: 5_000 }, { tsquery: "'absent'", df: 0 }], 1, 100), { query: "'common'", whole: new Set(["'common'"]) }, 'a single term is read whole');
});

test('terms found nowhere are never read', () => {
  assert.equal(candidateTerms([{ tsquery: "'absent'", df: 0 }], 1), null);
});

test('a scope holding a share of the tenant reads the terms that many of its postings', () => {
  // A filter to 1 % of the chunks: 5,000 postings of the tenant are about 50 of the scope.
  assert.equal(candidateTerms(terms, 0.01, 100)?.query, "'rare' | 'middling' | 'common'");
});
