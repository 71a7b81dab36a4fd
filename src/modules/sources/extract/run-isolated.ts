import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExtractionError } from './errors.js';
import type { ExtractionLimits, ExtractionResult, ExtractOptions } from './types.js';
import type { ExtractionReply, ExtractionRequest } from './worker-protocol.js';
import { workerExecArgv } from './worker-exec-argv.js';

/** The worker sits beside this file with the same extension: .ts under tsx, .js once compiled. */
const WORKER_PATH = fileURLToPath(new URL(`./extraction-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url));
const MEMORY_POLL_MS = 200;
const STDERR_TAIL_CHARS = 4000;

/**
 * Runs one extraction in a fresh worker process and settles with its reply, or with an
 * ExtractionError when the worker has to be killed (timeout, memory) or dies. The parent
 * never throws anything else and never crashes with the worker.
 */
export function runIsolated(request: ExtractionRequest, limits: ExtractionLimits, options: ExtractOptions): Promise<ExtractionResult> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER_PATH, [], {
      execArgv: workerExecArgv(process.execArgv, limits.maxMemoryMb, WORKER_PATH),
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced', // structured clone: large page texts cross without a JSON round trip
    });
    let settled = false;
    let stderrTail = '';
    let killedFor: 'timeout' | 'memory' | 'aborted' | undefined;

    const finish = (outcome: { result: ExtractionResult } | { error: ExtractionError }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearInterval(memoryWatch);
      options.signal?.removeEventListener('abort', onAbort);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      if ('result' in outcome) resolve(outcome.result);
      else reject(outcome.error);
    };
    const kill = (reason: NonNullable<typeof killedFor>) => {
      killedFor ??= reason;
      child.kill('SIGKILL');
    };
    const onAbort = () => kill('aborted');

    const timer = setTimeout(() => kill('timeout'), limits.timeoutMs);
    const memoryWatch = setInterval(() => {
      if (residentMegabytes(child) > residentCapMegabytes(limits.maxMemoryMb)) kill('memory');
    }, MEMORY_POLL_MS);
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    child.on('spawn', () => {
      if (child.pid !== undefined) options.onWorkerStarted?.(child.pid);
      child.send(request, (error) => {
        // Killed already (aborted at start): 'close' reports why, not the send it cut short.
        if (error && !killedFor) finish({ error: workerDied('could not send the job', { permanent: false }) });
      });
    });
    child.on('message', (reply: ExtractionReply) => {
      finish(reply.ok ? { result: reply.result } : { error: ExtractionError.fromJSON(reply.error) });
    });
    child.on('error', (error) => finish({ error: workerDied(`could not start: ${error.message}`, { permanent: false }) }));
    // 'close', not 'exit': it waits for the IPC channel, so a reply still in the pipe is read first.
    child.on('close', (code, signal) => {
      finish({ error: explainExit({ code, signal, killedFor, stderrTail, limits }) });
    });
  });
}

function explainExit(facts: {
  code: number | null;
  signal: NodeJS.Signals | null;
  killedFor: 'timeout' | 'memory' | 'aborted' | undefined;
  stderrTail: string;
  limits: ExtractionLimits;
}): ExtractionError {
  const { code, signal, killedFor, stderrTail, limits } = facts;
  const how = signal ? `signal ${signal}` : `exit code ${code}`;
  if (killedFor === 'timeout') {
    const seconds = Math.round(limits.timeoutMs / 100) / 10;
    return new ExtractionError('TIMEOUT', { ja: `ファイルの読み取りが上限の ${seconds} 秒を超えたため中止しました。`, en: `Reading this file took longer than the limit of ${seconds} seconds and was stopped.` }, {
      permanent: false,
      detail: `worker killed after ${limits.timeoutMs} ms`,
    });
  }
  if (killedFor === 'aborted') {
    return new ExtractionError('TIMEOUT', { ja: 'ファイルの読み取りが途中で止められました。再処理できます。', en: 'Reading this file was stopped before it finished; it can be tried again.' }, {
      permanent: false,
      detail: 'aborted by the caller',
    });
  }
  if (killedFor === 'memory' || /heap out of memory|Allocation failed|ERR_WORKER_OUT_OF_MEMORY/i.test(stderrTail)) {
    return new ExtractionError('TOO_LARGE', { ja: `ファイルの読み取りに上限の ${limits.maxMemoryMb} MB を超えるメモリが必要になったため中止しました。`, en: `Reading this file needed more than the ${limits.maxMemoryMb} MB of memory allowed and was stopped.` }, {
      permanent: false,
      detail: `worker out of memory (${how})`,
    });
  }
  return workerDied(`${how}${stderrTail ? `: ${lastLine(stderrTail)}` : ''}`, { permanent: false });
}

function workerDied(detail: string, options: { permanent: boolean }): ExtractionError {
  return new ExtractionError('CORRUPT', { ja: '読み取り処理が予期せず止まったため、ファイルを読み取れませんでした。再処理できます。', en: 'The file could not be read because the reader stopped unexpectedly; it can be tried again.' }, {
    permanent: options.permanent,
    detail: `extraction worker ${detail}`,
  });
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1)?.slice(0, 300) ?? '';
}

/**
 * The heap cap plus room for what lives outside the V8 heap (code, file bytes, decoded fonts
 * and images): as much again as the heap, and at least 512 MB, since a worker running pdf.js
 * under tsx sits at ~400 MB resident before it reads anything.
 */
export function residentCapMegabytes(maxMemoryMb: number): number {
  return maxMemoryMb + Math.max(maxMemoryMb, 512);
}

/**
 * Resident memory of the worker from /proc (Linux). --max-old-space-size caps only the V8
 * heap; this also catches native and ArrayBuffer memory. Elsewhere the heap cap alone applies.
 */
function residentMegabytes(child: ChildProcess): number {
  if (child.pid === undefined || process.platform !== 'linux') return 0;
  try {
    const residentPages = Number(readFileSync(`/proc/${child.pid}/statm`, 'utf8').split(' ')[1]);
    return (residentPages * 4096) / (1024 * 1024);
  } catch {
    return 0; // already gone
  }
}
