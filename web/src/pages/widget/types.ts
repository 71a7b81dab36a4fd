import type { z } from 'zod';
import type { tenantSchema } from '../../../../src/modules/tenants/tenants.schemas.js';

export type Tenant = z.infer<typeof tenantSchema>;
export type WidgetLook = Tenant['settings']['widget'];
/** GET /api/v1/tenants/{id}/embed-snippet and the rotation's answer. */
export interface EmbedSnippet {
  snippet: string;
  api_key: string;
  tenant_id: string;
}
