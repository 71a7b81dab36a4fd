import type { FastifyInstance } from 'fastify';

/**
 * Headers on every answer, set before anything else runs so errors and hijacked replies (the
 * streamed answers copy `reply.getHeaders()`) carry them too:
 * - `X-Content-Type-Options: nosniff`: a JSON body quoting a user's `<script>` is never run as HTML.
 * - `Cache-Control: no-store` unless the route sets its own (the dashboard's files, widget.js,
 *   the docs): API answers are per user and must not stay in a browser's or proxy's cache.
 */
export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Cache-Control', 'no-store');
  });
}
