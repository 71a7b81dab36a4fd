import type { Provider } from '../../db/schema.js';
import { createOutboundFetch, type OutboundFetch, type OutboundOptions } from '../../lib/outbound/outbound-fetch.js';

/** Where one key's requests go, and how. */
export interface ProviderEndpoint {
  baseUrl: string;
  /** Set for a tenant's own base_url: the SSRF-guarded fetch. */
  fetch?: OutboundFetch;
}

export type ProviderEndpoints = (key: { provider: Provider; baseUrl?: string | null }) => ProviderEndpoint;

/**
 * An openai-compatible key carries its tenant's server, reached only through the SSRF guard;
 * openai and anthropic keys go to the operator's API roots (LLM_*_BASE_URL), which may well be an
 * internal gateway, so they are not guarded. One guarded fetch (one connection pool) per process.
 */
export function createProviderEndpoints(roots: { openai: string; anthropic: string }, policy: OutboundOptions): ProviderEndpoints {
  const tenantFetch = createOutboundFetch(policy);
  return (key) =>
    key.baseUrl ? { baseUrl: key.baseUrl, fetch: tenantFetch } : { baseUrl: key.provider === 'anthropic' ? roots.anthropic : roots.openai };
}
