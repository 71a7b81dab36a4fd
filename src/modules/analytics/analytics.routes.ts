import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../http/error-schema.js';
import { principalOf } from '../../http/request-context.js';
import { userSecurity } from '../../http/route-helpers.js';
import { analyticsQuerySchema, analyticsSchema, DEFAULT_RANGE_DAYS, MAX_RANGE_DAYS } from './analytics.schemas.js';
import type { AnalyticsService } from './analytics.service.js';

/** GET /api/v1/analytics: how the bot is doing, for the dashboard's charts. */
export function analyticsRoutes(deps: { analytics: AnalyticsService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/', {
      config: { auth: 'user' },
      schema: {
        operationId: 'getAnalytics',
        tags: ['conversations'],
        security: userSecurity,
        summary: 'Questions, answer rate, 👍/👎 per day and channel, and each week’s top and top unanswered questions',
        description:
          `Counts the tenant’s answers over a range of days (default the last ${DEFAULT_RANGE_DAYS}, at most ${MAX_RANGE_DAYS}) in \`time_zone\` (default Asia/Tokyo). ` +
          'A question is answered when its answer cites a source; an answer saying the documents do not hold it cites none. ' +
          'Questions are grouped by their words (Unicode NFKC, letter case, spaces and punctuation aside).',
        querystring: analyticsQuerySchema,
        response: { 200: analyticsSchema, ...errorResponses(401, 422) },
      },
      handler: async (request) => deps.analytics.summary(principalOf(request).tenantId, request.query),
    });
  };
}
