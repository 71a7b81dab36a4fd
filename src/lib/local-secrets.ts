import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LocalSecret {
  value: Buffer;
  /** True when it was generated now because no configured or stored secret existed. */
  generated: boolean;
  path: string;
}

/**
 * Reads a secret kept in DATA_DIR/secrets/<name>, creating it (mode 0600) on first use.
 * Used only when the operator has not configured one, so a fresh install works with no setup.
 * Two processes starting together (server and worker) agree: the file is created exclusively.
 */
export function loadOrCreateLocalSecret(dataDir: string, name: string, bytes = 32): LocalSecret {
  const dir = join(dataDir, 'secrets');
  const path = join(dir, name);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const value = randomBytes(bytes);
  try {
    writeFileSync(path, value.toString('base64'), { mode: 0o600, flag: 'wx' });
    return { value, generated: true, path };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { value: Buffer.from(readFileSync(path, 'utf8').trim(), 'base64'), generated: false, path };
  }
}
