import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../http/error-schema.js';
import type { RateLimitRule } from '../../http/rate-limit.js';
import { principalOf } from '../../http/request-context.js';
import { userSecurity } from '../../http/route-helpers.js';
import type { PlanLimitsService } from '../billing/plan-limits.service.js';
import { usageContextOf } from '../usage/usage-recorder.js';
import { sendAnswer } from './answer-response.js';
import { chatRequestSchema, chatResponseSchema, STREAMING_DESCRIPTION } from './chat.schemas.js';
import type { ChatService } from './chat.service.js';

export interface ChatRoutesDeps {
  chat: ChatService;
  /** 60 requests a minute, per user (docs/decisions.md C10). */
  chatRateLimit: RateLimitRule;
  /** The plan's messages a month, counted over every channel. */
  limits: Pick<PlanLimitsService, 'assertMessageRoom'>;
}

/** POST /api/v1/chats/rag (docs/decisions.md C2): the dashboard's and API clients' chat. */
export function chatRoutes(deps: ChatRoutesDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/rag', {
      config: { auth: 'user', rateLimit: deps.chatRateLimit },
      schema: {
        operationId: 'createRagChat',
        tags: ['chat'],
        security: userSecurity,
        summary: 'Ask a question: a cited answer from the tenant’s documents',
        description:
          'Retrieves the most relevant passages (as POST /api/v1/search), asks the model to answer only from them, citing them as [n], ' +
          'in the language of the question; without a provider key the answer quotes the best passages (`metadata.model = "extractive"`). ' +
          'With `session_id`, earlier turns of that conversation go into the prompt and a follow-up is rewritten into a standalone query ' +
          'for retrieval. Only the user who started a conversation can continue it. Answers count against the plan’s messages a ' +
          'month, together with the widget’s: past it, 429 `QUOTA_EXCEEDED` with `Retry-After` until the 1st (UTC). ' +
          STREAMING_DESCRIPTION,
        body: chatRequestSchema,
        response: { 200: chatResponseSchema, ...errorResponses(400, 401, 404, 415, 422, 429, 502) },
      },
      handler: async (request, reply) => {
        const principal = principalOf(request);
        const caller = { tenantId: principal.tenantId, visitorId: null, ...usageContextOf(principal) };
        await deps.limits.assertMessageRoom(principal.tenantId);
        return sendAnswer(request, reply, (signal) => deps.chat.ask(caller, request.body, signal));
      },
    });
  };
}
