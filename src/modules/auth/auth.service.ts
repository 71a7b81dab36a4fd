import type { Database } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { AppError } from '../../http/errors.js';
import type { Principal } from '../../http/request-context.js';
import { dummyPasswordHash, hashPassword, sha256, verifyPassword } from '../../lib/hashing.js';
import { createTenantsRepo } from '../tenants/tenants.repo.js';
import type { LoginGuard } from './login-guard.js';
import { createSessionsRepo } from './sessions.repo.js';
import type { TokenService } from './tokens.js';
import { REFRESH_TOKEN_SECONDS } from './tokens.js';
import { createUsersRepo, type UserRow } from './users.repo.js';

/** What logging in needs of two-factor authentication (the two-factor module's service). */
export interface SecondFactor {
  /** Resolves when `code` is the user's current TOTP code or an unused recovery code; throws the AppError otherwise. */
  verifyCode(user: UserRow, code: string): Promise<void>;
}

export interface AuthDeps {
  db: Database;
  tokens: TokenService;
  twoFactor: SecondFactor;
  loginGuard: LoginGuard;
}

export interface ClientInfo {
  ip: string;
  userAgent?: string;
}

export interface SessionTokens {
  accessToken: string;
  refreshToken: string;
  sessionId: string;
}

export function createAuthService(deps: AuthDeps) {
  const { db, tokens, twoFactor, loginGuard } = deps;
  const users = createUsersRepo(db);
  const sessions = createSessionsRepo(db);
  const tenants = createTenantsRepo(db);

  async function assertAvailable(input: { email?: string | null; username: string; domain?: string }) {
    if (input.domain && (await tenants.domainTaken(input.domain))) throw new AppError('CONFLICT', { ja: 'このドメインの組織はすでに登録されています。その組織の ADMIN に招待を依頼してください。', en: 'A tenant with this domain already exists; ask its ADMIN for an invitation' });
    if (input.email && (await users.emailTaken(input.email))) throw new AppError('CONFLICT', { ja: 'このメールアドレスはすでに登録されています。ログインするか、別のメールアドレスを使ってください。', en: 'This email address is already registered' });
    if (await users.usernameTaken(input.username)) throw new AppError('CONFLICT', { ja: 'このユーザー名はすでに使われています。別のユーザー名を選んでください。', en: 'This username is already taken' });
  }

  /** Creates a tenant and its first user, an ADMIN (docs/decisions.md D1). */
  async function createTenantWithAdmin(input: { email: string | null; username: string; password: string; tenantName: string; domain: string | null }) {
    await assertAvailable({ email: input.email, username: input.username, domain: input.domain ?? undefined });
    const passwordHash = await hashPassword(input.password);
    try {
      return await db.transaction(async (tx) => {
        const tenant = await createTenantsRepo(tx).create({ name: input.tenantName, domain: input.domain });
        return createUsersRepo(tx).createUser({ tenantId: tenant.id, email: input.email, username: input.username, passwordHash, role: 'ADMIN', isVerified: false });
      });
    } catch (error) {
      // Two sign-ups racing for the same name: the unique index decides.
      if (isUniqueViolation(error)) throw new AppError('CONFLICT', { ja: 'このメールアドレス、ユーザー名またはドメインはすでに登録されています。', en: 'This email, username or domain is already registered' });
      throw error;
    }
  }

  async function startSession(user: UserRow, client: ClientInfo): Promise<SessionTokens> {
    const session = await sessions.create({
      userId: user.id,
      tenantId: user.tenantId,
      expiresAt: new Date(Date.now() + REFRESH_TOKEN_SECONDS * 1000),
      userAgent: client.userAgent?.slice(0, 500),
      ip: client.ip,
    });
    await users.update(user.id, { lastLoginAt: new Date() });
    return { ...(await issueTokens(user, session.id)), sessionId: session.id };
  }

  async function issueTokens(user: Pick<UserRow, 'id' | 'tenantId' | 'role'>, sessionId: string) {
    const accessToken = await tokens.signAccess({ userId: user.id, tenantId: user.tenantId, role: user.role, sessionId });
    const refresh = await tokens.signRefresh({ userId: user.id, sessionId });
    await sessions.addRefreshToken({ jtiHash: sha256(refresh.jti), sessionId, expiresAt: refresh.expiresAt });
    return { accessToken, refreshToken: refresh.token };
  }

  /**
   * Password check shared by both surfaces, with lockout. `account` is what the user typed
   * (email or username). Unknown users cost the same time as wrong passwords.
   */
  async function checkPassword(account: string, user: UserRow | undefined, password: string, client: ClientInfo): Promise<UserRow> {
    await loginGuard.assertAllowed(account, client.ip);
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), password);
    if (!user || !ok) {
      await loginGuard.recordFailure(account, client.ip);
      throw new AppError('INVALID_CREDENTIALS');
    }
    if (!user.isActive) throw new AppError('AUTHENTICATION_ERROR', { ja: 'このアカウントは無効になっています。組織の ADMIN に問い合わせてください。', en: 'This account has been deactivated; ask your ADMIN' });
    return user;
  }

  async function login(account: string, user: UserRow | undefined, input: { password: string; totpCode?: string }, client: ClientInfo) {
    const checked = await checkPassword(account, user, input.password, client);
    if (checked.totpSecret) {
      if (!input.totpCode) throw new AppError('TWO_FACTOR_REQUIRED', { ja: '二要素認証が有効です。認証アプリの 6 桁のコード（またはリカバリーコード）を入力してください。', en: 'Two-factor authentication is on: send totp_code (or a recovery code)' });
      await twoFactor.verifyCode(checked, input.totpCode);
    }
    await loginGuard.recordSuccess(account, client.ip);
    return { user: checked, session: await startSession(checked, client) };
  }

  return {
    createTenantWithAdmin,
    checkPassword,
    startSession,

    loginByEmail: (email: string, input: { password: string; totpCode?: string }, client: ClientInfo) =>
      users.findByEmail(email).then((user) => login(email, user, input, client)),
    loginByUsername: (username: string, input: { password: string; totpCode?: string }, client: ClientInfo) =>
      users.findByUsername(username).then((user) => login(username, user, input, client)),

    /** Rotates a refresh token. Presenting a spent one ends the whole session (token theft). */
    async refresh(refreshToken: string): Promise<SessionTokens> {
      const claims = await tokens.verifyRefresh(refreshToken);
      const record = await sessions.spendRefreshToken(sha256(claims.jti));
      if (!record || record.sessionId !== claims.sid) throw new AppError('AUTHENTICATION_ERROR', { ja: 'セッションが無効です。もう一度ログインしてください。', en: 'Invalid refresh token' });
      if (record.spent) {
        await sessions.revoke(claims.sid, 'refresh-reuse');
        throw new AppError('AUTHENTICATION_ERROR', { ja: 'このセッションは安全のため終了しました（更新トークンが再利用されました）。もう一度ログインしてください。', en: 'This refresh token was already used; the session has been ended for safety. Log in again.' });
      }
      const context = await sessions.findActiveContext(claims.sid, claims.sub);
      if (!context) throw new AppError('AUTHENTICATION_ERROR', { ja: 'セッションが終了しました。もう一度ログインしてください。', en: 'Session has ended; log in again' });
      if (!context.isActive) throw new AppError('AUTHENTICATION_ERROR', { ja: 'このアカウントは無効になっています。組織の ADMIN に問い合わせてください。', en: 'This account has been deactivated' });
      // Same rule as authenticate(): a suspended tenant's sessions get no new tokens either.
      if (context.tenantStatus === 'SUSPENDED') throw new AppError('PERMISSION_DENIED', { ja: 'この組織は停止されています。', en: 'This tenant is suspended' });
      return { ...(await issueTokens({ id: context.userId, tenantId: context.tenantId, role: context.role }, claims.sid)), sessionId: claims.sid };
    },

    logout: (principal: Principal) => sessions.revoke(principal.sessionId, 'logout'),

    /** Access token → caller. Role and status come from the database, never from the token alone. */
    async authenticate(accessToken: string): Promise<Omit<Principal, 'via'>> {
      const claims = await tokens.verifyAccess(accessToken);
      const context = await sessions.findActiveContext(claims.sid, claims.sub);
      if (!context) throw new AppError('AUTHENTICATION_ERROR', { ja: 'セッションが終了しました。もう一度ログインしてください。', en: 'Session has ended; log in again' });
      if (!context.isActive) throw new AppError('AUTHENTICATION_ERROR', { ja: 'このアカウントは無効になっています。組織の ADMIN に問い合わせてください。', en: 'This account has been deactivated' });
      if (context.tenantStatus === 'SUSPENDED') throw new AppError('PERMISSION_DENIED', { ja: 'この組織は停止されています。', en: 'This tenant is suspended' });
      return { userId: context.userId, tenantId: context.tenantId, role: context.role, sessionId: claims.sid };
    },

    async currentUser(principal: Principal): Promise<UserRow> {
      const user = await users.findInTenant(principal.tenantId, principal.userId);
      if (!user) throw new AppError('AUTHENTICATION_ERROR', { ja: 'セッションが終了しました。もう一度ログインしてください。', en: 'Session has ended; log in again' });
      return user;
    },

    /** Other sessions end: whoever knew the old password is logged out everywhere else. */
    async changePassword(principal: Principal, input: { currentPassword: string; newPassword: string }) {
      const user = await users.findInTenant(principal.tenantId, principal.userId);
      if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) throw new AppError('INVALID_CREDENTIALS', { ja: '現在のパスワードが正しくありません。', en: 'Current password is incorrect' });
      await users.update(user.id, { passwordHash: await hashPassword(input.newPassword) });
      await sessions.revokeOthers(user.id, principal.sessionId, 'password-changed');
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
