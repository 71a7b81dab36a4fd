import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { AppError, type ErrorCode } from './errors.js';
import type { Text } from './language.js';

export interface RateLimitRule {
  /** Unique per rule: it namespaces the counters (in Redis too). */
  name: string;
  points: number;
  durationSeconds: number;
  /** Once the points are spent, keep refusing for this long (defaults to the rest of the window). */
  blockSeconds?: number;
  /** What a route's rule counts: the client address (default, checked before authentication) or the signed-in user. */
  per?: 'ip' | 'user';
}

export interface RateLimitState {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

export interface RateLimiter {
  /** Spends one point for `key`; throws a 429 AppError when none are left. */
  consume(rule: RateLimitRule, key: string, refusal?: Refusal): Promise<RateLimitState>;
  /** Throws the 429 if `key` is currently blocked, without spending a point. */
  assertNotBlocked(rule: RateLimitRule, key: string, refusal?: Refusal): Promise<void>;
  /** Counts one failure without refusing this request (the next one is refused). */
  penalize(rule: RateLimitRule, key: string): Promise<void>;
  reset(rule: RateLimitRule, key: string): Promise<void>;
}

export interface Refusal {
  code?: ErrorCode;
  detail?: (retryAfterSeconds: number) => Text;
}

/** The refusal of every limit that has no wording of its own. */
export const tooManyRequests = (seconds: number): Text => ({
  ja: `リクエストが多すぎます。${seconds} 秒後にもう一度お試しください。`,
  en: `Too many requests. Try again in ${seconds} seconds.`,
});

/** Counters live in Redis when it is configured (shared by all instances), else in this process. */
export function createRateLimiter({ redis, keyPrefix }: { redis?: Redis; keyPrefix: string }): RateLimiter {
  const limiters = new Map<string, RateLimiterAbstract>();

  function limiterFor(rule: RateLimitRule): RateLimiterAbstract {
    let limiter = limiters.get(rule.name);
    if (!limiter) {
      const options = {
        keyPrefix: `${keyPrefix}:rl:${rule.name}`,
        points: rule.points,
        duration: rule.durationSeconds,
        blockDuration: rule.blockSeconds ?? 0,
      };
      limiter = redis
        ? // If Redis goes away, keep limiting per process rather than letting everything through.
          new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) })
        : new RateLimiterMemory(options);
      limiters.set(rule.name, limiter);
    }
    return limiter;
  }

  const refuse = (res: RateLimiterRes, refusal: Refusal = {}) => {
    const retryAfterSeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    return new AppError(
      refusal.code ?? 'RATE_LIMIT_EXCEEDED',
      refusal.detail?.(retryAfterSeconds) ?? tooManyRequests(retryAfterSeconds),
      { retryAfterSeconds },
    );
  };

  return {
    async consume(rule, key, refusal) {
      try {
        const res = await limiterFor(rule).consume(key);
        return { limit: rule.points, remaining: res.remainingPoints, resetSeconds: Math.ceil(res.msBeforeNext / 1000) };
      } catch (error) {
        if (error instanceof RateLimiterRes) throw refuse(error, refusal);
        throw error;
      }
    },
    async assertNotBlocked(rule, key, refusal) {
      const res = await limiterFor(rule).get(key);
      if (res && res.consumedPoints >= rule.points && res.msBeforeNext > 0) throw refuse(res, refusal);
    },
    async penalize(rule, key) {
      await limiterFor(rule)
        .consume(key)
        .catch((error: unknown) => {
          if (!(error instanceof RateLimiterRes)) throw error;
        });
    },
    async reset(rule, key) {
      await limiterFor(rule).delete(key);
    },
  };
}
