import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';

// RFC 6238 as authenticator apps expect it (docs/decisions.md D4): SHA-1, 6 digits, 30 s, ±1 step.
const PERIOD_SECONDS = 30;
const DIGITS = 6;
const WINDOW = 1;
const ISSUER = 'Shiori';

function totpFor(secretBase32: string, account = ''): OTPAuth.TOTP {
  return new OTPAuth.TOTP({
    issuer: ISSUER,
    label: account,
    algorithm: 'SHA1',
    digits: DIGITS,
    period: PERIOD_SECONDS,
    secret: OTPAuth.Secret.fromBase32(secretBase32),
  });
}

/** A new 160-bit secret in base32, as RFC 4226 recommends. */
export function generateTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

export function totpUri(secretBase32: string, account: string): string {
  return totpFor(secretBase32, account).toString();
}

/** The `otpauth://` URI as a PNG QR code in a data URL, so it renders with no network. */
export function totpQrDataUrl(uri: string): Promise<string> {
  return QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
}

/**
 * Returns the time step the code belongs to (to refuse its reuse), or null when it does not match.
 * Example: matchTotpStep(secret, '287082', 59_000) for the RFC 6238 SHA-1 vector.
 */
export function matchTotpStep(secretBase32: string, code: string, nowMs = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secretBase32).validate({ token: code, timestamp: nowMs, window: WINDOW });
  return delta === null ? null : Math.floor(nowMs / 1000 / PERIOD_SECONDS) + delta;
}

export function generateTotpCode(secretBase32: string, nowMs = Date.now()): string {
  return totpFor(secretBase32).generate({ timestamp: nowMs });
}
