// Compiles src/ into dist/ (tsconfig.build.json) and fails if test code got in: a production file
// that imports a test helper pulls it into the build whatever the tsconfig excludes. `npm run build`
// runs this first. Earlier output is removed (dist/web and dist/widget, built next, are kept), so
// files of moved or deleted sources cannot linger in dist/.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, type Dirent } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { projectRoot } from '../src/paths.js';

const distDir = join(projectRoot, 'dist');
const builtByOthers = new Set(['web', 'widget']);

/** What counts as test code in src/, by the layout's conventions: `*.test.ts`, `src/test/`, any `test-support/`. */
function isTestCode(path: string): boolean {
  const parts = path.split(sep);
  return parts.includes('test-support') || parts[0] === 'test' || /\.test\.(js|ts|d\.ts)(\.map)?$/.test(path);
}

/** The files under `dir` that are test code, relative to it. */
function testCodeIn(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .filter((path) => !builtByOthers.has(path.split(sep)[0]!) && isTestCode(path))
    .sort();
}

function buildServer(): void {
  for (const entry of existsSync(distDir) ? readdirSync(distDir, { withFileTypes: true }) : []) {
    if (!builtByOthers.has(entry.name)) rmSync(join(distDir, entry.name), { recursive: true, force: true });
  }
  const tsc = join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const compiled = spawnSync(process.execPath, [tsc, '-p', join(projectRoot, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (compiled.status !== 0) process.exit(compiled.status ?? 1);
  const leaked = testCodeIn(distDir);
  if (leaked.length > 0) {
    console.error(`Test code in dist/ (a file outside the tests imports it; move what production needs out of the test folders):\n  ${leaked.join('\n  ')}`);
    process.exit(1);
  }
}

buildServer();
