import type { Config } from '../../config.js';
import type { RateLimiter, RateLimitRule } from '../../http/rate-limit.js';

/**
 * Slows password guessing on one account without letting a stranger lock its owner out for good:
 * a few failures from one address block that address for a while; many failures from anywhere
 * lock the account briefly. Locks expire on their own, and a correct login clears its address.
 */
export function createLoginGuard(limiter: RateLimiter, limits: Config['rateLimits']) {
  const lockSeconds = limits.loginLockMinutes * 60;
  const perAccountAndAddress: RateLimitRule = { name: 'login-fail-ip', points: limits.loginMaxFailures, durationSeconds: lockSeconds, blockSeconds: lockSeconds };
  const perAccount: RateLimitRule = { name: 'login-fail-acct', points: limits.loginMaxFailures * 4, durationSeconds: 3600, blockSeconds: lockSeconds };
  const refusal = {
    code: 'ACCOUNT_LOCKED' as const,
    detail: (s: number) => ({ ja: `ログインの失敗が多すぎます。${Math.ceil(s / 60)} 分後にもう一度お試しください。`, en: `Too many failed sign-in attempts. Try again in ${Math.ceil(s / 60)} minute(s).` }),
  };
  // The identifier, not the user id: unknown accounts behave exactly like known ones.
  const keys = (account: string, ip: string) => ({ pair: `${account.toLowerCase()}|${ip}`, account: account.toLowerCase() });

  return {
    async assertAllowed(account: string, ip: string) {
      const k = keys(account, ip);
      await limiter.assertNotBlocked(perAccountAndAddress, k.pair, refusal);
      await limiter.assertNotBlocked(perAccount, k.account, refusal);
    },
    async recordFailure(account: string, ip: string) {
      const k = keys(account, ip);
      await limiter.penalize(perAccountAndAddress, k.pair);
      await limiter.penalize(perAccount, k.account);
    },
    recordSuccess: (account: string, ip: string) => limiter.reset(perAccountAndAddress, keys(account, ip).pair),
  };
}

export type LoginGuard = ReturnType<typeof createLoginGuard>;
