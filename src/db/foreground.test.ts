import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { requestsIdle, trackRequest } from './foreground.js';

test('background work waits while a request is in flight, and no longer than its limit', async () => {
  const response = new EventEmitter();
  trackRequest(response);
  let idle = false;
  const waiting = requestsIdle(5_000).then(() => (idle = true));
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(idle, false, 'still waiting for the request');
  response.emit('close');
  await waiting;

  const stuck = new EventEmitter();
  trackRequest(stuck);
  const started = performance.now();
  await requestsIdle(50);
  assert.ok(performance.now() - started >= 45, 'waited for the limit');
  stuck.emit('close');
  const again = performance.now();
  await requestsIdle(5_000);
  assert.ok(performance.now() - again < 100, 'nothing in flight: at once');
});
