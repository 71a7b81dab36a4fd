import assert from 'node:assert/strict';
import { test } from 'node:test';
import { en } from '../../../web/src/i18n/en.js';
import { ja } from '../../../web/src/i18n/ja.js';

// The dashboard's two dictionaries (web/src/i18n): the same keys, no empty text, the same placeholders.
test('ja and en have exactly the same keys, each with text and the same {placeholders}', () => {
  assert.deepEqual(Object.keys(ja).sort(), Object.keys(en).sort());
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const [key, english] of Object.entries(en)) {
    const japanese = ja[key as keyof typeof en];
    assert.ok(english.trim() && japanese.trim(), `${key} is empty`);
    assert.deepEqual(placeholders(japanese), placeholders(english), `${key}: placeholders differ`);
  }
});
