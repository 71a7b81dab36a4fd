import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries the signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` (like Stripe's). */
export const SIGNATURE_HEADER = 'Shiori-Signature';

const hmacHex = (secret: string, timestamp: number, rawBody: string | Buffer) =>
  createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');

/** The Shiori-Signature value for `rawBody` sent at `timestamp` (unix seconds). */
export const signWebhook = (secret: string, timestamp: number, rawBody: string): string => `t=${timestamp},v1=${hmacHex(secret, timestamp, rawBody)}`;

/**
 * What a receiver runs on each request: true when `header` (Shiori-Signature) signs exactly
 * `rawBody` (the bytes received, before any JSON parsing) with `secret`, at a time within
 * `toleranceSeconds` of now, so a recorded request cannot be replayed later.
 * Example: verifyWebhookSignature(process.env.SHIORI_WEBHOOK_SECRET, req.headers['shiori-signature'], body)
 */
export function verifyWebhookSignature(secret: string, header: string | undefined, rawBody: string | Buffer, toleranceSeconds = 300, nowSeconds = Date.now() / 1000): boolean {
  if (!header) return false;
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamp = Number(parts.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(hmacHex(secret, timestamp, rawBody), 'hex');
  return parts.some(([key, value]) => key === 'v1' && /^[0-9a-f]{64}$/.test(value ?? '') && timingSafeEqual(Buffer.from(value!, 'hex'), expected));
}
