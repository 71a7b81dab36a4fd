import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DatabaseHandle } from '../../db/client.js';
import { errorResponses } from '../../http/error-schema.js';
import { publicSecurity } from '../../http/route-helpers.js';

const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    version: z.string(),
    uptime_seconds: z.number(),
    database: z.object({ driver: z.enum(['pglite', 'postgres']), reachable: z.boolean(), latency_ms: z.number().nullable() }),
    capabilities: z.object({
      vector_search: z.boolean().describe('pgvector is available; without it retrieval is full-text only'),
      shared_rate_limits: z.boolean().describe('Rate limits are shared through Redis'),
    }),
  })
  .meta({ id: 'Health' });

export interface HealthDeps {
  database: DatabaseHandle;
  redisConfigured: boolean;
  version: string;
}

/** Liveness plus what this instance can do. 503 when the database does not answer. */
export function healthRoutes(deps: HealthDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/health', {
      config: { auth: 'public' },
      logLevel: 'warn',
      schema: { operationId: 'getHealth', security: publicSecurity, tags: ['health'], summary: 'Liveness, database reachability and capabilities', response: { 200: healthSchema, 503: healthSchema, ...errorResponses(431) } },
      handler: async (_request, reply) => {
        const latency = await Promise.race([
          deps.database.ping(),
          new Promise<null>((resolve) => setTimeout(() => resolve(null), 2000).unref()),
        ]).catch(() => null);
        const reachable = latency !== null;
        return reply.status(reachable ? 200 : 503).send({
          status: reachable ? 'ok' : 'degraded',
          version: deps.version,
          uptime_seconds: Math.round(process.uptime()),
          database: { driver: deps.database.driver, reachable, latency_ms: latency },
          capabilities: { vector_search: deps.database.vectorSearch, shared_rate_limits: deps.redisConfigured },
        });
      },
    });
  };
}
