import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../http/error-schema.js';
import { principalOf } from '../../http/request-context.js';
import { userSecurity } from '../../http/route-helpers.js';
import { handoffStateSchema, updateHandoffBodySchema } from './handoff.schemas.js';
import type { HandoffService } from './handoff.service.js';

/** Operators (ADMIN and OPERATOR) answer handed-off conversations: a reply note, and closing. Mounted at /api/v1/conversations. */
export function handoffRoutes(deps: { handoff: Pick<HandoffService, 'update'> }): FastifyPluginAsyncZod {
  return async (app) => {
    app.patch('/:conversation_id/handoff', {
      config: { auth: 'user' },
      schema: {
        operationId: 'updateConversationHandoff',
        tags: ['conversations'],
        security: userSecurity,
        summary: 'Write the reply note of a handed-off conversation, close it or open it again',
        description: 'Only for a conversation the visitor handed to a person (409 otherwise). Records who did it and when (`handled_by`, `handled_at`).',
        params: z.object({ conversation_id: z.uuid('must be a UUID') }),
        body: updateHandoffBodySchema,
        response: { 200: handoffStateSchema, ...errorResponses(400, 401, 404, 409, 415, 422) },
      },
      handler: async (request) => deps.handoff.update(principalOf(request), request.params.conversation_id, request.body),
    });
  };
}
