import { createTtlCache } from '../../lib/ttl-cache.js';
import type { TenantsRepo, TenantView } from './tenants.repo.js';

/**
 * The tenant row that every widget and chat request reads (key owner, status, plan, settings),
 * held in this process. Whatever changes those columns calls `forget` once it is stored: settings
 * and name (tenants service), the widget key (widget module), plan and status (billing webhook).
 * Other instances see a change within `ttlMs` (src/modules/tenants/README.md).
 */
export function createTenantCache(deps: { tenants: Pick<TenantsRepo, 'requestView'>; ttlMs: number }) {
  const cache = createTtlCache<string, TenantView | undefined>({ ttlMs: deps.ttlMs, maxEntries: 10_000 });
  return {
    get: (tenantId: string) => cache.get(tenantId, () => deps.tenants.requestView(tenantId)),
    forget: (tenantId: string) => cache.forget(tenantId),
  };
}

export type TenantCache = ReturnType<typeof createTenantCache>;
