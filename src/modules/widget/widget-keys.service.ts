import type { Database } from '../../db/client.js';
import type { WidgetSettings } from '../../db/schema.js';
import { randomToken, sha256 } from '../../lib/hashing.js';
import type { SecretBox } from '../../lib/secret-box.js';
import { createTtlCache } from '../../lib/ttl-cache.js';
import type { TenantCache } from '../tenants/tenant-cache.js';
import { allowedOriginsOf } from '../tenants/tenant-settings.js';
import { widgetSettingsOf } from '../tenants/widget-settings.js';
import { createWidgetKeysRepo } from './widget-keys.repo.js';

/** What a valid widget key tells about its caller. */
export interface WidgetTenant {
  tenantId: string;
  tenantName: string;
  widget: WidgetSettings;
  /** Empty: any origin may use the key (docs/decisions.md D6). */
  allowedOrigins: string[];
}

const PREFIX = 'wk_';
const KEY_SHAPE = /^wk_[\w-]{32}$/;

/**
 * The publishable widget key (docs/decisions.md D6): created on first use, shown again in the embed
 * snippet (so it is sealed, not only hashed), found by its SHA-256, and replaced by rotation.
 * Which tenant a hash belongs to is remembered for `ttlMs`, but a key is accepted only while the
 * tenant's own (cached) row carries that very hash: creating or rotating the key drops that row,
 * so the old key is refused at once on this instance.
 */
export function createWidgetKeysService(deps: { db: Database; box: SecretBox; tenants: TenantCache; ttlMs: number }) {
  const { box } = deps;
  const repo = createWidgetKeysRepo(deps.db);
  const newKey = () => `${PREFIX}${randomToken(24)}`;
  const owners = createTtlCache<string, string | undefined>({ ttlMs: deps.ttlMs, maxEntries: 10_000 });

  return {
    async keyFor(tenantId: string): Promise<string> {
      const sealed = await repo.sealedKey(tenantId);
      if (sealed) return box.open(sealed);
      const key = newKey();
      if (await repo.setIfAbsent(tenantId, sha256(key), box.seal(key))) {
        deps.tenants.forget(tenantId);
        return key;
      }
      return box.open((await repo.sealedKey(tenantId))!);
    },

    async rotate(tenantId: string): Promise<string> {
      const key = newKey();
      await repo.replace(tenantId, sha256(key), box.seal(key));
      deps.tenants.forget(tenantId);
      return key;
    },

    /**
     * The key's tenant, or undefined for an unknown key or a suspended tenant. PAST_DUE and
     * CANCELED tenants keep their widget, within their plan's limits (src/modules/billing).
     */
    async authenticate(key: string): Promise<WidgetTenant | undefined> {
      if (!KEY_SHAPE.test(key)) return undefined;
      const hash = sha256(key);
      const tenantId = await owners.get(hash, () => repo.findTenantIdByKeyHash(hash));
      const tenant = tenantId === undefined ? undefined : await deps.tenants.get(tenantId);
      if (!tenant || tenant.widgetKeyHash !== hash) {
        // Unknown or replaced: not remembered, so guessed keys do not fill the cache.
        owners.forget(hash);
        return undefined;
      }
      if (tenant.status === 'SUSPENDED') return undefined;
      return { tenantId: tenant.id, tenantName: tenant.name, widget: widgetSettingsOf(tenant.settings), allowedOrigins: allowedOriginsOf(tenant.settings) };
    },
  };
}

export type WidgetKeysService = ReturnType<typeof createWidgetKeysService>;
