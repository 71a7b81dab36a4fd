import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { errorCodes } from './errors.js';

const require = createRequire(import.meta.url);
const redocBundle = require.resolve('redoc/bundles/redoc.standalone.js');

/** OpenAPI from the routes' Zod schemas; Swagger UI at /docs and ReDoc at /redoc, all assets served here. */
export async function registerDocs(app: FastifyInstance, info: { version: string }): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Shiori API',
        version: info.version,
        description: [
          'Multi-tenant RAG chatbot platform.',
          '',
          'Every error has the shape `{ "detail", "error_code", "timestamp" }`. Error codes: ' + errorCodes.map((c) => `\`${c}\``).join(', ') + '.',
          '',
          'Rate-limited endpoints answer 429 `RATE_LIMIT_EXCEEDED` with a `Retry-After` header.',
        ].join('\n'),
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          cookieAuth: { type: 'apiKey', in: 'cookie', name: 'shiori_access' },
          widgetKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'The tenant’s publishable widget key: it can call only the widget chat' },
        },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  // The server is where this request came to (or PUBLIC_URL), so "Try it out" calls this very server.
  app.get('/openapi.json', { schema: { hide: true }, config: { auth: 'public' } }, async (request) => ({ ...app.swagger(), servers: [{ url: request.publicUrl }] }));
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true }, staticCSP: true });

  app.get('/redoc', { schema: { hide: true }, config: { auth: 'public' } }, async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('Content-Security-Policy', "default-src 'self'; script-src 'self' blob:; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data:")
      .send(
        '<!doctype html><html><head><meta charset="utf-8"><title>Shiori API — ReDoc</title>' +
          '<meta name="viewport" content="width=device-width, initial-scale=1">' +
          // ReDoc's footer logo lives on a CDN; the CSP blocks it, so hide the empty image.
          '<style>img[src*="cdn.redoc.ly"]{display:none}</style></head>' +
          '<body><redoc spec-url="/openapi.json"></redoc><script src="/redoc/redoc.standalone.js"></script></body></html>',
      ),
  );
  app.get('/redoc/redoc.standalone.js', { schema: { hide: true }, config: { auth: 'public' } }, async (_request, reply) =>
    reply.type('application/javascript; charset=utf-8').header('Cache-Control', 'public, max-age=86400').send(createReadStream(redocBundle)),
  );
}
