import type { Database } from '../../db/client.js';
import { notFound, validationFailed } from '../../http/errors.js';
import { japaneseFieldMessage } from '../../http/field-messages.js';
import type { Principal } from '../../http/request-context.js';
import { validateChunkingOptions } from '../../lib/text/chunk.js';
import { chunkingFor } from './tenant-settings.js';
import { createTenantsRepo } from './tenants.repo.js';
import type { UpdateTenantBody } from './tenants.schemas.js';

export interface TenantsDeps {
  db: Database;
  /** Sets the embedding model and re-embeds the tenant's documents when it changed. */
  changeEmbeddingModel(tenantId: string, model: string): Promise<unknown>;
  /** Called once a change is stored, so cached copies of the tenant (tenant-cache.ts) are dropped at once. */
  onChanged(tenantId: string): void;
}

export function createTenantsService(deps: TenantsDeps) {
  const tenants = createTenantsRepo(deps.db);

  async function get(principal: Principal, id: string) {
    const tenant = await tenants.findOwn(principal.tenantId, id);
    if (!tenant) throw notFound('Tenant');
    return tenant;
  }

  return {
    get,

    /** ADMIN settings. New chunking applies to documents uploaded or reprocessed afterwards. */
    async update(principal: Principal, id: string, body: UpdateTenantBody) {
      const tenant = await get(principal, id);
      const chunking = chunkingFor({ ...tenant.settings, chunk_size: body.chunk_size ?? tenant.settings.chunk_size, chunk_overlap: body.chunk_overlap ?? tenant.settings.chunk_overlap });
      const problems = validateChunkingOptions(chunking);
      if (problems.length) {
        throw validationFailed(problems.map((message) => ({ field: 'chunk_overlap', message: { ja: japaneseFieldMessage(message) ?? message, en: message } })));
      }
      const settings = {
        llm_model: body.llm_model,
        chunk_size: body.chunk_size,
        chunk_overlap: body.chunk_overlap,
        allowed_origins: body.allowed_origins,
        bot_instructions: body.bot_instructions,
        widget: body.widget && { ...tenant.settings.widget, ...body.widget },
      };
      const changed = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
      try {
        if (body.name !== undefined) await tenants.rename(tenant.id, body.name);
        if (Object.keys(changed).length) await tenants.updateSettings(tenant.id, changed);
        if (body.embedding_model !== undefined) await deps.changeEmbeddingModel(tenant.id, body.embedding_model);
      } finally {
        deps.onChanged(tenant.id);
      }
      return get(principal, id);
    },
  };
}

export type TenantsService = ReturnType<typeof createTenantsService>;
