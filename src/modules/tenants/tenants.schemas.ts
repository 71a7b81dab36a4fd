import { z } from 'zod';
import { plans, tenantStatuses } from '../../db/enums.js';
import { chunkingBounds } from '../../lib/text/chunk.js';
import { widgetSettingsPatchSchema, widgetSettingsSchema } from './widget-settings.js';

/** A web origin (scheme://host[:port]) as browsers send it in the Origin header; stored normalised. */
const originSchema = z
  .string()
  .trim()
  .max(300, 'must be at most 300 characters')
  .refine((v) => {
    try {
      const url = new URL(v);
      return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password && url.pathname === '/' && !url.search && !url.hash;
    } catch {
      return false;
    }
  }, 'must be an origin such as https://www.example.com (scheme, host and port only, no path)')
  .transform((v) => new URL(v).origin);

/** The most characters of `bot_instructions`: enough for tone, scope and a closing line, small beside the sources. */
export const BOT_INSTRUCTIONS_MAX_CHARS = 1000;

const botInstructionsDescription =
  'The organisation’s own instructions to the chat (tone, scope, a closing line), in any language; null: none. ' +
  'They are placed above the product’s rules (answer only from the sources, cite them, say when they do not hold the answer, ' +
  'answer in the question’s language), which always take precedence: they cannot be switched off from here.';

const modelName = z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters');

export const tenantSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    domain: z.string().nullable(),
    plan: z.enum(plans),
    status: z.enum(tenantStatuses),
    settings: z.object({
      embedding_model: z.string(),
      llm_model: z.string(),
      chunk_size: z.number().int().describe('Passage size in estimated tokens'),
      chunk_overlap: z.number().int().describe('Tokens of whole sentences repeated between passages'),
      allowed_origins: z.array(z.string()).describe('Sites allowed to use the widget key; empty = any site'),
      bot_instructions: z.string().nullable().describe(botInstructionsDescription),
      widget: widgetSettingsSchema,
    }),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'Tenant' });

const { chunkSize, chunkOverlap } = chunkingBounds;

export const updateTenantBodySchema = z
  .strictObject({
    name: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters').optional(),
    llm_model: modelName.optional(),
    embedding_model: modelName.optional().describe('Changing it re-embeds every document in the background'),
    chunk_size: z.number().int('must be a whole number').min(chunkSize.min).max(chunkSize.max).optional(),
    chunk_overlap: z.number().int('must be a whole number').min(chunkOverlap.min).max(chunkOverlap.max).optional(),
    allowed_origins: z
      .array(originSchema)
      .max(50, 'at most 50 origins')
      .transform((origins) => [...new Set(origins)])
      .optional()
      .describe('Origins (e.g. https://www.example.com) whose pages may use the widget key; an empty list allows any site')
      .meta({ example: ['https://www.example.co.jp'] }),
    bot_instructions: z
      .string()
      .trim()
      .min(1, 'must not be empty (null: no instructions)')
      .max(BOT_INSTRUCTIONS_MAX_CHARS, `must be at most ${BOT_INSTRUCTIONS_MAX_CHARS} characters`)
      .nullable()
      .optional()
      .describe(botInstructionsDescription)
      .meta({ example: '丁寧語で、社内の人事・総務の質問にだけ答えてください。最後に「詳しくは人事部（内線 123）へ」と添えてください。' }),
    widget: widgetSettingsPatchSchema.optional().describe('Only the fields sent change').meta({ example: { title: 'しおり商事 サポート', accent_color: '#0f766e' } }),
  })
  .refine((body) => Object.keys(body).length > 0, 'send at least one setting to change')
  .meta({ id: 'UpdateTenantRequest' });

export type UpdateTenantBody = z.infer<typeof updateTenantBodySchema>;

export const tenantIdParamsSchema = z.object({ tenant_id: z.uuid('must be a UUID') });
