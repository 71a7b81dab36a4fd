import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { newestModification, webSourceDir } from '../../../../scripts/build-web.js';
import { projectRoot, webDistDir } from '../../../paths.js';

let ready: Promise<void> | undefined;

/** The sources the bundle is built from: web/ and the server files it shares (schemas, enums, field messages). */
function newestSource(): number {
  const [modules, http, enums] = ['src/modules', 'src/http', 'src/db/enums.ts'].map((p) => join(projectRoot, p));
  return Math.max(newestModification(webSourceDir), newestModification(modules!), newestModification(http!), statSync(enums!).mtimeMs);
}

/**
 * The built dashboard the app serves, built first (once per test process) when it is missing or
 * older than its sources, so the browser tests never run against a stale bundle and never skip.
 */
export function ensureWebBundle(): Promise<void> {
  ready ??= (async () => {
    const built = statSync(join(webDistDir, 'index.html'), { throwIfNoEntry: false });
    if (built && built.mtimeMs >= newestSource()) return;
    // A child process with NODE_ENV=production (the test runner sets NODE_ENV=test, which would
    // give React's development build), exactly as `npm run build` makes it.
    await promisify(execFile)(process.execPath, ['--import', 'tsx', join(projectRoot, 'scripts', 'build-web.ts')], {
      cwd: projectRoot,
      env: { ...process.env, NODE_ENV: 'production' },
    });
  })();
  return ready;
}
