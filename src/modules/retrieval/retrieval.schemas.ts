import { z } from 'zod';
import { DEFAULT_MIN_SCORE, DEFAULT_TOP_K, MAX_TOP_K } from './retrieval-limits.js';
import { fileTypes } from '../../db/enums.js';

// The chat request's rules (docs/decisions.md C9): query 1–1000 characters, top_k an integer 1–20. The chat takes the same two.
export const questionSchema = z.string().trim().min(1, 'must not be empty').max(1000, 'must be at most 1000 characters').meta({ example: '有給休暇は何日もらえますか' });
export const topKSchema = z
  .number()
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(MAX_TOP_K, `must be at most ${MAX_TOP_K}`)
  .default(DEFAULT_TOP_K);

export const searchBodySchema = z
  .strictObject({
    query: questionSchema,
    top_k: topKSchema.describe(`How many passages to return (default ${DEFAULT_TOP_K})`),
    file_ids: z
      .array(z.uuid('must be a UUID'))
      .max(100, 'at most 100 files')
      .optional()
      .describe('Search only these files (ids of GET /api/v1/contents); an empty list searches all')
      .meta({ example: ['3f1c2a9e-7b5d-4c1e-9a2f-0d8e6b4c1a77'] }),
    tags: z
      .array(z.string().trim().min(1, 'must not be empty').max(50, 'must be at most 50 characters'))
      .max(20, 'at most 20 tags')
      .optional()
      .describe('Search only files carrying any of these tags; an empty list searches all')
      .meta({ example: ['就業規則'] }),
    min_score: z
      .number()
      .min(0, 'must be between 0 and 1')
      .max(1, 'must be between 0 and 1')
      .optional()
      .describe(
        `Drop passages scoring below this. 0 returns every match. Without it, nothing is returned unless the best passage reaches ${DEFAULT_MIN_SCORE}, ` +
          'and the others need a quarter of the best score (at most that): a question the documents do not answer usually returns nothing.',
      ),
  })
  .meta({ id: 'SearchRequest' });

export const searchResultSchema = z
  .object({
    kind: z.enum(['document', 'faq']).describe('`faq`: an FAQ entry (GET /api/v1/faq/{id}): `chunk_id` and `file_id` are its id, `title` its question, `chunk_text` its question and answer; `document`: a passage of a file'),
    chunk_id: z.uuid(),
    file_id: z.uuid(),
    file_name: z.string().meta({ example: '就業規則.txt' }),
    file_type: z.enum(fileTypes).nullable().describe('The kind of file, which says what `page_start` counts: PDF pages, XLSX sheets, PPTX slides; null for an FAQ entry'),
    title: z.string().nullable().describe('The title given at upload, if any'),
    sheet_name: z.string().nullable().describe('XLSX: the name of the sheet the passage is on; null for other types').meta({ example: '2026年度' }),
    source_url: z.string().nullable().describe('For a page of a website source: its address, what a citation links to; null for uploaded files').meta({ example: 'https://example.co.jp/support/warranty' }),
    chunk_index: z.number().int().describe('Position of the passage in its file, from 0'),
    chunk_text: z.string().meta({ example: '第20条 年次有給休暇は、入社6か月後に10日付与する。' }),
    page_start: z.number().int().nullable().describe('First page of the passage, from 1: the PDF page, the XLSX sheet (workbook order) or the PPTX slide; null for other types'),
    page_end: z.number().int().nullable().describe('Last page of the passage (PDF page, XLSX sheet, PPTX slide); null for other types'),
    score: z
      .number()
      .min(0)
      .max(1)
      .describe(
        'Relevance from 0 to 1. Full-text: how much of the question the passage covers — BM25 divided by what a passage of ' +
          'average length containing every search term of the question once would get, rare words counting more, capped at 1. ' +
          'Vector: cosine similarity. A passage found by both gets the higher of the two.',
      )
      .meta({ example: 0.82 }),
    match: z.enum(['fulltext', 'vector', 'both']).describe('Which search found the passage'),
    ocr: z.literal(true).optional().describe('Present when the passage was read by OCR from a scanned PDF page (it may hold recognition errors)'),
  })
  .meta({ id: 'SearchResult' });

export const searchResponseSchema = z
  .object({
    query: z.string(),
    results: z.array(searchResultSchema).describe('Best first'),
    took_ms: z.number().meta({ example: 12.4 }),
    mode: z
      .enum(['fulltext', 'hybrid'])
      .describe('hybrid: full-text and vector search fused by reciprocal rank (k = 60); fulltext: no embedding provider or no pgvector'),
  })
  .meta({ id: 'SearchResponse' });

export type SearchBody = z.infer<typeof searchBodySchema>;
export type SearchResponse = z.infer<typeof searchResponseSchema>;
