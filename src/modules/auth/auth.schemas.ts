import { z } from 'zod';
import { roles } from '../../db/enums.js';

// The validation rules (docs/decisions.md C9), shared by both API surfaces (D2) and by the dashboard's forms.
export const emailSchema = z
  // Only the format message is ours: a missing or non-string email keeps "is required" / "must be a string".
  .email({ error: (issue) => (issue.code === 'invalid_format' ? 'must be a valid email address' : undefined) })
  .max(254, 'must be at most 254 characters')
  .transform((v) => v.toLowerCase())
  .meta({ example: 'user@example.com' });

export const usernameSchema = z
  .string()
  .min(3, 'must be at least 3 characters')
  .max(100, 'must be at most 100 characters')
  .regex(/^[A-Za-z0-9_]+$/, 'may contain only letters, digits and underscores')
  .meta({ example: 'taro_yamada' });

export const passwordSchema = z
  .string()
  .min(8, 'must be at least 8 characters')
  .max(128, 'must be at most 128 characters')
  .regex(/[A-Z]/, 'must contain an uppercase letter')
  .regex(/[a-z]/, 'must contain a lowercase letter')
  .regex(/[0-9]/, 'must contain a digit')
  .meta({ example: 'Password123' });

/** Any non-empty password up to the maximum: login must not reveal the policy of the day. */
export const loginPasswordSchema = z.string().min(1, 'is required').max(128, 'must be at most 128 characters');

export const totpCodeSchema = z
  .string()
  .trim()
  .min(6, 'must be a 6-digit code or a recovery code')
  .max(32, 'must be a 6-digit code or a recovery code')
  .describe('6-digit authenticator code, or one of the recovery codes');

export const tenantDomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253, 'must be at most 253 characters')
  .regex(/^(?=.{3,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/, 'must be a domain name such as company.example.com')
  .meta({ example: 'company.example.com' });

export const roleSchema = z.enum(roles);

export const registerBodySchema = z
  .strictObject({
    email: emailSchema,
    username: usernameSchema,
    password: passwordSchema,
    tenant_name: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters').meta({ example: 'Company Name' }),
    tenant_domain: tenantDomainSchema,
  })
  .meta({ id: 'RegisterRequest' });

export const registeredUserSchema = z
  .object({ id: z.uuid(), email: z.string(), username: z.string(), tenant_id: z.uuid(), role: roleSchema })
  .meta({ id: 'RegisteredUser' });

export const loginBodySchema = z
  .strictObject({ email: emailSchema, password: loginPasswordSchema, totp_code: totpCodeSchema.optional() })
  .meta({ id: 'LoginRequest' });

export const tokenResponseSchema = z
  .object({
    access_token: z.string(),
    refresh_token: z.string(),
    token_type: z.literal('bearer'),
    expires_in: z.number().int().meta({ example: 1800 }),
  })
  .meta({ id: 'TokenResponse' });

/** Optional as a whole (no body reaches the handler as null): the dashboard relies on the refresh cookie. */
export const refreshBodySchema = z
  .strictObject({ refresh_token: z.string().min(1).max(4096).optional().describe('Omit to use the refresh cookie') })
  .nullish()
  .meta({ id: 'RefreshRequest' });

export const meResponseSchema = z
  .object({
    id: z.uuid(),
    email: z.string().nullable(),
    username: z.string(),
    role: roleSchema,
    tenant_id: z.uuid(),
    is_active: z.boolean(),
    is_verified: z.boolean(),
    two_factor_enabled: z.boolean(),
  })
  .meta({ id: 'CurrentUser' });

export const changePasswordBodySchema = z
  .strictObject({ current_password: loginPasswordSchema, new_password: passwordSchema })
  .meta({ id: 'ChangePasswordRequest' });
