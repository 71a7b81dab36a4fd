import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../http/error-schema.js';
import { principalOf } from '../../http/request-context.js';
import { userSecurity } from '../../http/route-helpers.js';
import { usageQuerySchema, usageStatsSchema } from './usage.schemas.js';
import { DEFAULT_RANGE_DAYS, MAX_RANGE_DAYS, type UsageService } from './usage.service.js';

/** GET /api/v1/stats/usage (docs/decisions.md C6): the tenant's model tokens and their cost. */
export function usageRoutes(deps: { usage: UsageService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/usage', {
      config: { auth: 'user' },
      schema: {
        operationId: 'getUsageStats',
        tags: ['stats'],
        security: userSecurity,
        summary: 'Tokens used and their cost, per day, week or month',
        description:
          'Every model call made for the caller’s tenant: chat answers and query rewrites, query embeddings of chat and search, ' +
          'and document embeddings at ingestion. `tokens` = input + output tokens. Cost is in US dollars, priced when each call ' +
          'was made from the server’s price list (MODEL_PRICES); a model without a known price counts 0 (`by_model[].priced`).\n\n' +
          '**All dates are UTC.** `start_date` and `end_date` are both inclusive and take a date (`2025-01-31`) or a date-time, ' +
          `which counts as its UTC date. Defaults: end_date today, start_date ${DEFAULT_RANGE_DAYS - 1} days before it. ` +
          '`by_date` has every bucket of the range, oldest first, zeros included: `day` buckets are dates, `week` buckets ISO weeks ' +
          'labelled by their Monday, `month` buckets labelled by the 1st. The first bucket is the one containing start_date and may ' +
          'begin before it; only days within the range are counted. ' +
          `A range may span at most ${MAX_RANGE_DAYS.day} days by day and ${MAX_RANGE_DAYS.week} days by week or month.`,
        querystring: usageQuerySchema,
        response: { 200: usageStatsSchema, ...errorResponses(401, 422) },
      },
      handler: async (request) => deps.usage.stats(principalOf(request), request.query),
    });
  };
}
