import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { errorCodes } from './errors.js';

const require = createRequire(import.meta.url);
const redocBundle = require.resolve('redoc/bundles/redoc.standalone.js');

/**
 * The docs pages load from this server only. Swagger UI's own CSP (`staticCSP: true`) allows any
 * https: style and font, so it gets this one; its `<style>`-carrying logo is never drawn because the
 * layout has no top bar (which only offered to load another spec by URL).
 */
const SWAGGER_UI_CSP =
  "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'; object-src 'none'; script-src 'self'; script-src-attr 'none'; style-src 'self'; img-src 'self' data:; font-src 'self' data:";
/** ReDoc injects its styles as `<style>` elements (styled-components) and searches in a blob: worker. */
const REDOC_CSP =
  "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'; object-src 'none'; script-src 'self' blob:; worker-src 'self' blob:; style-src 'self' 'unsafe-inline'; img-src 'self' data:";

// ReDoc's sidebar footer always draws Redocly's logo from their CDN; an empty image takes its place.
const REDOC_CDN_LOGO = 'https://cdn.redoc.ly/redoc/logo-mini.svg';
const EMPTY_IMAGE = 'data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E';
let redocScript: Promise<string> | undefined;
function loadRedocScript(): Promise<string> {
  redocScript ??= readFile(redocBundle, 'utf8').then((source) => {
    if (!source.includes(REDOC_CDN_LOGO)) throw new Error(`redoc.standalone.js no longer refers to ${REDOC_CDN_LOGO}: check what it loads from elsewhere now`);
    return source.replaceAll(REDOC_CDN_LOGO, EMPTY_IMAGE);
  });
  return redocScript;
}

/**
 * The document without the component schemas no operation uses. Every registered Zod schema comes
 * out twice, as `Name` (what responses send) and `NameInput` (what requests take); a schema used in
 * only one direction would otherwise leave an unused twin for client generators to turn into dead types.
 */
function withoutUnusedSchemas<T>(document: T): T {
  const { paths, components } = document as { paths?: unknown; components?: { schemas?: Record<string, unknown> } };
  const schemas = components?.schemas ?? {};
  const used = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) {
        const name = key === '$ref' && typeof inner === 'string' ? /^#\/components\/schemas\/(.+)$/.exec(inner)?.[1] : undefined;
        if (name === undefined) visit(inner);
        else if (!used.has(name)) {
          used.add(name);
          visit(schemas[name]);
        }
      }
    }
  };
  visit(paths);
  const kept = Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)));
  return { ...document, components: { ...components, schemas: kept } };
}

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
    transformObject: (document) => withoutUnusedSchemas(jsonSchemaTransformObject(document)),
  });

  // The server is where this request came to (or PUBLIC_URL), so "Try it out" calls this very server.
  app.get('/openapi.json', { schema: { hide: true }, config: { auth: 'public' } }, async (request) => ({ ...app.swagger(), servers: [{ url: request.publicUrl }] }));
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true, layout: 'BaseLayout' }, staticCSP: SWAGGER_UI_CSP });

  app.get('/redoc', { schema: { hide: true }, config: { auth: 'public' } }, async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('Content-Security-Policy', REDOC_CSP)
      .send(
        '<!doctype html><html><head><meta charset="utf-8"><title>Shiori API — ReDoc</title>' +
          '<meta name="viewport" content="width=device-width, initial-scale=1">' +
          // No icon of its own: without this line the browser asks for /favicon.ico, a 404 in the console.
          '<link rel="icon" href="data:,"></head>' +
          '<body><redoc spec-url="/openapi.json"></redoc><script src="/redoc/redoc.standalone.js"></script></body></html>',
      ),
  );
  app.get('/redoc/redoc.standalone.js', { schema: { hide: true }, config: { auth: 'public' } }, async (_request, reply) =>
    reply.type('application/javascript; charset=utf-8').header('Cache-Control', 'public, max-age=86400').send(await loadRedocScript()),
  );
}
