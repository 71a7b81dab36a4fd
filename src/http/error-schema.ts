import { z } from 'zod';
import { errorCodes } from './errors.js';

export const errorResponseSchema = z
  .object({
    detail: z
      .string()
      .describe('What went wrong and what to do, in Japanese or English by Accept-Language (English without one); branch on error_code, not on this')
      .meta({ example: 'Email or password is incorrect' }),
    error_code: z.enum(errorCodes as [string, ...string[]]),
    timestamp: z.iso.datetime(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string().describe('In the language of detail') }))
      .optional()
      .describe('For VALIDATION_ERROR: one entry per invalid field'),
  })
  .meta({ id: 'Error' });

export type ErrorResponse = z.infer<typeof errorResponseSchema>;

/** The error responses a route may give, for its `response` schema. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, errorResponseSchema])) as Record<number, typeof errorResponseSchema>;
}
