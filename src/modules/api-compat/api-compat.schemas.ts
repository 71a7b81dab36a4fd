import { z } from 'zod';
import { emailSchema, loginPasswordSchema, passwordSchema, totpCodeSchema, usernameSchema } from '../auth/auth.schemas.js';

// The /api surface's request and response shapes, field for field (docs/decisions.md C11).
export const signupBodySchema = z
  .strictObject({ username: usernameSchema, password: passwordSchema, email: emailSchema.optional() })
  .meta({ id: 'SimpleSignupRequest' });

export const statusSuccessSchema = z.object({ status: z.literal('success') }).meta({ id: 'StatusSuccess' });

export const simpleLoginBodySchema = z
  .strictObject({ username: z.string().min(1, 'is required').max(100), password: loginPasswordSchema })
  .meta({ id: 'SimpleLoginRequest' });

export const simpleLoginResponseSchema = z.object({ status: z.literal('success'), jwt: z.string() }).meta({ id: 'SimpleLoginResponse' });

export const profileResponseSchema = z
  .object({ username: z.string(), email: z.string().nullable(), opt_enabled: z.boolean().describe('Whether 2FA is on (the name this API has always used)') })
  .meta({ id: 'SimpleProfile' });

export const tfaSetupResponseSchema = z.object({ qr_url: z.string(), secret_key: z.string() }).meta({ id: 'SimpleTfaSetup' });

export const tfaEnableBodySchema = z
  .strictObject({ secret_key: z.string().min(16).max(64), code: totpCodeSchema })
  .meta({ id: 'SimpleTfaEnableRequest' });

export const tfaEnableResponseSchema = z
  .object({ status: z.literal('success'), recovery_codes: z.array(z.string()).describe('Ten one-time recovery codes, shown only now') })
  .meta({ id: 'SimpleTfaEnableResponse' });

export const login2faBodySchema = z
  .strictObject({ username: z.string().min(1, 'is required').max(100), password: loginPasswordSchema, code: totpCodeSchema })
  .meta({ id: 'SimpleLogin2faRequest' });

export const login2faResponseSchema = z.object({ jwt: z.string() }).meta({ id: 'SimpleLogin2faResponse' });
