import assert from 'node:assert/strict';
import { ExtractionError } from '../errors.js';

/** An assert.rejects validator: a permanent ExtractionError with `code`, its English message matching, a Japanese reason. */
export function rejectsWith(code: ExtractionError['code'], messagePattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof ExtractionError, `expected an ExtractionError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.match(error.message, messagePattern);
    assert.equal(error.permanent, true);
    assert.ok(error.reason.ja.length > 0);
    return true;
  };
}
