/**
 * Parent flags a worker must not inherit: test-runner mode, debugger ports, watch mode, the parent's
 * own heap size, and `-e`/`-p` scripts (a `node -e` parent would otherwise fork itself again and again).
 */
const DROPPED_FLAG = /^(--(test|inspect|debug|watch|max-old-space-size|cpu-prof|heap-prof|prof|eval|print)|-e$|-p$|-pe$)/;
/** Flags among the dropped ones that take their value as the next argument. */
const TAKES_SEPARATE_VALUE = /^(--(test-reporter|test-reporter-destination|test-name-pattern|test-skip-pattern|test-concurrency|test-timeout|test-shard|inspect-port|debug-port|watch-path|cpu-prof-dir|heap-prof-dir|eval|print)|-e|-p|-pe)$/;

/**
 * Node flags for the worker: the parent's loaders (so `--import tsx` carries over when the
 * code runs as TypeScript) plus the heap cap. A .ts worker started without any tsx flag (tsx
 * registered programmatically) gets `--import tsx` added.
 */
export function workerExecArgv(parentExecArgv: string[], maxMemoryMb: number, workerPath: string): string[] {
  const kept: string[] = [];
  for (let i = 0; i < parentExecArgv.length; i++) {
    const flag = parentExecArgv[i]!;
    if (DROPPED_FLAG.test(flag)) {
      if (!flag.includes('=') && TAKES_SEPARATE_VALUE.test(flag)) i++;
      continue;
    }
    kept.push(flag);
  }
  if (workerPath.endsWith('.ts') && !kept.some((flag) => flag.includes('tsx'))) {
    kept.push('--import', import.meta.resolve('tsx'));
  }
  return [...kept, `--max-old-space-size=${Math.max(16, Math.floor(maxMemoryMb))}`];
}
