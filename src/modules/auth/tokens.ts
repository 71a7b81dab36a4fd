import { randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import type { Role } from '../../db/schema.js';
import { AppError } from '../../http/errors.js';

export const ACCESS_TOKEN_SECONDS = 30 * 60;
export const REFRESH_TOKEN_SECONDS = 7 * 24 * 60 * 60;
const ISSUER = 'shiori';
// Pinned: a token claiming any other algorithm (including "none") is refused by jwtVerify.
const ALGORITHM = 'HS256';
// Instances' clocks may differ by a little; a token "issued" further in the future than this is refused.
const CLOCK_TOLERANCE_SECONDS = 5;
const LIFETIME_SECONDS = { access: ACCESS_TOKEN_SECONDS, refresh: REFRESH_TOKEN_SECONDS } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AccessClaims {
  sub: string;
  tid: string;
  role: Role;
  sid: string;
  typ: 'access';
  jti: string;
  iat: number;
  exp: number;
}

export interface RefreshClaims {
  sub: string;
  sid: string;
  typ: 'refresh';
  jti: string;
  iat: number;
  exp: number;
}

export interface TokenService {
  signAccess(claims: { userId: string; tenantId: string; role: Role; sessionId: string }): Promise<string>;
  signRefresh(claims: { userId: string; sessionId: string }): Promise<{ token: string; jti: string; expiresAt: Date }>;
  verifyAccess(token: string): Promise<AccessClaims>;
  verifyRefresh(token: string): Promise<RefreshClaims>;
}

export function createTokenService(secret: Uint8Array): TokenService {
  async function sign(payload: Record<string, unknown>, subject: string, seconds: number, jti: string) {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT(payload)
      .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
      .setIssuer(ISSUER)
      .setSubject(subject)
      .setJti(jti)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + seconds)
      .sign(secret);
  }

  async function verify(token: string, typ: 'access' | 'refresh') {
    try {
      // maxTokenAge refuses an iat in the future or older than the lifetime we issue, whatever exp says.
      const { payload } = await jwtVerify(token, secret, {
        algorithms: [ALGORITHM],
        issuer: ISSUER,
        requiredClaims: ['sub', 'jti', 'iat', 'exp'],
        maxTokenAge: LIFETIME_SECONDS[typ],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
      });
      if (payload.typ !== typ) throw new AppError('AUTHENTICATION_ERROR', { ja: `${typ === 'access' ? 'アクセス' : '更新'}トークンではありません。`, en: `Not an ${typ} token` });
      // The ids go into queries on uuid columns: anything else is a bad token, not a database error.
      const ids = typ === 'access' ? [payload.sub, payload.sid, payload.tid] : [payload.sub, payload.sid];
      if (!ids.every((id) => typeof id === 'string' && UUID.test(id))) throw new AppError('AUTHENTICATION_ERROR', { ja: 'トークンが無効です。もう一度ログインしてください。', en: 'Invalid token' });
      return payload;
    } catch (error) {
      if (error instanceof AppError) throw error;
      const expired = error instanceof joseErrors.JWTExpired;
      throw new AppError('AUTHENTICATION_ERROR', expired ? { ja: 'トークンの有効期限が切れました。もう一度ログインしてください。', en: 'Token has expired' } : { ja: 'トークンが無効です。もう一度ログインしてください。', en: 'Invalid token' });
    }
  }

  return {
    signAccess: ({ userId, tenantId, role, sessionId }) =>
      sign({ tid: tenantId, role, sid: sessionId, typ: 'access' }, userId, ACCESS_TOKEN_SECONDS, randomUUID()),
    async signRefresh({ userId, sessionId }) {
      const jti = randomUUID();
      const token = await sign({ sid: sessionId, typ: 'refresh' }, userId, REFRESH_TOKEN_SECONDS, jti);
      return { token, jti, expiresAt: new Date(Date.now() + REFRESH_TOKEN_SECONDS * 1000) };
    },
    verifyAccess: async (token) => (await verify(token, 'access')) as unknown as AccessClaims,
    verifyRefresh: async (token) => (await verify(token, 'refresh')) as unknown as RefreshClaims,
  };
}
