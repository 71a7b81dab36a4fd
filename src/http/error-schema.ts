import { z } from 'zod';
import { errorCodes } from './errors.js';

export const errorResponseSchema = z
  .object({
    detail: z.string().meta({ example: 'Email or password is incorrect' }),
    error_code: z.enum(errorCodes as [string, ...string[]]),
    timestamp: z.iso.datetime(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .describe('For VALIDATION_ERROR: one entry per invalid field'),
  })
  .meta({ id: 'Error' });

export type ErrorResponse = z.infer<typeof errorResponseSchema>;

/** The error responses a route may give, for its `response` schema. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, errorResponseSchema])) as Record<number, typeof errorResponseSchema>;
}
