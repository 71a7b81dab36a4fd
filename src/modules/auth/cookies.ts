import type { FastifyReply } from 'fastify';
import { ACCESS_TOKEN_SECONDS, REFRESH_TOKEN_SECONDS } from './tokens.js';

export const ACCESS_COOKIE = 'shiori_access';
export const REFRESH_COOKIE = 'shiori_refresh';
// The refresh cookie is only ever needed by the auth endpoints.
const REFRESH_PATH = '/api/v1/auth';

const base = (secure: boolean) => ({ httpOnly: true, sameSite: 'strict' as const, secure });

export function setSessionCookies(reply: FastifyReply, secure: boolean, tokens: { access: string; refresh?: string }): void {
  reply.setCookie(ACCESS_COOKIE, tokens.access, { ...base(secure), path: '/', maxAge: ACCESS_TOKEN_SECONDS });
  if (tokens.refresh) reply.setCookie(REFRESH_COOKIE, tokens.refresh, { ...base(secure), path: REFRESH_PATH, maxAge: REFRESH_TOKEN_SECONDS });
}

export function clearSessionCookies(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(ACCESS_COOKIE, { ...base(secure), path: '/' });
  reply.clearCookie(REFRESH_COOKIE, { ...base(secure), path: REFRESH_PATH });
}
