import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, envSchema, loadConfig } from './config.js';
import { projectRoot } from './paths.js';

test('no configuration at all is a working configuration', () => {
  const config = loadConfig({});
  assert.equal(config.port, 3000);
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.publicUrl, 'http://localhost:3000');
  assert.equal(config.database.url, undefined);
  assert.equal(config.database.pgliteDir, join('data', 'pgdata'));
  assert.equal(config.cookieSecure, false, 'plain http on localhost cannot use Secure cookies');
  assert.equal(config.rateLimits.authPerMinute, 10);
});

test('each bad variable gets its own clear line', () => {
  let problems: string[] = [];
  assert.throws(() => {
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', JWT_SECRET: 'short', ENCRYPTION_KEY: 'nope', LOG_LEVEL: 'loud' });
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
      throw error;
    }
  }, ConfigError);
  assert.equal(problems.length, 5, problems.join('\n'));
  assert.ok(problems.some((p) => p.startsWith('PORT:') && p.includes('"abc"')));
  assert.ok(problems.some((p) => p.startsWith('DATABASE_URL:') && p.includes('postgres')));
  assert.ok(problems.some((p) => p.startsWith('JWT_SECRET:') && p.includes('32')));
  assert.ok(problems.some((p) => p.startsWith('ENCRYPTION_KEY:') && p.includes('base64')));
  assert.ok(problems.some((p) => p.startsWith('LOG_LEVEL:')));
});

test('Secure cookies everywhere but plain-http localhost, unless forced', () => {
  assert.equal(loadConfig({ PUBLIC_URL: 'https://chat.example.com' }).cookieSecure, true);
  assert.equal(loadConfig({ PUBLIC_URL: 'http://chat.example.com' }).cookieSecure, true);
  assert.equal(loadConfig({ PUBLIC_URL: 'http://127.0.0.1:8080' }).cookieSecure, false);
  assert.equal(loadConfig({ PUBLIC_URL: 'http://localhost:8080', COOKIE_SECURE: 'true' }).cookieSecure, true);
});

test('MODEL_PRICES: prices by model name, one line per bad entry', () => {
  assert.deepEqual(loadConfig({}).modelPrices, {});
  assert.deepEqual(loadConfig({ MODEL_PRICES: '{"gpt-4o": {"input": 2, "output": 8}, "text-embedding-x": {"input": 0.05}}' }).modelPrices, {
    'gpt-4o': { input: 2, output: 8 },
    'text-embedding-x': { input: 0.05, output: 0 },
  });
  const problemsOf = (value: string) => {
    try {
      loadConfig({ MODEL_PRICES: value });
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    assert.fail(`${value} was accepted`);
  };
  assert.match(problemsOf('{gpt-4o: 1}')[0]!, /^MODEL_PRICES: must be JSON/);
  assert.match(problemsOf('[1, 2]')[0]!, /^MODEL_PRICES: must be a JSON object/);
  assert.deepEqual(problemsOf('{"ok": {"input": 1, "output": 2}, "a": {"input": -1, "output": "x"}, "b": 3, "c": {"input": 1, "inptu": 2}}'), [
    'MODEL_PRICES["a"].input: must not be negative',
    'MODEL_PRICES["a"].output: must be a number (USD per 1M tokens)',
    'MODEL_PRICES["b"]: must be an object {"input": USD, "output": USD}',
    'MODEL_PRICES["c"]: unknown field inptu (only input and output)',
  ]);
});

test('.env.example explains exactly the variables the server reads', () => {
  const example = readFileSync(join(projectRoot, '.env.example'), 'utf8');
  const documented = new Set([...example.matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));
  assert.deepEqual([...documented].sort(), Object.keys(envSchema.shape).sort());
});

test('chat model calls: 60 s and 2 retries by default; retries may be turned off', () => {
  assert.deepEqual(loadConfig({}).llm, { timeoutMs: 60_000, maxRetries: 2 });
  assert.deepEqual(loadConfig({ LLM_TIMEOUT_SECONDS: '180', LLM_MAX_RETRIES: '0' }).llm, { timeoutMs: 180_000, maxRetries: 0 });
  assert.throws(() => loadConfig({ LLM_MAX_RETRIES: '-1' }), /LLM_MAX_RETRIES/);
});
