import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildWidget, widgetSourceDir } from '../../../../scripts/build-widget.js';
import { widgetBundlePath } from '../../../paths.js';

let ready: Promise<string> | undefined;

const newestSource = (dir: string): number =>
  Math.max(...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newestSource(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));

/**
 * The built widget.js that the app serves, built first (once per test process) when it is missing
 * or older than widget/src, so the tests never run against a stale bundle and never skip.
 */
export function ensureWidgetBundle(): Promise<string> {
  ready ??= (async () => {
    const built = statSync(widgetBundlePath, { throwIfNoEntry: false });
    if (!built || built.mtimeMs < newestSource(widgetSourceDir)) await buildWidget();
    return widgetBundlePath;
  })();
  return ready;
}
