import { z } from 'zod';
import { questionSchema, topKSchema } from '../retrieval/retrieval.schemas.js';
import { confidenceLevels, fileTypes } from '../../db/enums.js';
import { handoffOfferSchema } from '../handoff/handoff.schemas.js';

export const DEFAULT_TEMPERATURE = 0.3;
export const DEFAULT_MAX_TOKENS = 1024;
export const MAX_MAX_TOKENS = 4096;

// The chat request (docs/decisions.md C2), with the rules of C9: query 1–1000 characters, top_k 1–20, temperature 0–2.
export const chatRequestSchema = z
  .strictObject({
    query: questionSchema,
    model: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(200, 'must be at most 200 characters')
      .optional()
      .describe('A model of one of the tenant’s provider keys, or `extractive`. Default: the tenant’s `llm_model` if a key offers it, else the newest key’s model, else `extractive`.')
      .meta({ example: 'gpt-4o-mini' }),
    top_k: topKSchema.describe('How many passages the answer may draw on'),
    session_id: z.uuid('must be a UUID').optional().describe('The `conversation_id` of an earlier answer, to continue that conversation'),
    temperature: z.number().min(0, 'must be between 0 and 2').max(2, 'must be between 0 and 2').default(DEFAULT_TEMPERATURE).describe('Sampling temperature for openai and openai-compatible models; Anthropic’s current API sets its own and takes none'),
    max_tokens: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(MAX_MAX_TOKENS, `must be at most ${MAX_MAX_TOKENS}`)
      .default(DEFAULT_MAX_TOKENS)
      .describe('Longest answer, in tokens'),
  })
  .meta({ id: 'ChatRequest' });

export const chatSourceSchema = z
  .object({
    kind: z
      .enum(['document', 'faq'])
      .optional()
      .describe('`faq`: an FAQ entry (`file_id` is its id, GET /api/v1/faq/{id}; `title` its question); `document`: a passage of a file (answers stored before FAQ entries have no kind)'),
    file_id: z.uuid(),
    file_name: z.string().meta({ example: '就業規則.pdf' }),
    file_type: z.enum(fileTypes).nullable().describe('The kind of file, which says what `page` counts; null only for answers stored before it was recorded whose document is gone'),
    title: z.string().nullable().describe('The document’s title at the time of the answer, if it has one').meta({ example: '就業規則（2026年改定）' }),
    sheet_name: z.string().nullable().describe('XLSX: the name of the sheet the passage is on; null for other types').meta({ example: '2026年度' }),
    url: z
      .string()
      .nullable()
      .describe(
        'Opens the source. A website page: its address (as `source_url`). From the API and in the dashboard: the original file on this server (it needs the caller’s credentials), a PDF at its page (`…/file?disposition=inline#page=N`). ' +
          'In the widget: a signed link to the file, valid for 24 hours, when the tenant lets visitors open files (widget setting `link_files`), else null.',
      )
      .meta({ example: '/api/v1/contents/3f2a…/file?disposition=inline#page=3' }),
    source_url: z.string().nullable().optional().describe('For a page of a website source: its address, what the citation links to (answers stored before website sources have none)'),
    chunk_index: z.number().int().describe('Position of the passage in its file, from 0'),
    chunk_text: z.string(),
    page: z.number().int().nullable().describe('Page the passage starts on, from 1: the PDF page, the XLSX sheet (workbook order) or the PPTX slide; null for other types'),
    score: z.number().min(0).max(1).describe('Relevance, as in POST /api/v1/search'),
    ocr: z.boolean().optional().describe('true when the passage was read by OCR from a scanned PDF page (it may hold recognition errors); absent otherwise'),
  })
  .meta({ id: 'ChatSource' });

const confidenceFields = z
  .object({
    level: z
      .enum(confidenceLevels)
      .describe('`high`: well supported by the sources (or an FAQ entry); `medium`; `low`: weakly supported; `none`: the documents do not hold the answer'),
    signals: z.object({
      best_score: z.number().nullable().describe('The best passage’s score (0–1); null when nothing was found'),
      cut: z.number().describe('The score a question’s best passage must reach to be answered at all'),
      margin: z.number().nullable().describe('best_score / cut'),
      coverage: z.number().nullable().describe('Share of the question’s words found in the top passages (0–1)'),
      sentence_coverage: z.number().nullable().describe('Share of the question’s words found in the one sentence of the top passages that holds most of them (0–1)'),
      agreement: z.number().nullable().describe('When vector search ran: share of the top passages that full-text and vector search both found (0–1); null otherwise'),
      faq: z.boolean().describe('Answered by an FAQ entry, or an FAQ entry is the best source'),
      not_found: z.boolean().describe('The answer says the documents do not hold it'),
    }),
  })
  .describe('How far the answer can be trusted, and the signals the level came from');
export const confidenceSchema = confidenceFields.meta({ id: 'AnswerConfidence' });
/** The same, inline, for where it may be null (OpenAPI 3.0 cannot mark a $ref nullable). */
export const nullableConfidenceSchema = confidenceFields.nullable();

export const chatResponseSchema = z
  .object({
    answer: z.string().describe('Cites its sources as [1], [2]…: [n] is `sources[n - 1]`'),
    sources: z.array(chatSourceSchema).describe('The passages the answer was given, in citation order'),
    conversation_id: z.uuid().describe('Send it back as `session_id` to continue the conversation'),
    message_id: z.uuid().describe('This answer, for feedback'),
    metadata: z.object({
      model: z
        .string()
        .describe('`handoff` when the visitor asked for a person and was answered with the offer (no search, no model call); `faq` when the question matched an FAQ entry and its answer was given verbatim, without a model call; `extractive` when no language model is configured: the answer quotes the best passages'),
      tokens_in: z.number().int(),
      tokens_out: z.number().int(),
      latency_ms: z.number().int(),
      confidence: confidenceSchema,
      handoff: handoffOfferSchema
        .optional()
        .describe('Widget answers only, when the tenant set a contact route: offer it as a button under this answer (the documents did not hold the answer, or the visitor asked for a person). Taken with POST /api/v1/chats/widget/handoff'),
    }),
  })
  .meta({ id: 'ChatResponse' });

export const STREAMING_DESCRIPTION =
  'Send `Accept: text/event-stream` to receive the answer as Server-Sent Events: `delta` events `{"text"}` as the model writes, ' +
  'then `sources` `{"sources":[…]}`, then `metadata` `{"conversation_id","message_id","metadata":{…}}`, then `done` `{}`. ' +
  'A failure after the stream started arrives as an `error` event with the usual error body; failures before it are plain HTTP errors. ' +
  'Closing the connection cancels the model call (the partial answer is kept in the conversation as `cancelled`).';

export type ChatRequest = z.infer<typeof chatRequestSchema>;
export type ChatResponse = z.infer<typeof chatResponseSchema>;
/** One cited passage: what the API returns, what an answer stores (messages.sources), what the dashboard and the widget show. */
export type ChatSource = z.infer<typeof chatSourceSchema>;
