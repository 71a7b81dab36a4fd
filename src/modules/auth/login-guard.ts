import type { Config } from '../../config.js';
import type { RateLimiter, RateLimitRule } from '../../http/rate-limit.js';

/**
 * Slows password guessing without letting a stranger lock an owner out for good, and without
 * budgeting an office's successful logins (docs/decisions.md D10: a whole office shares one NAT address):
 * - every attempt on an account counts toward its `authPerMinute` (429 RATE_LIMIT_EXCEEDED);
 * - a few failures on one account from one address block that pair for a while, and a correct
 *   login clears them; many failures on the account from anywhere lock it briefly;
 * - only failures are counted per address: `loginAddressMaxFailures` wrong logins on any accounts
 *   (a password spray) block the address from logging in for the lock time.
 * Locks expire on their own.
 */
export function createLoginGuard(limiter: RateLimiter, limits: Config['rateLimits']) {
  const lockSeconds = limits.loginLockMinutes * 60;
  const attemptsPerAccount: RateLimitRule = { name: 'login-acct', points: limits.authPerMinute, durationSeconds: 60 };
  const failuresPerAddress: RateLimitRule = { name: 'login-fail-addr', points: limits.loginAddressMaxFailures, durationSeconds: lockSeconds, blockSeconds: lockSeconds };
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
      await limiter.assertNotBlocked(failuresPerAddress, ip, refusal);
      await limiter.assertNotBlocked(perAccountAndAddress, k.pair, refusal);
      await limiter.assertNotBlocked(perAccount, k.account, refusal);
      await limiter.consume(attemptsPerAccount, k.account);
    },
    async recordFailure(account: string, ip: string) {
      const k = keys(account, ip);
      await limiter.penalize(perAccountAndAddress, k.pair);
      await limiter.penalize(perAccount, k.account);
      await limiter.penalize(failuresPerAddress, ip);
    },
    recordSuccess: (account: string, ip: string) => limiter.reset(perAccountAndAddress, keys(account, ip).pair),
  };
}

export type LoginGuard = ReturnType<typeof createLoginGuard>;
