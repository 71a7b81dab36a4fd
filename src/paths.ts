import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root, whether this runs from src/ (tsx) or from dist/ (compiled). */
export const projectRoot = fileURLToPath(new URL('../', import.meta.url));

/** The embeddable script, built from widget/ by `npm run build` (scripts/build-widget.ts) and served at /widget.js. */
export const widgetBundlePath = join(projectRoot, 'dist', 'widget', 'widget.js');

/** The dashboard, built from web/ by `npm run build` (scripts/build-web.ts) and served at / by src/modules/web. */
export const webDistDir = join(projectRoot, 'dist', 'web');
