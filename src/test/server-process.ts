// The real Shiori CLI as a child process, for tests that kill it: crash recovery, durability, restarts.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from '../paths.js';

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The compiled CLI when `npm run build` is newer than every source file (CI builds right before
 * the tests), else — or when the command line says `--tsx` — the sources through tsx. The compiled
 * one matters for speed: every document is parsed in a fresh child process, which under tsx loads
 * the TypeScript loader again.
 */
export function cliCommand(): { args: string[]; label: string } {
  const compiled = join(projectRoot, 'dist/cli.js');
  if (existsSync(compiled) && !process.argv.includes('--tsx')) {
    const builtAt = statSync(compiled).mtimeMs;
    const sources = readdirSync(join(projectRoot, 'src'), { recursive: true }).map(String);
    if (sources.every((file) => statSync(join(projectRoot, 'src', file)).mtimeMs <= builtAt)) return { args: ['dist/cli.js'], label: 'node dist/cli.js' };
  }
  return { args: ['--import', 'tsx', 'src/cli.ts'], label: 'tsx src/cli.ts' };
}

/**
 * The environment of a server started for a test or a benchmark: its own port, data folder and
 * secrets, logins and uploads limited far above what a bulk run sends, and no plan limits.
 */
export function serverEnv(port: number, dataDir: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    JWT_SECRET: randomBytes(32).toString('hex'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    RATE_LIMIT_AUTH_PER_MINUTE: '10000',
    RATE_LIMIT_UPLOAD_PER_MINUTE: '100000',
    PLAN_LIMITS: JSON.stringify({ FREE: { documents: null, storage_bytes: null, messages_per_month: null, members: null } }),
  };
}

export interface CliProcess {
  readonly pid: number | undefined;
  /** Starts the command (again); for `serve`, resolves once GET /health answers 200. */
  start(): Promise<void>;
  /** kill -9: no shutdown hook runs, as when the machine or the OOM killer stops it. */
  kill9(): Promise<void>;
  /** SIGTERM and wait (the graceful stop). */
  stop(): Promise<void>;
  /** The last lines of its stderr and stdout, for failure messages. */
  output(): string;
}

/**
 * `node dist/cli.js <command>` (or the tsx equivalent, see cliCommand) with exactly `env` (plus PATH). For `serve`, `baseUrl`
 * is polled until healthy; a process that exits while starting fails the start with its output.
 */
export function cliProcess(command: 'serve' | 'worker', env: Record<string, string>, baseUrl?: string): CliProcess {
  let child: ChildProcess | undefined;
  let log = '';
  const exited = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null;
  const waitExit = (c: ChildProcess) => (exited(c) ? Promise.resolve() : new Promise<void>((resolve) => c.once('exit', () => resolve())));

  return {
    get pid() {
      return child?.pid;
    },
    async start() {
      const c = spawn(process.execPath, [...cliCommand().args, command], {
        cwd: projectRoot,
        env: { PATH: process.env.PATH, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = c;
      const keep = (data: Buffer) => void (log = (log + data.toString()).slice(-6000));
      c.stdout!.on('data', keep);
      c.stderr!.on('data', keep);
      if (!baseUrl) return;
      const deadline = Date.now() + 60_000;
      for (;;) {
        if (exited(c)) throw new Error(`${command} exited while starting (${c.exitCode ?? c.signalCode}):\n${log}`);
        if (Date.now() > deadline) {
          c.kill('SIGKILL'); // never healthy: not left running behind the failed test
          throw new Error(`${command} did not become healthy in 60 s:\n${log}`);
        }
        const ok = await fetch(`${baseUrl}/health`).then((r) => r.ok, () => false);
        if (ok) return;
        await sleep(100);
      }
    },
    async kill9() {
      if (!child || exited(child)) return;
      const c = child;
      c.kill('SIGKILL');
      await waitExit(c);
    },
    async stop() {
      if (!child || exited(child)) return;
      const c = child;
      c.kill('SIGTERM');
      // An unref'd timer: once the child is gone, the wait must not hold the test process open for 20 s.
      await Promise.race([waitExit(c), sleep(20_000, undefined, { ref: false }).then(() => c.kill('SIGKILL'))]);
      await waitExit(c);
    },
    output: () => log,
  };
}
