import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '../../http/errors.js';

interface LoadedScript {
  mtimeMs: number;
  size: number;
  body: Buffer;
  gzipped: Buffer;
  etag: string;
}

/**
 * GET /widget.js: the embeddable script that the embed snippet points at (docs/decisions.md D6: this
 * server, no CDN). Built by `npm run build` into `scriptPath`; read again when the file changes,
 * so a rebuild needs no restart. Public, cacheable for an hour and revalidated by ETag.
 */
export function widgetScriptRoutes(deps: { scriptPath: string }): FastifyPluginAsync {
  let loaded: LoadedScript | undefined;

  async function load(): Promise<LoadedScript> {
    const info = await stat(deps.scriptPath).catch(() => undefined);
    if (!info) throw new AppError('RESOURCE_NOT_FOUND', { ja: 'このサーバーでは widget.js がビルドされていません。npm run build を実行してください。', en: 'widget.js has not been built on this server: run npm run build' });
    if (loaded && loaded.mtimeMs === info.mtimeMs && loaded.size === info.size) return loaded;
    const body = await readFile(deps.scriptPath);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    loaded = { mtimeMs: info.mtimeMs, size: info.size, body, gzipped: gzipSync(body, { level: 9 }), etag };
    return loaded;
  }

  return async (app) => {
    app.get('/widget.js', {
      config: { auth: 'public' },
      logLevel: 'warn',
      schema: { hide: true },
      handler: async (request, reply) => {
        const script = await load();
        reply
          .header('Cache-Control', 'public, max-age=3600')
          .header('ETag', script.etag)
          .header('Vary', 'Accept-Encoding')
          // Any site may load it; the key's allowed origins are checked on the API calls it makes.
          .header('Access-Control-Allow-Origin', '*')
          .header('Cross-Origin-Resource-Policy', 'cross-origin')
          .header('X-Content-Type-Options', 'nosniff')
          .type('application/javascript; charset=utf-8');
        const known = request.headers['if-none-match'];
        if (known && known.split(',').some((tag) => tag.trim().replace(/^W\//, '') === script.etag)) return reply.status(304).send();
        if (/\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) return reply.header('Content-Encoding', 'gzip').send(script.gzipped);
        return reply.send(script.body);
      },
    });
  };
}
