/**
 * Isolation: the worker process is killed on timeout, memory blow-up or abort, a dying worker
 * fails only its own file, and the parent carries on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ExtractionError, extractFile } from './index.js';
import { makeScratchFolder } from './test-support/fixture-files.js';
import { makeTextPdf } from './test-support/make-pdf.js';
import { workerExecArgv } from './worker-exec-argv.js';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function expectTransient(code: ExtractionError['code'], message: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof ExtractionError, `expected an ExtractionError, got ${String(error)}`);
    assert.equal(error.code, code, `${error.message} (${error.detail})`);
    assert.match(error.message, message);
    assert.equal(error.permanent, false, 'worth a retry');
    return true;
  };
}

describe('worker process isolation', () => {
  let scratch: Awaited<ReturnType<typeof makeScratchFolder>>;
  let bigPdf: string;
  let smallPdf: string;
  before(async () => {
    scratch = await makeScratchFolder();
    const lines = Array.from({ length: 45 }, (_, line) => `Line ${line} of a long generated report with enough words to parse.`).join('\n');
    bigPdf = await scratch.write('big.pdf', await makeTextPdf(Array.from({ length: 400 }, () => lines)));
    smallPdf = await scratch.write('small.pdf', await makeTextPdf(['Still working after the others failed.']));
  });
  after(() => scratch.cleanup());

  test('a parse that outlives timeoutMs is killed; the worker is gone and the parent unharmed', async () => {
    let workerPid: number | undefined;
    const started = Date.now();
    await assert.rejects(
      extractFile(bigPdf, 'pdf', { timeoutMs: 400 }, { onWorkerStarted: (pid) => (workerPid = pid) }),
      expectTransient('TIMEOUT', /took longer than the limit of 0\.4 seconds/),
    );
    assert.ok(Date.now() - started < 5000, 'the kill is prompt');
    assert.ok(workerPid !== undefined && !isAlive(workerPid), 'the worker process no longer exists');
    const next = await extractFile(smallPdf, 'pdf');
    assert.equal(next.pages[0]?.text, 'Still working after the others failed.');
  });

  test('a worker that crashes (killed by a signal) fails only its own file', async () => {
    const crashing = extractFile(bigPdf, 'pdf', {}, { onWorkerStarted: (pid) => process.kill(pid, 'SIGKILL') });
    const healthy = extractFile(smallPdf, 'pdf');
    await assert.rejects(crashing, expectTransient('CORRUPT', /reader stopped unexpectedly/));
    assert.equal((await healthy).pages.length, 1);
  });

  test('a worker that exceeds maxMemoryMb is stopped and reported as too large', async () => {
    await assert.rejects(extractFile(bigPdf, 'pdf', { maxMemoryMb: 24 }), expectTransient('TOO_LARGE', /more than the 24 MB of memory allowed/));
  });

  test('aborting (e.g. on shutdown) kills the worker', async () => {
    const controller = new AbortController();
    const extraction = extractFile(bigPdf, 'pdf', {}, { signal: controller.signal, onWorkerStarted: () => controller.abort() });
    await assert.rejects(extraction, expectTransient('TIMEOUT', /stopped before it finished/));
  });

  test('limits must be positive numbers', async () => {
    await assert.rejects(extractFile(smallPdf, 'pdf', { timeoutMs: 0 }), RangeError);
  });

  test('a missing file is the caller’s error, not the file’s', async () => {
    await assert.rejects(extractFile(scratch.path('nope.pdf'), 'pdf'), { code: 'ENOENT' });
  });
});

describe('worker flags', () => {
  test('loaders carry over, test-runner and debugger flags do not, the heap cap is added', () => {
    const parent = ['--import', 'tsx', '--test-concurrency=2', '--test-reporter', 'spec', '--inspect=9229', '--max-old-space-size=8000', '--enable-source-maps'];
    assert.deepEqual(workerExecArgv(parent, 512, '/app/dist/extraction-worker.js'), [
      '--import',
      'tsx',
      '--enable-source-maps',
      '--max-old-space-size=512',
    ]);
  });

  test('a parent started with node -e / -p does not hand its script to the worker (it would fork itself forever)', () => {
    for (const parent of [['-e', 'run()'], ['--eval', 'run()'], ['--eval=run()'], ['-p', 'run()'], ['--print=run()']]) {
      assert.deepEqual(workerExecArgv([...parent, '--enable-source-maps'], 64, '/app/dist/extraction-worker.js'), ['--enable-source-maps', '--max-old-space-size=64'], parent.join(' '));
    }
  });

  test('a TypeScript worker started without tsx flags gets tsx', () => {
    const flags = workerExecArgv([], 256, '/repo/src/extraction-worker.ts');
    assert.equal(flags[0], '--import');
    assert.match(flags[1]!, /tsx/);
  });
});
