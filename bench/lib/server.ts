// Starts the real Shiori server as a child process (compiled dist/cli.js when it is there,
// otherwise through tsx) on a fresh DATA_DIR and a free port, for benchmarks over HTTP.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { projectRoot } from '../../src/paths.js';

export interface BenchServer {
  baseUrl: string;
  pid: number;
  /** How it was started, for the report: "node dist/cli.js serve" or "tsx src/cli.ts serve". */
  command: string;
  driver: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts a server with generous auth/upload/search rate limits and no plan limits (a bench uploads
 * and asks far more than a FREE tenant may); extra env (e.g. DATABASE_URL) is passed through.
 */
export async function startServer(env: Record<string, string> = {}): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shiori-bench-'));
  const port = await freePort();
  const compiled = existsSync(join(projectRoot, 'dist/cli.js')) && !process.argv.includes('--tsx');
  const args = compiled ? ['dist/cli.js', 'serve'] : ['--import', 'tsx', 'src/cli.ts', 'serve'];
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      JWT_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      RATE_LIMIT_AUTH_PER_MINUTE: '10000',
      RATE_LIMIT_UPLOAD_PER_MINUTE: '100000',
      RATE_LIMIT_SEARCH_PER_MINUTE: '100000',
      PLAN_LIMITS: JSON.stringify({ FREE: { documents: null, storage_bytes: null, messages_per_month: null, members: null } }),
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (data: Buffer) => void (stderr = (stderr + data.toString()).slice(-4000)));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  let health: { database?: { driver?: string } } | undefined;
  while (!health) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${stderr}`);
    if (Date.now() > deadline) throw new Error(`server did not start: ${stderr}`);
    health = await fetch(`${baseUrl}/health`).then((r) => (r.ok ? (r.json() as Promise<typeof health>) : undefined), () => undefined);
    if (!health) await sleep(200);
  }
  return {
    baseUrl,
    pid: child.pid!,
    command: compiled ? 'node dist/cli.js serve' : 'tsx src/cli.ts serve',
    driver: health.database?.driver ?? '?',
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(20_000).then(() => child.kill('SIGKILL'))]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resident memory of a process from /proc (Linux), in bytes: current (VmRSS) and peak (VmHWM). */
export function residentMemory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/** Resets VmHWM to the current RSS (writing 5 to clear_refs), so a later peak belongs to what came after. */
export function resetPeakMemory(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
