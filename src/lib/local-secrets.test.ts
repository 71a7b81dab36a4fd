import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadOrCreateLocalSecret } from './local-secrets.js';
import { createSecretBox } from './secret-box.js';

test('a generated secret is kept (0600) and read back the same by the next start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'shiori-secret-'));
  try {
    const first = loadOrCreateLocalSecret(dir, 'k.key');
    const second = loadOrCreateLocalSecret(dir, 'k.key');
    assert.equal(first.generated, true);
    assert.equal(second.generated, false);
    assert.deepEqual(second.value, first.value);
    assert.equal(first.value.length, 32);
    assert.equal(statSync(first.path).mode & 0o777, 0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the secret box round-trips, and tampering or another key is detected', () => {
  const box = createSecretBox(Buffer.alloc(32, 7));
  const sealed = box.seal('JBSWY3DPEHPK3PXP 日本語');
  assert.ok(!sealed.includes('JBSWY3DPEHPK3PXP'));
  assert.notEqual(box.seal('same'), box.seal('same'), 'a fresh IV every time');
  assert.equal(box.open(sealed), 'JBSWY3DPEHPK3PXP 日本語');
  const parts = sealed.split('.');
  const flipped = [...parts.slice(0, 3), Buffer.from('x' + Buffer.from(parts[3]!, 'base64url').toString('latin1').slice(1), 'latin1').toString('base64url')].join('.');
  assert.throws(() => box.open(flipped));
  assert.throws(() => createSecretBox(Buffer.alloc(32, 8)).open(sealed));
});
