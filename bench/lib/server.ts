// Starts the real Shiori server as a child process (compiled dist/cli.js when it is up to date,
// otherwise through tsx; `--tsx` forces the sources) on a fresh DATA_DIR and a free port, for
// benchmarks over HTTP.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { cliCommand, cliProcess, freePort, serverEnv } from '../../src/test/server-process.js';

export interface BenchServer {
  baseUrl: string;
  pid: number;
  /** How it was started, for the report: "node dist/cli.js serve" or "tsx src/cli.ts serve". */
  command: string;
  driver: string;
  /** SQL statements the server has sent so far, by their text: how many, and their time in ms (only with `countStatements`). */
  statements(): Promise<Map<string, StatementFigures>>;
  stop(): Promise<void>;
}

export interface StatementFigures {
  count: number;
  ms: number;
}

export interface BenchServerOptions {
  /** Preloads count-statements.ts into the server, for `statements()`. */
  countStatements?: boolean;
  /** Writes a V8 CPU profile of the server (node --cpu-prof) into this folder when it stops. */
  cpuProfileDir?: string;
}

const countStatementsPath = fileURLToPath(new URL('./count-statements.ts', import.meta.url));

/**
 * Starts a server with generous auth/upload/search rate limits and no plan limits (a bench uploads
 * and asks far more than a FREE tenant may); extra env (e.g. DATABASE_URL) is passed through.
 */
export async function startServer(env: Record<string, string> = {}, options: BenchServerOptions = {}): Promise<BenchServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shiori-bench-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const statementsFile = join(dataDir, 'statements.json');
  const nodeOptions = [
    ...(options.countStatements ? [`--import=${countStatementsPath}`] : []),
    ...(options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []),
  ];
  const server = cliProcess(
    'serve',
    {
      ...serverEnv(port, dataDir),
      RATE_LIMIT_SEARCH_PER_MINUTE: '100000',
      ...(nodeOptions.length ? { NODE_OPTIONS: nodeOptions.join(' ') } : {}),
      ...(options.countStatements ? { SHIORI_BENCH_STATEMENTS_FILE: statementsFile } : {}),
      ...env,
    },
    baseUrl,
  );
  try {
    await server.start();
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const health = (await (await fetch(`${baseUrl}/health`)).json()) as { database?: { driver?: string } };
  return {
    baseUrl,
    pid: server.pid!,
    command: `${cliCommand().label} serve`,
    driver: health.database?.driver ?? '?',
    async statements() {
      if (!options.countStatements) throw new Error('started without countStatements');
      rmSync(statementsFile, { force: true });
      process.kill(server.pid!, 'SIGUSR2');
      for (let waited = 0; !existsSync(statementsFile); waited += 10) {
        if (waited > 5000) throw new Error('the server wrote no statement counts');
        await sleep(10);
      }
      return new Map(Object.entries(JSON.parse(readFileSync(statementsFile, 'utf8')) as Record<string, StatementFigures>));
    },
    async stop() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * CPU time a process has used so far (user + system, from /proc/PID/stat, Linux), in ms. On a shared
 * machine this is steadier than requests/s: other work slows the clock, not the cost per request.
 */
export function cpuTimeMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // After the command name in parentheses: state is field 3, utime and stime are fields 14 and 15 (clock ticks, 100 a second).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
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
