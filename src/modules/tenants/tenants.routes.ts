import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { tenants } from '../../db/schema.js';
import { errorResponses } from '../../http/error-schema.js';
import { principalOf } from '../../http/request-context.js';
import { userSecurity } from '../../http/route-helpers.js';
import { allowedOriginsOf, chunkingFor } from './tenant-settings.js';
import { tenantIdParamsSchema, tenantSchema, updateTenantBodySchema } from './tenants.schemas.js';
import type { TenantsService } from './tenants.service.js';
import { widgetSettingsOf } from './widget-settings.js';

const tags = ['tenants'];

const toTenant = (tenant: typeof tenants.$inferSelect) => {
  const chunking = chunkingFor(tenant.settings);
  return {
    id: tenant.id,
    name: tenant.name,
    domain: tenant.domain,
    plan: tenant.plan,
    status: tenant.status,
    settings: {
      embedding_model: tenant.settings.embedding_model,
      llm_model: tenant.settings.llm_model,
      chunk_size: chunking.chunkSize,
      chunk_overlap: chunking.chunkOverlap,
      allowed_origins: allowedOriginsOf(tenant.settings),
      bot_instructions: tenant.settings.bot_instructions ?? null,
      widget: widgetSettingsOf(tenant.settings),
    },
    created_at: tenant.createdAt.toISOString(),
  };
};

/** The tenant (docs/decisions.md C4). A user sees only their own tenant; any other id is 404 (D12). */
export function tenantsRoutes(deps: { tenants: TenantsService }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/:tenant_id', {
      config: { auth: 'user' },
      schema: {
        operationId: 'getTenant',
        tags,
        security: userSecurity,
        summary: 'The tenant’s details and settings',
        params: tenantIdParamsSchema,
        response: { 200: tenantSchema, ...errorResponses(401, 404, 422) },
      },
      handler: async (request) => toTenant(await deps.tenants.get(principalOf(request), request.params.tenant_id)),
    });

    app.patch('/:tenant_id', {
      config: { auth: 'admin' },
      schema: {
        operationId: 'updateTenant',
        tags,
        security: userSecurity,
        summary: 'Change the tenant’s name, models, chunking, bot instructions, widget origins or widget settings (ADMIN)',
        description:
          'Only the fields sent change. A new `embedding_model` re-embeds every document in the background (search keeps working meanwhile). ' +
          'New chunking applies to documents uploaded or reprocessed afterwards. `bot_instructions` (null clears them) go into the chat’s prompt above the product’s rules, which they cannot override. ' +
          'Plan and status change only through billing.',
        params: tenantIdParamsSchema,
        body: updateTenantBodySchema,
        response: { 200: tenantSchema, ...errorResponses(401, 403, 404, 422) },
      },
      handler: async (request) => toTenant(await deps.tenants.update(principalOf(request), request.params.tenant_id, request.body)),
    });
  };
}
