import { z } from 'zod';
import { contentStatuses, fileTypes } from '../../db/enums.js';

export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

// Seed 000 §3.3: the list and upload responses carry exactly these fields.
export const contentSummarySchema = z
  .object({
    id: z.uuid(),
    file_name: z.string(),
    file_type: z.enum(fileTypes),
    title: z.string().nullable(),
    status: z.enum(contentStatuses),
    file_size: z.number().int(),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'Content' });

export const contentDetailSchema = contentSummarySchema
  .extend({
    description: z.string().nullable(),
    tags: z.array(z.string()),
    failure_code: z.string().nullable().describe('Why processing failed, as a code (e.g. NO_TEXT, PASSWORD_REQUIRED, CORRUPT)'),
    failure_reason: z.string().nullable().describe('Why processing failed and what to do, in plain words in the caller’s language (Accept-Language)'),
    page_count: z.number().int().nullable(),
    chunk_count: z.number().int(),
    encoding: z.string().nullable().describe('Text encoding detected for TXT files'),
    warnings: z.array(z.string()),
    timings: z.object({
      queued_ms: z.number().optional(),
      extract_ms: z.number().optional(),
      chunk_ms: z.number().optional(),
      index_ms: z.number().optional(),
      embed_ms: z.number().optional(),
      total_ms: z.number().optional(),
    }),
    processing_started_at: z.iso.datetime().nullable(),
    processed_at: z.iso.datetime().nullable(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'ContentDetail' });

export const listContentsQuerySchema = z.object({
  skip: z.coerce.number().int('must be a whole number').min(0, 'must be 0 or more').default(0),
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(100),
  file_type: z.enum(fileTypes).optional(),
  status: z.enum(contentStatuses).optional(),
  search: z.string().trim().max(200, 'must be at most 200 characters').optional().describe('Matches file name, title, description and tags'),
});

/** Multipart text fields of an upload, validated after the stream is read. */
export const uploadFieldsSchema = z.object({
  title: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  description: z.string().trim().max(2000, 'must be at most 2000 characters').optional(),
  tags: z
    .string()
    .max(1000, 'must be at most 1000 characters')
    .optional()
    .transform((v) => [...new Set((v ?? '').split(/[,、，]/).map((t) => t.trim()).filter(Boolean))])
    .pipe(z.array(z.string().max(50, 'each tag must be at most 50 characters')).max(20, 'at most 20 tags'))
    .describe('Comma-separated'),
});

export const contentIdParamsSchema = z.object({ file_id: z.uuid('must be a UUID') });
