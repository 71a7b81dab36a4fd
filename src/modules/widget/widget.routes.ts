import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../http/error-schema.js';
import { widgetSecurity } from '../../http/route-helpers.js';
import { sendAnswer } from '../chat/answer-response.js';
import { chatRequestSchema, chatResponseSchema, STREAMING_DESCRIPTION } from '../chat/chat.schemas.js';
import type { ChatService } from '../chat/chat.service.js';
import { widgetSettingsSchema } from '../tenants/widget-settings.js';
import type { WidgetGuard } from './widget-guard.js';

export interface WidgetRoutesDeps {
  chat: ChatService;
  guard: WidgetGuard;
}

export const widgetConfigSchema = widgetSettingsSchema
  .extend({ tenant_name: z.string().describe('Shown when `title` is null') })
  .meta({ id: 'WidgetConfig' });

const ALLOWED_HEADERS = 'Content-Type, Accept, Accept-Language, X-API-Key, X-Visitor-Id';
const EXPOSED_HEADERS = 'Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, X-Request-Id';

/**
 * CORS for the widget: any page may ask (the preflight carries no key, so it cannot know the
 * tenant); the key's allowed origins are enforced on the request itself. Errors carry the CORS
 * headers too, so the widget can read and show them. No cookies are involved.
 */
function allowOrigin(request: FastifyRequest, reply: FastifyReply) {
  reply.header('Vary', 'Origin');
  reply.header('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  const origin = request.headers.origin;
  if (origin) reply.header('Access-Control-Allow-Origin', origin);
}

/** POST /api/v1/chats/widget/chat (docs/decisions.md C2), for the embeddable widget (D6). */
export function widgetRoutes(deps: WidgetRoutesDeps): FastifyPluginAsyncZod {
  return async (app) => {
    for (const path of ['/chat', '/config']) {
      app.options(path, {
        config: { auth: 'public' },
        schema: { hide: true },
        handler: async (request, reply) => {
          allowOrigin(request, reply);
          return reply
            .header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS')
            .header('Access-Control-Allow-Headers', ALLOWED_HEADERS)
            .header('Access-Control-Max-Age', '600')
            .status(204)
            .send();
        },
      });
    }

    app.get('/config', {
      config: { auth: 'widget' },
      onRequest: async (request, reply) => {
        allowOrigin(request, reply);
        await deps.guard.identify(request, reply);
      },
      schema: {
        operationId: 'getWidgetConfig',
        tags: ['chat'],
        security: widgetSecurity,
        summary: 'The widget’s look and behaviour, for widget.js (widget key)',
        description: 'Same key and origin rules as the widget chat; not counted against the chat limits. Set by ADMINs with PATCH /api/v1/tenants/{id} (`widget`).',
        response: { 200: widgetConfigSchema, ...errorResponses(401, 403, 422, 429) },
      },
      handler: async (request) => {
        const { tenantName, widget } = request.widget!;
        return { ...widget, tenant_name: tenantName };
      },
    });

    app.post('/chat', {
      config: { auth: 'widget' },
      onRequest: async (request, reply) => {
        allowOrigin(request, reply);
        await deps.guard.admitQuestion(await deps.guard.identify(request, reply), request, reply);
      },
      schema: {
        operationId: 'createWidgetChat',
        tags: ['chat'],
        security: widgetSecurity,
        summary: 'Widget chat: the same question and answer as /chats/rag, with the publishable widget key',
        description:
          'Authenticated by `X-API-Key` (the key in the embed snippet, which can call nothing else). When the tenant lists allowed origins, ' +
          'the page’s `Origin` must be one of them (403 otherwise). `X-Visitor-Id` (8–64 letters, digits, - or _; the widget keeps one per browser) ' +
          'ties a conversation to its visitor: only that visitor can continue it with `session_id`. Limits, each a 429 with `Retry-After` and a ' +
          'message in the visitor’s language (Accept-Language) that the widget can show as it is: per address, per key (60 a minute), per ' +
          'visitor, and the plan’s answers a month, counted with the dashboard’s and the API’s (`QUOTA_EXCEEDED`, until the 1st, UTC). ' +
          STREAMING_DESCRIPTION,
        body: chatRequestSchema,
        response: { 200: chatResponseSchema, ...errorResponses(400, 401, 403, 404, 415, 422, 429, 502) },
      },
      handler: async (request, reply) => {
        const widget = request.widget!;
        const caller = { tenantId: widget.tenantId, userId: null, visitorId: widget.visitorId, channel: 'widget' } as const;
        return sendAnswer(request, reply, (signal) => deps.chat.ask(caller, request.body, signal));
      },
    });
  };
}
