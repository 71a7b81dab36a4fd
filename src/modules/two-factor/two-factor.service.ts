import type { RateLimiter, RateLimitRule } from '../../http/rate-limit.js';
import { AppError } from '../../http/errors.js';
import { hmacSha256, safeEqual, verifyPassword } from '../../lib/hashing.js';
import type { SecretBox } from '../../lib/secret-box.js';
import type { Database } from '../../db/client.js';
import { createSessionsRepo } from '../auth/sessions.repo.js';
import { createUsersRepo, type UserRow } from '../auth/users.repo.js';
import { generateRecoveryCodes, looksLikeTotpCode, normalizeRecoveryCode } from './recovery-codes.js';
import { generateTotpSecret, matchTotpStep, totpQrDataUrl, totpUri } from './totp.js';
import { createTwoFactorRepo } from './two-factor.repo.js';

// Five wrong codes in five minutes locks code entry for five minutes: 10^6 codes stay out of reach.
const totpFailures: RateLimitRule = { name: 'totp-failures', points: 5, durationSeconds: 300, blockSeconds: 300 };

export interface TwoFactorDeps {
  db: Database;
  box: SecretBox;
  recoveryKey: Buffer;
  limiter: RateLimiter;
}

export interface TwoFactorSetup {
  secret_key: string;
  otpauth_url: string;
  qr_url: string;
}

export function createTwoFactorService(deps: TwoFactorDeps) {
  const { box, limiter } = deps;
  const users = createUsersRepo(deps.db);
  const sessions = createSessionsRepo(deps.db);
  const repo = createTwoFactorRepo(deps.db);
  const hashRecovery = (code: string) => hmacSha256(deps.recoveryKey, normalizeRecoveryCode(code));

  async function issueRecoveryCodes(userId: string): Promise<string[]> {
    const codes = generateRecoveryCodes();
    await repo.replaceRecoveryCodes(userId, codes.map(hashRecovery));
    return codes;
  }

  /**
   * Checks a TOTP or recovery code for a user with 2FA on. Each TOTP code works once and each
   * recovery code once; wrong codes are rate limited per user.
   */
  async function verifyCode(user: UserRow, code: string): Promise<void> {
    const refusal = { code: 'ACCOUNT_LOCKED' as const, detail: (s: number) => ({ ja: `間違ったコードが多すぎます。${s} 秒後にもう一度お試しください。`, en: `Too many wrong codes. Try again in ${s} seconds.` }) };
    await limiter.assertNotBlocked(totpFailures, user.id, refusal);
    if (await codeIsValid(user, code)) return;
    await limiter.penalize(totpFailures, user.id);
    throw new AppError('INVALID_TWO_FACTOR_CODE', { ja: '認証コードが正しくないか、期限切れか、すでに使われています。認証アプリに表示されている最新のコードを入力してください。', en: 'The two-factor code is wrong, expired or already used' });
  }

  /** 2FA off, recovery codes deleted and the user's other sessions ended, all or nothing. */
  async function turnOff(user: UserRow, keepSessionId: string | undefined, reason: string): Promise<void> {
    await deps.db.transaction(async (tx) => {
      await createUsersRepo(tx).update(user.id, { totpSecret: null, totpPendingSecret: null, totpLastStep: null });
      await createTwoFactorRepo(tx).replaceRecoveryCodes(user.id, []);
      await createSessionsRepo(tx).revokeOthers(user.id, keepSessionId, reason);
    });
  }

  async function codeIsValid(user: UserRow, code: string): Promise<boolean> {
    if (!user.totpSecret) return false;
    if (looksLikeTotpCode(code)) {
      const step = matchTotpStep(box.open(user.totpSecret), code.trim());
      return step !== null && (await repo.advanceTotpStep(user.id, step));
    }
    return repo.spendRecoveryCode(user.id, hashRecovery(code));
  }

  return {
    verifyCode,

    /** Starts enrolment: a fresh secret waits (encrypted) until a code proves the app has it. */
    async setup(user: UserRow): Promise<TwoFactorSetup> {
      if (user.totpSecret) throw new AppError('CONFLICT', { ja: '二要素認証はすでに有効です。', en: 'Two-factor authentication is already enabled' }, { status: 400 });
      const secret = generateTotpSecret();
      await users.update(user.id, { totpPendingSecret: box.seal(secret) });
      const uri = totpUri(secret, user.email ?? user.username);
      return { secret_key: secret, otpauth_url: uri, qr_url: await totpQrDataUrl(uri) };
    },

    /** docs/decisions.md D4: enabling needs a valid code; returns the ten recovery codes, shown once. */
    async enable(user: UserRow, input: { code: string; secretKey?: string; keepSessionId?: string }): Promise<string[]> {
      if (user.totpSecret) throw new AppError('CONFLICT', { ja: '二要素認証はすでに有効です。', en: 'Two-factor authentication is already enabled' }, { status: 400 });
      if (!user.totpPendingSecret) throw new AppError('BAD_REQUEST', { ja: '先に二要素認証の設定を始めてください（確認待ちのシークレットがありません）。', en: 'Start two-factor set-up first: no secret is waiting to be confirmed' });
      const pending = box.open(user.totpPendingSecret);
      if (input.secretKey !== undefined && !safeEqual(input.secretKey.replace(/\s/g, '').toUpperCase(), pending)) {
        throw new AppError('BAD_REQUEST', { ja: 'secret_key が最新の設定で発行されたシークレットと一致しません。', en: 'secret_key does not match the secret from the latest set-up' });
      }
      await limiter.assertNotBlocked(totpFailures, user.id);
      const step = matchTotpStep(pending, input.code.trim());
      if (step === null) {
        await limiter.penalize(totpFailures, user.id);
        throw new AppError('INVALID_TWO_FACTOR_CODE', { ja: 'コードが一致しません。スマートフォンの時刻を確認し、最新のコードを入力してください。', en: 'The code does not match: check the time on your phone and try the newest code' }, { status: 400 });
      }
      await users.update(user.id, { totpSecret: user.totpPendingSecret, totpPendingSecret: null, totpLastStep: step });
      await sessions.revokeOthers(user.id, input.keepSessionId, '2fa-enabled');
      return issueRecoveryCodes(user.id);
    },

    async disable(user: UserRow, input: { password: string; code: string; keepSessionId?: string }): Promise<void> {
      if (!user.totpSecret) throw new AppError('BAD_REQUEST', { ja: '二要素認証は有効になっていません。', en: 'Two-factor authentication is not enabled' });
      if (!(await verifyPassword(user.passwordHash, input.password))) throw new AppError('INVALID_CREDENTIALS', { ja: 'パスワードが正しくありません。', en: 'Password is incorrect' });
      await verifyCode(user, input.code);
      await turnOff(user, input.keepSessionId, '2fa-disabled');
    },

    async regenerateRecoveryCodes(user: UserRow, code: string): Promise<string[]> {
      if (!user.totpSecret) throw new AppError('BAD_REQUEST', { ja: '二要素認証は有効になっていません。', en: 'Two-factor authentication is not enabled' });
      await verifyCode(user, code);
      return issueRecoveryCodes(user.id);
    },

    /**
     * An ADMIN's reset for a member (already found in the ADMIN's tenant) who lost their phone and
     * recovery codes: every session of theirs ends too, so whoever holds one must log in again.
     */
    reset: (member: UserRow) => turnOff(member, undefined, '2fa-reset'),

    remainingRecoveryCodes: (userId: string) => repo.remainingRecoveryCodes(userId),
  };
}

export type TwoFactorService = ReturnType<typeof createTwoFactorService>;
