import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses } from '../../http/error-schema.js';
import type { RateLimitRule } from '../../http/rate-limit.js';
import { principalOf } from '../../http/request-context.js';
import { userSecurity } from '../../http/route-helpers.js';
import { usageContextOf } from '../usage/usage-recorder.js';
import { searchBodySchema, searchResponseSchema } from './retrieval.schemas.js';
import type { RetrievalService } from './retrieval.service.js';

export interface RetrievalRoutesDeps {
  retrieval: RetrievalService;
  searchRateLimit: RateLimitRule;
}

/** POST /api/v1/search: the passages the chat would cite, for the dashboard and API clients. */
export function retrievalRoutes(deps: RetrievalRoutesDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/search', {
      config: { auth: 'user', rateLimit: deps.searchRateLimit },
      schema: {
        operationId: 'searchPassages',
        tags: ['search'],
        security: userSecurity,
        summary: 'Search the tenant’s documents: the most relevant passages for a question',
        description:
          'Full-text search over Japanese and English (words cut by Intl.Segmenter, ranked by BM25), fused by reciprocal rank ' +
          'with vector search when an embedding provider is configured. Only completed documents of the caller’s tenant are ' +
          'searched; a file id of another tenant simply matches nothing.',
        body: searchBodySchema,
        response: { 200: searchResponseSchema, ...errorResponses(400, 401, 415, 422, 429) },
      },
      handler: async (request) => {
        const started = performance.now();
        const { query, top_k, file_ids, tags, min_score } = request.body;
        const principal = principalOf(request);
        const { results, mode } = await deps.retrieval.search(principal.tenantId, {
          query,
          topK: top_k,
          fileIds: file_ids,
          tags,
          minScore: min_score,
          usage: usageContextOf(principal),
        });
        return { query, results, took_ms: Math.round((performance.now() - started) * 10) / 10, mode };
      },
    });
  };
}
