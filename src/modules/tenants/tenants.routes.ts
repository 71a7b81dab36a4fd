import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { plans, tenantStatuses } from '../../db/schema.js';
import { notFound } from '../../http/errors.js';
import { errorResponses } from '../../http/error-schema.js';
import { principalOf } from '../../http/request-context.js';
import { userSecurity } from '../../http/route-helpers.js';
import type { TenantsRepo } from './tenants.repo.js';

export const tenantSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    domain: z.string().nullable(),
    plan: z.enum(plans),
    status: z.enum(tenantStatuses),
    settings: z.object({ embedding_model: z.string(), llm_model: z.string() }),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'Tenant' });

/** Seed 000 §3.4. A user sees only their own tenant; any other id is 404 (SPEC decision 12). */
export function tenantsRoutes(deps: { tenants: TenantsRepo }): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/:tenant_id', {
      config: { auth: 'user' },
      schema: {
        tags: ['tenants'],
        security: userSecurity,
        summary: 'The tenant’s details and settings',
        params: z.object({ tenant_id: z.uuid('must be a UUID') }),
        response: { 200: tenantSchema, ...errorResponses(401, 404, 422) },
      },
      handler: async (request) => {
        const tenant = await deps.tenants.findOwn(principalOf(request).tenantId, request.params.tenant_id);
        if (!tenant) throw notFound('Tenant');
        return {
          id: tenant.id,
          name: tenant.name,
          domain: tenant.domain,
          plan: tenant.plan,
          status: tenant.status,
          settings: { embedding_model: tenant.settings.embedding_model, llm_model: tenant.settings.llm_model },
          created_at: tenant.createdAt.toISOString(),
        };
      },
    });
  };
}
