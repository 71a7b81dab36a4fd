// The signature a receiver checks: what it accepts, and the tampering and replays it refuses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signWebhook, verifyWebhookSignature } from './webhook-signature.js';

const secret = 'whsec_test_0123456789abcdef';
const body = JSON.stringify({ id: 'evt_1', type: 'test', created: 1_700_000_000, tenant_id: 't', data: { message: 'こんにちは' } });
const now = 1_700_000_100;

test('a signature made with the secret over the exact body verifies, as a string or as the received bytes', () => {
  const header = signWebhook(secret, now, body);
  assert.match(header, /^t=1700000100,v1=[0-9a-f]{64}$/);
  assert.equal(verifyWebhookSignature(secret, header, body, 300, now), true);
  assert.equal(verifyWebhookSignature(secret, header, Buffer.from(body, 'utf8'), 300, now + 299), true);
});

test('a tampered body, another secret, a stale or future timestamp, or a mangled header fail', () => {
  const header = signWebhook(secret, now, body);
  assert.equal(verifyWebhookSignature(secret, header, body.replace('こんにちは', 'こんばんは'), 300, now), false, 'tampered body');
  assert.equal(verifyWebhookSignature('whsec_other', header, body, 300, now), false, 'other secret');
  assert.equal(verifyWebhookSignature(secret, header, body, 300, now + 301), false, 'stale: replayed later');
  assert.equal(verifyWebhookSignature(secret, header, body, 300, now - 301), false, 'from the future');
  assert.equal(verifyWebhookSignature(secret, header.replace(/t=\d+/, `t=${now + 1}`), body, 300, now), false, 'timestamp changed after signing');
  assert.equal(verifyWebhookSignature(secret, undefined, body, 300, now), false);
  assert.equal(verifyWebhookSignature(secret, 'v1=abc', body, 300, now), false);
  assert.equal(verifyWebhookSignature(secret, `t=${now},v1=${'0'.repeat(64)}`, body, 300, now), false);
});

test('with several v1 values (a receiver checking during a change of secret) one match is enough', () => {
  const good = signWebhook(secret, now, body).split(',')[1];
  assert.equal(verifyWebhookSignature(secret, `t=${now},v1=${'f'.repeat(64)},${good}`, body, 300, now), true);
});
