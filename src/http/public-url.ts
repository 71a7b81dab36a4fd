import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Where people reach this server, without a trailing slash: PUBLIC_URL when set, otherwise the
     * origin this request came to (its scheme and Host; X-Forwarded-Proto/-Host only with TRUST_PROXY,
     * as Fastify reads them). Links we hand out — the embed snippet, invitations, the OpenAPI
     * server, Stripe's return pages — use it, so a dashboard opened at 127.0.0.1:3000 gets
     * 127.0.0.1:3000 links, not localhost ones.
     */
    publicUrl: string;
  }
}

export function registerPublicUrl(app: FastifyInstance, configured: string | undefined): void {
  app.decorateRequest('publicUrl', {
    getter() {
      return configured ?? `${this.protocol}://${this.host}`;
    },
  });
}
