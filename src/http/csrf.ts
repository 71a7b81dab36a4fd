import type { FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Cookie-authenticated writes must come from our own pages. SameSite=Strict already keeps the
 * cookie off cross-site requests; this Origin check also covers same-site sibling origins and
 * older browsers. Non-browser clients use the Authorization header and are not affected.
 */
export function assertSameOrigin(request: FastifyRequest): void {
  if (request.headers['sec-fetch-site'] === 'cross-site') throw csrfError();
  const origin = request.headers.origin ?? originOfReferer(request.headers.referer);
  if (!origin || origin === 'null') throw csrfError();
  const allowed = new Set([new URL(request.publicUrl).origin]);
  const host = request.headers.host;
  if (host) allowed.add(`${request.protocol}://${host}`);
  if (!allowed.has(origin)) throw csrfError();
}

function originOfReferer(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

const csrfError = () =>
  new AppError('CSRF_FAILED', { ja: '別のサイトからのリクエストは受け付けられません。このサイトのページから操作してください（API では Authorization ヘッダーを使ってください）。', en: 'Cross-site request refused: cookie-authenticated requests must come from this site (or use an Authorization header)' });
