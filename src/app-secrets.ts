import { hkdfSync } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';
import { loadOrCreateLocalSecret } from './lib/local-secrets.js';

export interface AppSecrets {
  jwtKey: Uint8Array;
  encryptionKey: Buffer;
  /** Derived from the encryption key: HMAC key for recovery codes. */
  recoveryCodeKey: Buffer;
  /** Derived from the encryption key: HMAC key for the widget's signed file links. */
  fileLinkKey: Buffer;
}

/**
 * Secrets come from the environment; otherwise they are generated once into DATA_DIR so a fresh
 * install works. Several instances must share them, so production sets them explicitly.
 */
export function resolveAppSecrets(config: Config, log: FastifyBaseLogger): AppSecrets {
  const jwtKey = config.jwtSecret ? Buffer.from(config.jwtSecret, 'utf8') : local(config, 'jwt.key', 'JWT_SECRET', log);
  const encryptionKey = config.encryptionKey ?? local(config, 'encryption.key', 'ENCRYPTION_KEY', log);
  const recoveryCodeKey = Buffer.from(hkdfSync('sha256', encryptionKey, Buffer.alloc(0), 'shiori recovery codes', 32));
  const fileLinkKey = Buffer.from(hkdfSync('sha256', encryptionKey, Buffer.alloc(0), 'shiori widget file links', 32));
  return { jwtKey, encryptionKey, recoveryCodeKey, fileLinkKey };
}

function local(config: Config, file: string, variable: string, log: FastifyBaseLogger): Buffer {
  const secret = loadOrCreateLocalSecret(config.dataDir, file);
  const how = secret.generated ? 'generated a new one and saved it' : 'using the one saved';
  log.warn(`${variable} is not set: ${how} in ${secret.path}. Set ${variable} in production and share it between instances.`);
  return secret.value;
}
