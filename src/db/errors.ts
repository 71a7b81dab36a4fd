import { errorCauses } from '../lib/error-causes.js';

/** True when a query failed on a UNIQUE constraint (both drivers; drizzle may wrap the error). */
export function isUniqueViolation(error: unknown): boolean {
  for (const e of errorCauses(error)) if (e.code === '23505') return true;
  return false;
}

/** Connection failures and the server shutting down or starting (SQLSTATE classes 08 and 57P). */
const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03']);

/**
 * True when a query failed because the database could not be reached or was restarting, not
 * because of what was asked: worth retrying as is, and nobody's fault (node-postgres reports a
 * dropped connection by message only).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const e of errorCauses(error)) {
    if (typeof e.code === 'string' && (UNAVAILABLE_CODES.has(e.code) || e.code.startsWith('08'))) return true;
    if (typeof e.message === 'string' && /^Connection terminated|^Client has encountered a connection error/.test(e.message)) return true;
  }
  return false;
}
