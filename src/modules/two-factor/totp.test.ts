import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateTotpCode, generateTotpSecret, matchTotpStep, totpUri } from './totp.js';
import { generateRecoveryCodes, normalizeRecoveryCode } from './recovery-codes.js';

// RFC 6238 Appendix B, SHA-1 seed "12345678901234567890"; our codes are the last 6 of the 8 digits.
const RFC_SECRET_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: Array<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

test('RFC 6238 SHA-1 test vectors', () => {
  for (const [seconds, eightDigits] of RFC_VECTORS) {
    const code = eightDigits.slice(-6);
    assert.equal(generateTotpCode(RFC_SECRET_BASE32, seconds * 1000), code, `T=${seconds}`);
    assert.equal(matchTotpStep(RFC_SECRET_BASE32, code, seconds * 1000), Math.floor(seconds / 30), `T=${seconds}`);
  }
});

test('accepts one step of clock drift either way, not two', () => {
  const now = 1_800_000_000_000;
  const step = now / 1000 / 30;
  assert.equal(matchTotpStep(RFC_SECRET_BASE32, generateTotpCode(RFC_SECRET_BASE32, now - 30_000), now), step - 1);
  assert.equal(matchTotpStep(RFC_SECRET_BASE32, generateTotpCode(RFC_SECRET_BASE32, now + 30_000), now), step + 1);
  assert.equal(matchTotpStep(RFC_SECRET_BASE32, generateTotpCode(RFC_SECRET_BASE32, now - 60_000), now), null);
  assert.equal(matchTotpStep(RFC_SECRET_BASE32, generateTotpCode(RFC_SECRET_BASE32, now + 60_000), now), null);
});

test('refuses anything but six digits', () => {
  for (const code of ['', '12345', '1234567', 'abcdef', '12 345', '１２３４５６']) assert.equal(matchTotpStep(RFC_SECRET_BASE32, code), null);
});

test('secrets are 160-bit base32 and the URI is what authenticator apps read', () => {
  const secret = generateTotpSecret();
  assert.match(secret, /^[A-Z2-7]{32}$/);
  const uri = new URL(totpUri(secret, 'user@example.com'));
  assert.equal(uri.protocol, 'otpauth:');
  assert.equal(uri.searchParams.get('secret'), secret);
  assert.equal(uri.searchParams.get('issuer'), 'Shiori');
  assert.equal(uri.searchParams.get('digits'), '6');
  assert.equal(uri.searchParams.get('period'), '30');
  assert.equal(uri.searchParams.get('algorithm'), 'SHA1');
});

test('recovery codes: ten distinct codes, typed in any case with or without the dash', () => {
  const codes = generateRecoveryCodes();
  assert.equal(new Set(codes).size, 10);
  for (const code of codes) assert.match(code, /^[a-z2-9]{4}-[a-z2-9]{4}$/);
  assert.equal(normalizeRecoveryCode(' ABCD EFGH '), 'abcd-efgh');
  assert.equal(normalizeRecoveryCode('abcdefgh'), 'abcd-efgh');
});
