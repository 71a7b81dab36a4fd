import { z } from 'zod';
import { loginPasswordSchema, totpCodeSchema } from '../auth/auth.schemas.js';

export const setupResponseSchema = z
  .object({
    secret_key: z.string().describe('Base32 secret, for typing into an authenticator app'),
    otpauth_url: z.string().describe('otpauth:// URI encoded in the QR code'),
    qr_url: z.string().describe('PNG QR code as a data: URL'),
  })
  .meta({ id: 'TwoFactorSetup' });

export const enableBodySchema = z.strictObject({ code: totpCodeSchema }).meta({ id: 'TwoFactorEnableRequest' });

export const recoveryCodesResponseSchema = z
  .object({ recovery_codes: z.array(z.string()).length(10).describe('One-time codes, shown only now') })
  .meta({ id: 'RecoveryCodes' });

export const disableBodySchema = z.strictObject({ password: loginPasswordSchema, code: totpCodeSchema }).meta({ id: 'TwoFactorDisableRequest' });

export const statusResponseSchema = z
  .object({ enabled: z.boolean(), recovery_codes_remaining: z.number().int() })
  .meta({ id: 'TwoFactorStatus' });
