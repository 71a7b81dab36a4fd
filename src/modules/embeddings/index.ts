/**
 * Document vectors: the OpenAI-protocol embedding client, the pgvector table, ingestion's hook
 * and the tenant-filtered vector search. See README.md beside this file.
 *
 *   const embeddings = createEmbeddingsService({ db, credentials, tenants, vectorsAvailable: () => database.vectorSearch, log });
 *   const hits = await embeddings.vectorSearch(tenantId, '返品の条件は？', { topK: 10 }); // null → full-text only
 */
export { createEmbeddingClient, EmbeddingError, type EmbeddingClient, type EmbeddingClientOptions } from './embedding-client.js';
export {
  createEmbeddingsService,
  defaultEmbeddingsOptions,
  type EmbeddingsDeps,
  type EmbeddingsOptions,
  type EmbeddingsService,
  type VectorHit,
  type VectorSearch,
  type VectorSearchOptions,
} from './embeddings.service.js';
export { ensureVectorSchema, prepareVectorStorage, vectorIndexes, type VectorSchemaResult } from './vector-schema.js';
