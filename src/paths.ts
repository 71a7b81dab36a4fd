import { fileURLToPath } from 'node:url';

/** The project root, whether this runs from src/ (tsx) or from dist/ (compiled). */
export const projectRoot = fileURLToPath(new URL('../', import.meta.url));
