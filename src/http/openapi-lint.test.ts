import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { projectRoot } from '../paths.js';
import { buildTestApp, type TestApp } from '../test/harness.js';

// The OpenAPI document as client generators read it: Redocly's recommended rules (redocly.yaml says
// which two are off, and why), errors and warnings alike, on the document a deployment serves.

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer?: string }> }>;
}

const SEED_002_PATHS = ['/api/signup/', '/api/login/', '/api/login-2fa/', '/api/profile/', '/api/logout/', '/api/signup-tfa/'];

describe('the OpenAPI document passes redocly lint', () => {
  let t: TestApp;
  let dir: string;
  let spec: { paths: Record<string, Record<string, { operationId?: string }>> };

  before(async () => {
    t = await buildTestApp({ publicUrl: 'https://shiori.example.jp' });
    spec = (await t.request('GET', '/openapi.json')).json();
    dir = await mkdtemp(join(tmpdir(), 'shiori-openapi-'));
  });
  after(async () => {
    await t?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('no error and no warning with the recommended rules', async () => {
    const file = join(dir, 'openapi.json');
    await writeFile(file, JSON.stringify(spec));
    const cli = join(projectRoot, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js');
    const run = await promisify(execFile)(process.execPath, [cli, 'lint', file, '--config', join(projectRoot, 'redocly.yaml'), '--format=json'], {
      cwd: projectRoot,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string }) => error);
    const report = JSON.parse(String(run.stdout)) as LintReport;
    const problems = report.problems.map((p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
    assert.deepEqual(problems, [], String(run.stderr ?? ''));
    assert.deepEqual(report.totals, { ...report.totals, errors: 0, warnings: 0 });
  });

  test('trailing slashes only on the seed-002 paths (the rule is off for them)', () => {
    const slashed = Object.keys(spec.paths).filter((path) => path.length > 1 && path.endsWith('/'));
    assert.deepEqual(slashed.sort(), [...SEED_002_PATHS].sort());
  });

  test('every operationId is a camelCase verb phrase, unique', () => {
    const ids = Object.values(spec.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId ?? '(none)'));
    assert.ok(ids.length >= 50, `only ${ids.length} operations`);
    assert.deepEqual(ids.filter((id) => !/^[a-z]+(?:[A-Z0-9][a-z0-9]*)*$/.test(id)), []);
    assert.equal(new Set(ids).size, ids.length, 'duplicate operationIds');
  });
});
