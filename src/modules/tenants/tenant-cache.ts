import type { Database } from '../../db/client.js';
import { notFound } from '../../http/errors.js';
import { createTtlCache } from '../../lib/ttl-cache.js';
import { createTenantsRepo, type TenantView } from './tenants.repo.js';

/**
 * The tenant row that every widget and chat request reads (key owner, status, plan, settings),
 * held in this process. Whatever changes those columns calls `forget` once it is stored: settings
 * and name (tenants service), the widget key (widget module), plan and status (billing webhook).
 * Other instances see a change within `ttlMs` (src/modules/tenants/README.md).
 */
export function createTenantCache(deps: { db: Database; ttlMs: number }) {
  const tenants = createTenantsRepo(deps.db);
  const cache = createTtlCache<string, TenantView | undefined>({ ttlMs: deps.ttlMs, maxEntries: 10_000 });
  const get = (tenantId: string) => cache.get(tenantId, () => tenants.requestView(tenantId));
  return {
    /** The tenant, or undefined for an id that names none (a widget key's owner may have been deleted). */
    get,
    /** The tenant of an authenticated caller: it exists unless it was deleted since, which is a 404. */
    async ofCaller(tenantId: string): Promise<TenantView> {
      const tenant = await get(tenantId);
      if (!tenant) throw notFound('Tenant');
      return tenant;
    },
    forget: (tenantId: string) => cache.forget(tenantId),
  };
}

export type TenantCache = ReturnType<typeof createTenantCache>;
