import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RetrievedChunk } from '../retrieval/retrieval.service.js';
import { assessConfidence, levelOf, saysNotFound, sentenceCoverage, termCoverage, type ConfidenceSignals } from './confidence.js';
import { notFoundAnswer } from './not-found.js';

const passage = (text: string, score: number, match: RetrievedChunk['match'] = 'fulltext'): RetrievedChunk => ({
  kind: 'document',
  chunk_id: `c${score}`,
  file_id: 'f',
  file_name: 'rules.txt',
  file_type: 'txt',
  title: null,
  sheet_name: null,
  source_url: null,
  chunk_index: 0,
  chunk_text: text,
  page_start: null,
  page_end: null,
  score,
  match,
});
const signals = (s: Partial<ConfidenceSignals>): ConfidenceSignals => ({ best_score: 0.8, cut: 0.4, margin: 2, coverage: 1, sentence_coverage: 1, agreement: null, faq: false, not_found: false, ...s });

describe('saysNotFound', () => {
  test('the product’s not-found answer in both languages, and a model’s own words', () => {
    assert.ok(saysNotFound(notFoundAnswer('ja')));
    assert.ok(saysNotFound(notFoundAnswer('en', 'support@example.com')));
    assert.ok(saysNotFound('申し訳ありませんが、資料にはその情報が記載されていません。'));
    assert.ok(saysNotFound('提供された文書には見当たりません。'));
    assert.ok(saysNotFound('The provided documents do not contain information about that.'));
    assert.ok(saysNotFound("I couldn't find that in the documents."));
  });
  test('an answer is not a refusal', () => {
    assert.ok(!saysNotFound('入社後6か月で10日の年次有給休暇が付与されます[1]。'));
    assert.ok(!saysNotFound('The meal allowance is $60 a day [1].'));
    assert.ok(!saysNotFound('Documents must be submitted within 30 days [1].'));
  });
});

describe('coverage', () => {
  test('the question’s words in the passages, Japanese words cut differently counting by their bigrams', () => {
    assert.equal(termCoverage('年次有給休暇の日数', ['年次有給休暇は10日とする。日数は勤続により加算する。']), 1);
    assert.equal(termCoverage('meal allowance Tokyo', ['The meal allowance is $60.']), 2 / 3);
    assert.equal(termCoverage('です', ['x']), null, 'no words to cover');
  });
  test('one sentence: words scattered over a passage count less than words together', () => {
    const scattered = [{ title: null, text: 'Ships sail across the sea. Canada is a large country.' }];
    const together = [{ title: null, text: 'We ship to Canada. Rates vary.' }];
    assert.ok(sentenceCoverage('Do you ship to Canada?', scattered)! < sentenceCoverage('Do you ship to Canada?', together)!);
    assert.equal(sentenceCoverage('Do you ship to Canada?', together), 1);
  });
});

describe('levels', () => {
  test('none without passages or when the answer says so without citing; an FAQ answer is high', () => {
    assert.equal(assessConfidence({ question: '社長の好物は？', answer: notFoundAnswer('ja'), passages: [], cut: 0.4, faqAnswer: false }).level, 'none');
    assert.equal(levelOf(signals({ not_found: true }), false), 'none');
    assert.equal(levelOf(signals({ not_found: true }), true), 'low', 'a partial answer that cites');
    assert.equal(assessConfidence({ question: '有給は？', answer: '年10日です。', passages: [], cut: 0.4, faqAnswer: true }).level, 'high');
  });
  test('margin, coverage and agreement', () => {
    assert.equal(levelOf(signals({}), true), 'high');
    assert.equal(levelOf(signals({ margin: 1.2 }), true), 'medium');
    assert.equal(levelOf(signals({ coverage: 0.5 }), true), 'medium');
    assert.equal(levelOf(signals({ sentence_coverage: 0.2 }), true), 'low', 'the question’s words nowhere together');
    assert.equal(levelOf(signals({ agreement: 0 }), true), 'low', 'vector search found none of the same passages');
    assert.equal(levelOf(signals({ agreement: 0.67 }), true), 'high');
  });
  test('assessed from passages: agreement is measured only when vector search ran', () => {
    const text = '第20条（年次有給休暇）入社から6か月勤務した従業員には10日の年次有給休暇を付与する。';
    const fulltext = assessConfidence({ question: '年次有給休暇は何日付与されますか', answer: '10日です[1]。', passages: [passage(text, 0.9)], cut: 0.4, faqAnswer: false });
    assert.equal(fulltext.signals.agreement, null);
    assert.equal(fulltext.signals.margin, 2.25);
    const hybrid = assessConfidence({ question: '年次有給休暇は何日付与されますか', answer: '10日です[1]。', passages: [passage(text, 0.9, 'both'), passage('別の話', 0.5, 'vector')], cut: 0.4, faqAnswer: false });
    assert.equal(hybrid.signals.agreement, 0.5);
  });
});
