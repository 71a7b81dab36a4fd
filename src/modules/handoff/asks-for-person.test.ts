import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asksForPerson } from './asks-for-person.js';

const asks = [
  '担当者と話したい',
  '担当者に代わってください',
  '人に繋いでください',
  '人につないで',
  '人と話したい',
  '人間と話せますか？',
  'オペレーター',
  'オペレーターをお願いします',
  'オペレーターに繋いで',
  '有人対応はありますか',
  'スタッフの方と話したい',
  'サポートに問い合わせたい',
  '担当者さんを呼んでください',
  'Talk to a human',
  'Can I talk to someone?',
  'I want to speak with a real person please',
  'Please connect me to an agent',
  'operator',
  'Operator!',
  'human agent please',
  'I need a human',
  'ＯＰＥＲＡＴＯＲ',
];

const questions = [
  '経理の担当者は誰ですか？',
  '人事部に相談したい',
  '友人に話したいのですが',
  '人気の商品は？',
  '何人まで参加できますか？',
  '担当者の連絡先が資料に載っている規則は？'.repeat(5),
  'What does an operator do?',
  'How many people work here?',
  'Who is the person in charge of billing?',
  'Is a human review required for refunds?',
];

test('asks for a person: Japanese and English ways of saying it', () => {
  assert.deepEqual(asks.filter((q) => !asksForPerson(q)), []);
});

test('questions that only mention people are not requests for one', () => {
  assert.deepEqual(questions.filter((q) => asksForPerson(q)), []);
});
