import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface LocalSecret {
  value: Buffer;
  /** True when it was generated now because no configured or stored secret existed. */
  generated: boolean;
  path: string;
}

/**
 * Reads a secret kept in DATA_DIR/secrets/<name>, creating it (mode 0600) on first use.
 * Used only when the operator has not configured one, so a fresh install works with no setup.
 */
export function loadOrCreateLocalSecret(dataDir: string, name: string, bytes = 32): LocalSecret {
  const dir = join(dataDir, 'secrets');
  const path = join(dir, name);
  if (existsSync(path)) return { value: Buffer.from(readFileSync(path, 'utf8').trim(), 'base64'), generated: false, path };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const value = randomBytes(bytes);
  writeFileSync(path, value.toString('base64'), { mode: 0o600, flag: 'wx' });
  return { value, generated: true, path };
}
