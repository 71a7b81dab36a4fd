import type { FastifyRequest } from 'fastify';
import type { Role } from '../db/schema.js';
import { AppError } from './errors.js';
import type { RateLimitRule } from './rate-limit.js';

/** Who is calling: travels from the auth hook to the services as one object. */
export interface Principal {
  userId: string;
  tenantId: string;
  role: Role;
  sessionId: string;
  via: 'bearer' | 'cookie';
}

/** `widget`: the publishable widget key (X-API-Key), checked by the widget module itself. */
export type AuthRequirement = 'public' | 'user' | 'admin' | 'widget';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
  interface FastifyContextConfig {
    /** Every /api route declares this; the auth hook enforces it. */
    auth?: AuthRequirement;
    rateLimit?: RateLimitRule;
    /** The /api surface answers 400 for invalid input where the rest of the API answers 422 (docs/decisions.md C11). */
    validationStatus?: 400;
  }
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('AUTHENTICATION_ERROR', { ja: 'ログインしてください。', en: 'Authentication required' });
  return request.principal;
}
