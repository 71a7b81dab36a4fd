import { z } from 'zod';

// Limits on what one entry may hold: a question is a question (≤ 500), an answer a few paragraphs (≤ 5000).
export const MAX_QUESTION_CHARS = 500;
export const MAX_ANSWER_CHARS = 5000;
export const MAX_ALTERNATIVES = 20;
/** Entries a tenant may keep: every question is compared with all of them (faq-match.ts). */
export const MAX_FAQ_ENTRIES = 2000;

const questionSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_QUESTION_CHARS, `must be at most ${MAX_QUESTION_CHARS} characters`)
  .meta({ example: '有給休暇の申請方法を教えてください' });
const answerSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_ANSWER_CHARS, `must be at most ${MAX_ANSWER_CHARS} characters`)
  .meta({ example: '勤怠システムの「休暇申請」から、取得日の3営業日前までに申請してください。' });
const alternativesSchema = z
  .array(questionSchema)
  .max(MAX_ALTERNATIVES, `at most ${MAX_ALTERNATIVES} alternatives`)
  .describe('Other phrasings of the question, matched like it')
  .meta({ example: ['有給休暇はどうやって申請しますか', '有休の取り方'] });

/** Repeated phrasings (after trimming) are kept once. */
const distinct = (values: string[]) => [...new Set(values)];

export const createFaqBodySchema = z
  .strictObject({
    question: questionSchema,
    answer: answerSchema,
    alternatives: alternativesSchema.default([]).transform(distinct),
  })
  .meta({ id: 'CreateFaqEntryRequest' });

export const updateFaqBodySchema = z
  .strictObject({
    question: questionSchema.optional(),
    answer: answerSchema.optional(),
    alternatives: alternativesSchema.transform(distinct).optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'give at least one of question, answer, alternatives' })
  .meta({ id: 'UpdateFaqEntryRequest' });

export const faqEntrySchema = z
  .object({
    id: z.uuid(),
    question: z.string(),
    answer: z.string(),
    alternatives: z.array(z.string()),
    created_at: z.iso.datetime(),
    updated_at: z.iso.datetime(),
  })
  .meta({ id: 'FaqEntry' });

export const faqIdParamsSchema = z.object({ faq_id: z.uuid('must be a UUID') });

export const listFaqQuerySchema = z.object({
  skip: z.coerce.number().int('must be a whole number').min(0, 'must be 0 or more').default(0),
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(500, 'must be at most 500').default(100),
  search: z.string().trim().max(200, 'must be at most 200 characters').optional().describe('Matches the question, the answer and the alternatives'),
});

export const exportFaqQuerySchema = z.object({
  encoding: z
    .enum(['utf-8', 'shift_jis'], 'must be one of: utf-8, shift_jis')
    .default('utf-8')
    .describe(
      'utf-8 (default): UTF-8 with BOM. shift_jis: Shift_JIS as Excel on Japanese Windows reads it (CP932, so ①, ㈱, 髙 are kept; 〜 − ‖ — ¢ £ ¬ are written as CP932’s ～ － ∥ ― ￠ ￡ ￢). ' +
        'An entry with characters Shift_JIS cannot represent (emoji, 𠮷, é…) makes it 422 naming the entry and the characters; nothing is written as "?".',
    ),
});

export const faqImportResultSchema = z
  .object({
    imported: z.number().int().describe('Rows added as entries'),
    encoding: z.string().describe('How the file was read: utf-8 (with or without BOM), shift_jis…').meta({ example: 'shift_jis' }),
    failed: z
      .array(
        z.object({
          row: z.number().int().describe('Line of the CSV record, from 1 (the header is row 1)'),
          errors: z.array(z.object({ field: z.string(), message: z.string() })).describe('In the caller’s language'),
        }),
      )
      .describe('Rows not imported, with why; the others were imported'),
  })
  .meta({ id: 'FaqImportResult' });

export type CreateFaqBody = z.infer<typeof createFaqBodySchema>;
export type UpdateFaqBody = z.infer<typeof updateFaqBodySchema>;
export type FaqImportResult = z.infer<typeof faqImportResultSchema>;
