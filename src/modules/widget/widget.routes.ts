import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../http/error-schema.js';
import type { RateLimitRule } from '../../http/rate-limit.js';
import { publicSecurity, widgetSecurity } from '../../http/route-helpers.js';
import { AppError } from '../../http/errors.js';
import { requestLanguage } from '../../http/language.js';
import { sendAnswer, withSources } from '../chat/answer-response.js';
import { chatRequestSchema, chatResponseSchema, STREAMING_DESCRIPTION, type ChatSource } from '../chat/chat.schemas.js';
import type { ChatService } from '../chat/chat.service.js';
import { widgetFeedbackBodySchema, widgetFeedbackResponseSchema } from '../chat/conversations.schemas.js';
import type { ConversationsService } from '../chat/conversations.service.js';
import { widgetHandoffBodySchema, widgetHandoffResponseSchema } from '../handoff/handoff.schemas.js';
import type { HandoffService } from '../handoff/handoff.service.js';
import type { ContentsService } from '../sources/contents/contents.service.js';
import { dispositionSchema, fileResponseSchema, sendFile } from '../sources/contents/send-file.js';
import type { TenantCache } from '../tenants/tenant-cache.js';
import { widgetSettingsOf, widgetSettingsSchema } from '../tenants/widget-settings.js';
import type { FileLinks } from './file-links.js';
import type { WidgetGuard } from './widget-guard.js';

export interface WidgetRoutesDeps {
  chat: ChatService;
  guard: WidgetGuard;
  fileLinks: FileLinks;
  files: Pick<ContentsService, 'original'>;
  tenants: Pick<TenantCache, 'get'>;
  fileRateLimit: RateLimitRule;
  /** Handing a conversation to a person (src/modules/handoff). */
  handoff: Pick<HandoffService, 'request'>;
  /** Visitors rating answers: the dashboard's rating path (inbox, webhook), src/modules/chat. */
  conversations: Pick<ConversationsService, 'rateAsVisitor'>;
}

const linkGone = new AppError('RESOURCE_NOT_FOUND', {
  ja: 'このリンクは期限切れか、無効です。チャットでもう一度質問すると、新しいリンクが表示されます。',
  en: 'This link has expired or is not valid. Ask in the chat again to get a new link.',
});

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
    for (const path of ['/chat', '/config', '/handoff', '/feedback']) {
      app.options(path, {
        config: { auth: 'public' },
        schema: { hide: true },
        handler: async (request, reply) => {
          allowOrigin(request, reply);
          return reply
            .header('Access-Control-Allow-Methods', 'GET, POST, PUT, OPTIONS')
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
        const sign = (sources: ChatSource[]) => sources.map((s) => deps.fileLinks.sign(request.publicUrl, widget.tenantId, s, widget.widget.link_files));
        return sendAnswer(request, reply, (signal) => withSources(deps.chat.ask(caller, request.body, signal), sign));
      },
    });

    app.post('/handoff', {
      config: { auth: 'widget' },
      onRequest: async (request, reply) => {
        allowOrigin(request, reply);
        await deps.guard.admitAction(await deps.guard.identify(request, reply), request, reply);
      },
      schema: {
        operationId: 'createWidgetHandoff',
        tags: ['chat'],
        security: widgetSecurity,
        summary: 'Hand the visitor’s conversation to a person (widget key): marks it handed off and returns the contact route to open',
        description:
          'The widget calls this when the visitor takes the offer under an answer (`metadata.handoff`). Same key, origin and per-visitor rules as the widget chat; ' +
          'not counted as an answer. Only the visitor’s own widget conversation (same `X-Visitor-Id`), else 404; 409 when the tenant has no contact route. ' +
          'Asking again while it is still requested keeps the first time and adds what the visitor wrote. `notice` (when closed) is in the visitor’s language (Accept-Language).',
        body: widgetHandoffBodySchema,
        response: { 200: widgetHandoffResponseSchema, ...errorResponses(400, 401, 403, 404, 409, 415, 422, 429) },
      },
      handler: async (request) => {
        const widget = request.widget!;
        return deps.handoff.request({ tenantId: widget.tenantId, visitorId: widget.visitorId, widget: widget.widget }, request.body, requestLanguage(request));
      },
    });

    app.put('/feedback', {
      config: { auth: 'widget' },
      onRequest: async (request, reply) => {
        allowOrigin(request, reply);
        await deps.guard.admitAction(await deps.guard.identify(request, reply), request, reply);
      },
      schema: {
        operationId: 'setWidgetFeedback',
        tags: ['chat'],
        security: widgetSecurity,
        summary: 'A visitor rates an answer 👍/👎 in the widget, with an optional comment (null clears the rating)',
        description:
          'The same rating as the dashboard’s (`PUT /api/v1/conversations/{id}/messages/{message_id}/feedback`): a new 👎 goes to the inbox and sends the ' +
          '`answer.rated_down` webhook (`rated_by` null). Same key, origin and per-visitor rules as the widget chat; not counted as an answer. ' +
          'Only an answer of the visitor’s own widget conversation (same `X-Visitor-Id`), else 404.',
        body: widgetFeedbackBodySchema,
        response: { 200: widgetFeedbackResponseSchema, ...errorResponses(400, 401, 403, 404, 415, 422, 429) },
      },
      handler: async (request) => {
        const widget = request.widget!;
        const rated = await deps.conversations.rateAsVisitor({ tenantId: widget.tenantId, visitorId: widget.visitorId }, request.body);
        return { message_id: rated.id, feedback: rated.feedback, feedback_comment: rated.feedbackComment };
      },
    });

    app.get('/files/:link', {
      config: { auth: 'public', rateLimit: deps.fileRateLimit },
      schema: {
        operationId: 'openWidgetFile',
        tags: ['chat'],
        security: publicSecurity,
        summary: 'A cited file, opened from the widget by a visitor (signed link)',
        description:
          'The `url` of a widget answer’s source when the tenant lets visitors open files (widget setting `link_files`): a PDF is shown by the browser ' +
          '(at its page: the link ends in `#page=N`), other types are downloaded. Valid for 24 hours; 404 once expired or altered, for another tenant’s ' +
          'file, or after the tenant turned `link_files` off.',
        params: z.object({ link: z.string().max(200) }),
        querystring: z.object({ disposition: dispositionSchema }),
        response: { 200: fileResponseSchema, ...errorResponses(404, 422, 429) },
      },
      handler: async (request, reply) => {
        const named = deps.fileLinks.verify(request.params.link);
        const tenant = named && (await deps.tenants.get(named.tenantId));
        if (!named || !tenant || !widgetSettingsOf(tenant.settings).link_files) throw linkGone;
        const { content, bytes } = await deps.files.original(named.tenantId, named.fileId).catch(() => Promise.reject(linkGone));
        return sendFile(reply, content, bytes, 'inline');
      },
    });
  };
}
