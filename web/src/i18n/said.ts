import type { MessageKey } from './en.js';

/** A message kept as its key and values, not as text, so it follows a language switch: `t(...said)`. */
export type Said = [key: MessageKey, values?: Record<string, string | number>];
