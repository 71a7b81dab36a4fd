import { readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { AppError } from '../../http/errors.js';

/** Paths the dashboard never answers: the API and the server's own pages keep their 404s. */
const SERVER_PREFIXES = ['/api', '/docs', '/redoc', '/openapi.json', '/widget.js', '/health'];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * Only this origin, no inline code: React renders model text as text, the stylesheet is a file.
 * `img-src data:` is for the 2FA QR code (a data URL the API returns).
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const isServerPath = (path: string) => SERVER_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));

/**
 * GET /*: the dashboard SPA built into `distDir`. Hashed files under /assets are cached for a year;
 * index.html — the answer for every other page path, so reloading /documents/42 works — is never
 * cached, so a deploy is picked up at once. Precompressed `.gz` siblings are sent to gzip clients.
 */
export function webRoutes(deps: { distDir: string }): FastifyPluginAsync {
  async function sendFile(reply: FastifyReply, path: string, acceptsGzip: boolean, cacheControl: string): Promise<boolean> {
    const type = CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';
    const gzipped = acceptsGzip ? await readFile(`${path}.gz`).catch(() => undefined) : undefined;
    const body = gzipped ?? (await readFile(path).catch(() => undefined));
    if (!body) return false;
    if (gzipped) reply.header('Content-Encoding', 'gzip');
    void reply.header('Cache-Control', cacheControl).header('Vary', 'Accept-Encoding').header('X-Content-Type-Options', 'nosniff').type(type).send(body);
    return true;
  }

  return async (app) => {
    app.get('/*', {
      config: { auth: 'public' },
      logLevel: 'warn',
      schema: { hide: true },
      handler: async (request, reply) => {
        const path = request.url.split('?')[0]!;
        const notFound = new AppError('RESOURCE_NOT_FOUND', { ja: `GET ${path} という API はありません。`, en: `No route for GET ${path}` });
        if (isServerPath(path)) throw notFound;
        const gzip = /\bgzip\b/.test(request.headers['accept-encoding'] ?? '');
        if (path.startsWith('/assets/')) {
          // Plain file names only: no way out of the folder.
          const name = /^\/assets\/([\w-][\w.-]*)$/.exec(path)?.[1];
          if (name && (await sendFile(reply, join(deps.distDir, 'assets', name), gzip, 'public, max-age=31536000, immutable'))) return reply;
          throw notFound;
        }
        const rootFile = /^\/([\w-]+\.[a-z0-9]+)$/.exec(path);
        if (rootFile && rootFile[1] !== 'index.html') {
          if (await sendFile(reply, join(deps.distDir, rootFile[1]!), gzip, 'public, max-age=3600')) return reply;
          throw notFound;
        }
        // Any other path is a page of the app: its router decides (and shows its own "not found").
        const index = join(deps.distDir, 'index.html');
        if (!(await stat(index).catch(() => undefined))) {
          return reply.status(503).type('text/plain; charset=utf-8').header('Cache-Control', 'no-store').send('The dashboard has not been built on this server: run npm run build');
        }
        reply
          .header('Content-Security-Policy', DASHBOARD_CSP)
          .header('Referrer-Policy', 'same-origin')
          .header('X-Frame-Options', 'DENY')
          .header('Cross-Origin-Opener-Policy', 'same-origin');
        await sendFile(reply, index, gzip, 'no-cache');
        return reply;
      },
    });
  };
}
