import * as OTPAuth from 'otpauth';
import { setTimeout as sleep } from 'node:timers/promises';

const PERIOD_MS = 30_000;
/** How much of the current step must remain before a test may take the previous step's code. */
const EDGE_MARGIN_MS = 3_000;

/** What an authenticator app shows for `secret`: the code for now, or `steps` 30 s steps away. */
export function totpCode(secret: string, steps = 0): string {
  const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 });
  return totp.generate({ timestamp: Date.now() + steps * PERIOD_MS });
}

/**
 * The previous step's code, so the current and next steps stay unused for the test's logins (each step is
 * accepted once). The server accepts ±1 step: near the end of a step this waits for the next one, so the
 * code is not two steps old by the time the server checks it.
 */
export async function previousTotpCode(secret: string): Promise<string> {
  const left = PERIOD_MS - (Date.now() % PERIOD_MS);
  if (left < EDGE_MARGIN_MS) await sleep(left + 50);
  return totpCode(secret, -1);
}

/** A six-digit code that is valid for no step the server accepts (nor the ones beside them), for "wrong code" cases. */
export function wrongTotpCode(secret: string): string {
  const valid = new Set([-2, -1, 0, 1, 2].map((steps) => totpCode(secret, steps)));
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}
