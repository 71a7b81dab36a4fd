// Small number helpers shared by the bench scripts.

/** The p-th percentile (0–100) of `values`, nearest-rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** "p50 1.2 ms  p95 3.4 ms  max 9.9 ms  (n=200)" */
export function latencySummary(ms: number[]): string {
  const f = (x: number) => `${x.toFixed(1)} ms`;
  // Not Math.max(...ms): spreading ~100k+ values overflows the call stack (bench:chat crashed there).
  const max = ms.reduce((a, b) => (b > a ? b : a), -Infinity);
  return `p50 ${f(percentile(ms, 50))}  p95 ${f(percentile(ms, 95))}  max ${f(max)}  (n=${ms.length})`;
}

export const mb = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
export const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
