import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../http/error-schema.js';
import { notFound } from '../../http/errors.js';
import { principalOf, type Principal } from '../../http/request-context.js';
import { userSecurity } from '../../http/route-helpers.js';
import { tenantIdParamsSchema } from '../tenants/tenants.schemas.js';
import type { WidgetKeysService } from './widget-keys.service.js';

const tags = ['widget'];

export const embedSnippetSchema = z
  .object({
    snippet: z.string().describe('Paste before </body> on every page that should show the chat').meta({ example: '<script src="https://shiori.example.com/widget.js" data-api-key="wk_…" defer></script>' }),
    api_key: z.string().describe('The publishable widget key: it can call only the widget chat, from the allowed origins'),
    tenant_id: z.uuid(),
  })
  .meta({ id: 'EmbedSnippet' });

const escapeAttribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The embed snippet (docs/decisions.md C4), and key rotation (D6). */
export function widgetKeyRoutes(deps: { keys: WidgetKeysService }): FastifyPluginAsyncZod {
  const ownTenant = (principal: Principal, tenantId: string) => {
    if (principal.tenantId !== tenantId) throw notFound('Tenant');
    return tenantId;
  };
  const snippetFor = (publicUrl: string, tenantId: string, key: string) => ({
    snippet: `<script src="${escapeAttribute(`${publicUrl}/widget.js`)}" data-api-key="${escapeAttribute(key)}" defer></script>`,
    api_key: key,
    tenant_id: tenantId,
  });

  return async (app) => {
    app.get('/:tenant_id/embed-snippet', {
      config: { auth: 'user' },
      schema: {
        operationId: 'getEmbedSnippet',
        tags,
        security: userSecurity,
        summary: 'The widget’s embed code and its publishable key',
        description: 'The script is served by this server (PUBLIC_URL), not a third-party CDN. The key is created on first request.',
        params: tenantIdParamsSchema,
        response: { 200: embedSnippetSchema, ...errorResponses(401, 404, 422) },
      },
      handler: async (request) => {
        const tenantId = ownTenant(principalOf(request), request.params.tenant_id);
        return snippetFor(request.publicUrl, tenantId, await deps.keys.keyFor(tenantId));
      },
    });

    app.post('/:tenant_id/widget-key/rotate', {
      config: { auth: 'admin' },
      schema: {
        operationId: 'rotateWidgetKey',
        tags,
        security: userSecurity,
        summary: 'Replace the widget key (ADMIN): the old key stops working at once',
        description: 'Update the snippet on your site afterwards; pages still carrying the old key get 401.',
        params: tenantIdParamsSchema,
        response: { 200: embedSnippetSchema, ...errorResponses(401, 403, 404, 422) },
      },
      handler: async (request) => {
        const tenantId = ownTenant(principalOf(request), request.params.tenant_id);
        return snippetFor(request.publicUrl, tenantId, await deps.keys.rotate(tenantId));
      },
    });
  };
}
