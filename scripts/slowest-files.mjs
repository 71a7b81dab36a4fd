// A node:test reporter that prints, when the run ends, the test files that took longest (the sum
// of their top-level tests), so a slow CI run says where its time went.
// Used beside the spec reporter by run-tests.mjs; SLOWEST_FILES sets how many (default 15).
import { relative } from 'node:path';

export default async function* slowestFiles(source) {
  const perFile = new Map();
  for await (const event of source) {
    if ((event.type === 'test:pass' || event.type === 'test:fail') && event.data.nesting === 0 && event.data.file) {
      const file = relative(process.cwd(), event.data.file);
      perFile.set(file, (perFile.get(file) ?? 0) + (event.data.details?.duration_ms ?? 0));
    }
  }
  const count = Number(process.env.SLOWEST_FILES ?? 15);
  const slowest = [...perFile].sort((a, b) => b[1] - a[1]).slice(0, count);
  if (slowest.length === 0) return;
  const total = [...perFile.values()].reduce((sum, ms) => sum + ms, 0);
  yield `\nslowest test files (of ${perFile.size}, ${(total / 1000).toFixed(0)} s in all):\n`;
  for (const [file, ms] of slowest) yield `${(ms / 1000).toFixed(1).padStart(7)} s  ${file}\n`;
}
