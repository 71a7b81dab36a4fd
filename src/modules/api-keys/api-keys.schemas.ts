import { z } from 'zod';
import { providers } from '../../db/enums.js';

export const providerSchema = z.enum(providers, {
  error: (issue) => (issue.input === undefined ? 'is required' : `must be one of: ${providers.join(', ')}`),
});

/**
 * The contract's fields (docs/decisions.md C5) plus `key_hint` and `base_url`. There is deliberately no field that could
 * carry the key: the response is serialized through this schema, so it cannot leak.
 */
export const apiKeySchema = z
  .object({
    id: z.uuid(),
    provider: providerSchema,
    model: z.string(),
    is_active: z.boolean(),
    key_hint: z.string().describe('The key masked, for recognising it: the key itself is never returned').meta({ example: 'sk-…AbCd' }),
    base_url: z.string().nullable().describe('The API root of an openai-compatible server; null for the others'),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'ApiKey' });

/** http(s) only, no credentials, query or fragment: the SDK appends paths to it. */
const baseUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .max(500, 'must be at most 500 characters')
  .refine((v) => {
    const url = new URL(v);
    return !url.username && !url.password;
  }, 'must not contain a user name or password (put the key in api_key)')
  .refine((v) => {
    const url = new URL(v);
    return !url.search && !url.hash;
  }, 'must not contain a query string or fragment')
  .transform((v) => v.replace(/\/+$/, ''));

export const createApiKeyBodySchema = z
  .strictObject({
    provider: providerSchema,
    model: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').meta({ example: 'gpt-4o' }),
    api_key: z
      .string()
      .trim()
      .min(8, 'must be at least 8 characters')
      .max(500, 'must be at most 500 characters')
      // Keys travel in an HTTP header: spaces or control characters can only be a paste accident.
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
      .meta({ example: 'sk-proj-your-key-here' }),
    base_url: baseUrlSchema
      .optional()
      .describe('Required for openai-compatible (e.g. http://localhost:11434/v1 for Ollama), refused for the others')
      .meta({ example: 'http://localhost:11434/v1' }),
    verify: z
      .boolean({ error: 'must be true or false' })
      .default(false)
      .describe('Check the key and model against the provider before storing them (see the route description)'),
  })
  .superRefine((body, ctx) => {
    if (body.provider === 'openai-compatible' && body.base_url === undefined) {
      ctx.addIssue({ code: 'custom', path: ['base_url'], message: 'is required for provider openai-compatible' });
    }
    if (body.provider !== 'openai-compatible' && body.base_url !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['base_url'], message: `is only accepted for provider openai-compatible, not ${body.provider}` });
    }
  })
  .meta({ id: 'CreateApiKeyRequest' });

export type CreateApiKeyBody = z.infer<typeof createApiKeyBodySchema>;

export const apiKeyIdParamsSchema = z.object({ api_key_id: z.uuid('must be a UUID') });
