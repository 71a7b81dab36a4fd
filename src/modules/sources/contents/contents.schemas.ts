import { z } from 'zod';
import { contentStatuses, fileTypes } from '../../../db/enums.js';
import { errorResponseSchema } from '../../../http/error-schema.js';

export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

// docs/decisions.md C3: the list and upload responses carry exactly these fields.
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
    warnings: z.array(z.string()).describe('What the reader recovered from or skipped (damaged PDF, fonts without a character map, no vectors)'),
    has_page_text: z
      .boolean()
      .describe('Whether GET …/pages has this document’s text; false for documents processed before page texts were stored, until they are reprocessed'),
    pages_without_text: z
      .array(z.number().int())
      .describe('Pages without text: no text layer, and OCR found none (a blank scan, or a page over the OCR limits); empty when every page has text'),
    ocr_pages: z.array(z.number().int()).describe('PDF pages whose text was read by OCR (scanned pages without a text layer), in order; empty when none'),
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

/** 409 of an upload whose content this tenant already has: the usual error, plus which document that is. */
export const duplicateContentErrorSchema = errorResponseSchema
  .extend({ existing_content_id: z.uuid().describe('The document that already has this content (GET /api/v1/contents/{id})') })
  .meta({ id: 'DuplicateContentError' });

export const listContentsQuerySchema = z.object({
  skip: z.coerce.number().int('must be a whole number').min(0, 'must be 0 or more').default(0),
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(100),
  file_type: z.enum(fileTypes).optional(),
  status: z.enum(contentStatuses).optional(),
  search: z.string().trim().max(200, 'must be at most 200 characters').optional().describe('Matches file name, title, description and tags'),
});

// One set of rules for a document's title, description and tags, at upload and when edited.
const titleSchema = z.string().trim().max(200, 'must be at most 200 characters');
const descriptionSchema = z.string().trim().max(2000, 'must be at most 2000 characters');
/** Tags are written comma-separated at upload; these characters therefore never occur inside one. */
const TAG_SEPARATORS = /[,、，]/;
const tagListSchema = z.array(z.string().max(50, 'each tag must be at most 50 characters')).max(20, 'at most 20 tags');
const distinctTags = (tags: string[]) => [...new Set(tags.map((t) => t.trim()).filter(Boolean))];

/** Multipart text fields of an upload, validated after the stream is read. */
export const uploadFieldsSchema = z.object({
  title: titleSchema.optional(),
  description: descriptionSchema.optional(),
  tags: z
    .string()
    .max(1000, 'must be at most 1000 characters')
    .optional()
    .transform((v) => distinctTags((v ?? '').split(TAG_SEPARATORS)))
    .pipe(tagListSchema)
    .describe('Comma-separated'),
});

/** PATCH /contents/{id}: the upload's rules; '' or null clears the title or description. */
export const updateContentBodySchema = z
  .strictObject({
    title: titleSchema
      .nullable()
      .optional()
      .transform((v) => (v === undefined ? undefined : v || null))
      .describe('Shown instead of the file name, indexed with every passage; null or "" clears it')
      .meta({ example: '就業規則（2026年改定）' }),
    description: descriptionSchema
      .nullable()
      .optional()
      .transform((v) => (v === undefined ? undefined : v || null))
      .describe('null or "" clears it'),
    tags: z
      .array(z.string().refine((tag) => !TAG_SEPARATORS.test(tag), 'a tag must not contain , 、 or ，'))
      .max(100, 'at most 20 tags')
      .optional()
      .transform((v) => (v === undefined ? undefined : distinctTags(v)))
      .pipe(tagListSchema.optional())
      .describe('The whole new list (trimmed, duplicates dropped); [] removes every tag')
      .meta({ example: ['人事', '規程'] }),
  })
  .refine((body) => body.title !== undefined || body.description !== undefined || body.tags !== undefined, 'send at least one of title, description, tags')
  .meta({ id: 'UpdateContentRequest' });

export type UpdateContentBody = z.infer<typeof updateContentBodySchema>;

/** Paging over a document's pages or passages, as the list of files pages (skip + limit, X-Total-Count). */
const textPagingSchema = (defaultLimit: number, maxLimit: number) =>
  z.object({
    skip: z.coerce.number().int('must be a whole number').min(0, 'must be 0 or more').default(0),
    limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(maxLimit, `must be at most ${maxLimit}`).default(defaultLimit),
  });

export const contentPagesQuerySchema = textPagingSchema(5, 50).describe('skip = N − 1 starts at page N: every page has a row');
export const contentChunksQuerySchema = textPagingSchema(20, 200);

export const contentPageSchema = z
  .object({
    page: z.number().int().describe('From 1: the PDF page, the XLSX sheet (workbook order), the PPTX slide; the other types are one page'),
    text: z.string().describe('The page’s text as it was indexed and is cited (cleaned, characters as written); "" when the page has none, e.g. a blank scanned page'),
    ocr: z.boolean().describe('The text was read by OCR from a scanned page (it may hold recognition errors)'),
  })
  .meta({ id: 'ContentPage' });

export const contentChunkSchema = z
  .object({
    id: z.uuid(),
    chunk_index: z.number().int().describe('Position of the passage in its file, from 0 (the `chunk_index` of search results and sources)'),
    text: z.string(),
    page_start: z.number().int().nullable().describe('First page of the passage, from 1: the PDF page, the XLSX sheet (workbook order) or the PPTX slide; null for other types'),
    page_end: z.number().int().nullable().describe('Last page of the passage (PDF page, XLSX sheet, PPTX slide); null for other types'),
    token_count: z.number().int().describe('Estimated tokens'),
    ocr: z.boolean().describe('The passage is (in part) on a page read by OCR'),
  })
  .meta({ id: 'ContentChunk' });

export const contentIdParamsSchema = z.object({ file_id: z.uuid('must be a UUID') });
