import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { projectRoot } from '../paths.js';
import { japaneseFieldMessage } from './field-messages.js';

/** Every `*.schemas.ts` under src/modules. */
function schemaFiles(dir = join(projectRoot, 'src', 'modules')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return schemaFiles(path);
    return entry.name.endsWith('.schemas.ts') ? [path] : [];
  });
}

test('every English field message written in a schema has its Japanese', () => {
  // The plain string literals our schemas give Zod as messages ('must be at least 8 characters').
  const messages = new Set<string>();
  for (const file of schemaFiles()) {
    for (const match of readFileSync(file, 'utf8').matchAll(/(?:, |error: |message: )'((?:must|may|is|at most|unknown)\b[^']*)'/g)) messages.add(match[1]!);
  }
  assert.ok(messages.size > 20, `found only ${messages.size} messages: the pattern no longer matches the schemas`);
  const missing = [...messages].filter((message) => !japaneseFieldMessage(message));
  assert.deepEqual(missing, [], 'add these to field-messages.ts');
});
