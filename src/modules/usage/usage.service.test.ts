import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../http/errors.js';
import { bucketStarts, resolveRange } from './usage.service.js';

describe('usage range and buckets (UTC)', () => {
  const now = new Date('2026-03-10T23:59:59.999Z');
  const range = (query: { start_date?: string; end_date?: string; granularity?: 'day' | 'week' | 'month' }) =>
    resolveRange({ granularity: 'day', ...query }, now);
  const fieldOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      assert.ok(error instanceof AppError && error.code === 'VALIDATION_ERROR');
      return error.extra.errors?.[0]?.field;
    }
    assert.fail('accepted');
  };

  test('defaults: today (UTC) and the 29 days before it', () => {
    assert.deepEqual(range({}), { start: '2026-02-09', end: '2026-03-10' });
    assert.deepEqual(range({ end_date: '2028-03-01' }), { start: '2028-02-01', end: '2028-03-01' }, 'across Feb 29');
    assert.deepEqual(range({ start_date: '2026-03-01' }), { start: '2026-03-01', end: '2026-03-10' });
  });

  test('limits: start not after end, 366 days by day, about five years by week or month', () => {
    assert.equal(fieldOf(() => range({ start_date: '2026-03-11' })), 'start_date');
    assert.equal(fieldOf(() => range({ start_date: '2025-01-02', end_date: '2025-01-01' })), 'start_date');
    assert.deepEqual(range({ start_date: '2028-01-01', end_date: '2028-12-31' }), { start: '2028-01-01', end: '2028-12-31' }, 'a leap year is 366 days');
    assert.equal(fieldOf(() => range({ start_date: '2027-01-01', end_date: '2028-01-02' })), 'start_date');
    assert.ok(range({ start_date: '2021-01-01', end_date: '2025-12-31', granularity: 'month' }));
    assert.equal(fieldOf(() => range({ start_date: '2020-01-01', end_date: '2025-12-31', granularity: 'week' })), 'start_date');
  });

  test('day buckets: every date', () => {
    assert.deepEqual(bucketStarts('2028-02-27', '2028-03-01', 'day'), ['2028-02-27', '2028-02-28', '2028-02-29', '2028-03-01']);
    assert.deepEqual(bucketStarts('2025-12-31', '2025-12-31', 'day'), ['2025-12-31']);
  });

  test('week buckets: ISO weeks, labelled by their Monday, the first one containing start', () => {
    // 2026-01-01 is a Thursday; 2026-01-04 a Sunday, 2026-01-05 a Monday.
    assert.deepEqual(bucketStarts('2026-01-01', '2026-01-04', 'week'), ['2025-12-29']);
    assert.deepEqual(bucketStarts('2026-01-04', '2026-01-05', 'week'), ['2025-12-29', '2026-01-05']);
    assert.deepEqual(bucketStarts('2026-01-05', '2026-01-18', 'week'), ['2026-01-05', '2026-01-12']);
  });

  test('month buckets: the 1st of each month, across a year end', () => {
    assert.deepEqual(bucketStarts('2025-11-30', '2026-02-01', 'month'), ['2025-11-01', '2025-12-01', '2026-01-01', '2026-02-01']);
    assert.deepEqual(bucketStarts('2028-02-29', '2028-02-29', 'month'), ['2028-02-01']);
  });
});
