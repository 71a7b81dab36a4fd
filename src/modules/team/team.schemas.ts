import { z } from 'zod';
import { emailSchema, passwordSchema, registeredUserSchema, roleSchema, usernameSchema } from '../auth/auth.schemas.js';

export const invitationSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: roleSchema,
    status: z.enum(['pending', 'accepted', 'revoked', 'expired']),
    expires_at: z.iso.datetime(),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'Invitation' });

export const createInvitationBodySchema = z
  .strictObject({ email: emailSchema, role: roleSchema.default('OPERATOR') })
  .meta({ id: 'CreateInvitationRequest' });

export const createdInvitationSchema = invitationSchema
  .extend({
    token: z.string().describe('One-time token, shown only now'),
    invite_url: z.string().describe('Link to send to the invitee'),
  })
  .meta({ id: 'CreatedInvitation' });

export const invitationTokenBodySchema = z.strictObject({ token: z.string().min(20).max(200) }).meta({ id: 'InvitationTokenRequest' });

export const invitationPreviewSchema = z
  .object({ email: z.string(), role: roleSchema, tenant_name: z.string(), expires_at: z.iso.datetime() })
  .meta({ id: 'InvitationPreview' });

export const acceptInvitationBodySchema = z
  .strictObject({ token: z.string().min(20).max(200), username: usernameSchema, password: passwordSchema })
  .meta({ id: 'AcceptInvitationRequest' });

export const acceptedUserSchema = registeredUserSchema;

export const teamMemberSchema = z
  .object({
    id: z.uuid(),
    email: z.string().nullable(),
    username: z.string(),
    role: roleSchema,
    is_active: z.boolean(),
    is_verified: z.boolean(),
    two_factor_enabled: z.boolean(),
    last_login_at: z.iso.datetime().nullable(),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'TeamMember' });

export const updateMemberBodySchema = z
  .strictObject({ role: roleSchema.optional(), is_active: z.boolean().optional() })
  .refine((v) => v.role !== undefined || v.is_active !== undefined, 'send role and/or is_active')
  .meta({ id: 'UpdateTeamMemberRequest' });

export const idParamsSchema = z.object({ id: z.uuid('must be a UUID') });
