import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses } from '../../http/error-schema.js';
import { principalOf } from '../../http/request-context.js';
import { messageResponseSchema, userSecurity } from '../../http/route-helpers.js';
import type { ProviderKeyRow } from './api-keys.repo.js';
import { apiKeyIdParamsSchema, apiKeySchema, createApiKeyBodySchema } from './api-keys.schemas.js';
import type { ApiKeysService } from './api-keys.service.js';

const tags = ['api-keys'];
const admin = { auth: 'admin' as const };

// Names every field it returns: the sealed key has no way into a response.
const toApiKey = (k: ProviderKeyRow) => ({
  id: k.id,
  provider: k.provider,
  model: k.model,
  is_active: k.isActive,
  key_hint: k.keyHint,
  base_url: k.baseUrl,
  created_at: k.createdAt.toISOString(),
});

/** The tenant's LLM / embedding provider keys (docs/decisions.md C5; ADMIN only, D7). */
export function apiKeysRoutes(deps: { apiKeys: ApiKeysService }): FastifyPluginAsyncZod {
  const { apiKeys } = deps;
  return async (app) => {
    app.get('/', {
      config: admin,
      schema: {
        operationId: 'listApiKeys',
        tags,
        security: userSecurity,
        summary: 'List provider API keys (ADMIN), newest first; keys are shown masked',
        response: { 200: z.array(apiKeySchema), ...errorResponses(401, 403) },
      },
      handler: async (request) => (await apiKeys.list(principalOf(request))).map(toApiKey),
    });

    app.post('/', {
      config: admin,
      schema: {
        operationId: 'createApiKey',
        tags,
        security: userSecurity,
        summary: 'Add a provider API key (ADMIN); it is stored encrypted and never returned',
        description:
          'Providers: `openai`, `anthropic`, and `openai-compatible` with a `base_url` (Azure OpenAI, Ollama, vLLM, LM Studio, OpenRouter…). ' +
          'The newest `openai` or `openai-compatible` key also computes the document vectors, with the tenant’s `embedding_model`; ' +
          'adding one queues the documents for embedding.\n\n' +
          'With `verify: true` the key is checked with the provider before it is stored (`openai`, `anthropic`: the model is looked up, ' +
          'which costs nothing; `openai-compatible`: a one-token completion, since many such servers cannot look a model up). ' +
          'If the provider refuses, the answer is 422 `VALIDATION_ERROR` quoting its reason, on `api_key` (rejected key, no access, quota), ' +
          '`model` (404: unknown model, or a base_url without the API behind it) or `base_url` (an openai-compatible server that cannot be reached ' +
          'or does not answer in time), and nothing is stored. Without it (the default) the key is stored unchecked.',
        body: createApiKeyBodySchema,
        response: { 201: apiKeySchema, ...errorResponses(401, 403, 422) },
      },
      handler: async (request, reply) => reply.status(201).send(toApiKey(await apiKeys.create(principalOf(request), request.body))),
    });

    app.delete('/:api_key_id', {
      config: admin,
      schema: {
        operationId: 'deleteApiKey',
        tags,
        security: userSecurity,
        summary: 'Delete a provider API key (ADMIN)',
        params: apiKeyIdParamsSchema,
        response: { 200: messageResponseSchema, ...errorResponses(401, 403, 404, 422) },
      },
      handler: async (request) => {
        await apiKeys.remove(principalOf(request), request.params.api_key_id);
        return { message: 'APIキーが削除されました' };
      },
    });
  };
}
