import type { TenantSettings } from '../../db/schema.js';
import { defaultChunking, type ChunkingOptions } from '../../lib/text/chunk.js';

/**
 * A tenant's settings as every module reads them: the stored JSON (`tenants.settings`) with the
 * defaults filled in. The tenants module owns the settings; the widget's part is in widget-settings.ts.
 */

/** The embedding model of a tenant that never chose one. */
export const DEFAULT_EMBEDDING_MODEL = 'text-embedding-3-small';

/** What a new tenant is created with (tenants.repo.ts `create`). */
export const defaultTenantSettings: TenantSettings = { embedding_model: DEFAULT_EMBEDDING_MODEL, llm_model: 'gpt-4o-mini' };

/** The model the tenant's documents and questions are embedded with. */
export const embeddingModelOf = (settings: TenantSettings): string => settings.embedding_model || DEFAULT_EMBEDDING_MODEL;

/** The tenant's chunking settings, or the defaults measured with bench/eval-fulltext.ts. */
export function chunkingFor(settings: TenantSettings): ChunkingOptions {
  return { chunkSize: settings.chunk_size ?? defaultChunking.chunkSize, chunkOverlap: settings.chunk_overlap ?? defaultChunking.chunkOverlap };
}

/** Sites whose pages may use the widget key; empty: any site. */
export const allowedOriginsOf = (settings: TenantSettings): string[] => settings.allowed_origins ?? [];
