import { useState } from 'react';
import { useApi } from '../../api/use-api.js';
import { useSession } from '../../auth/session.js';
import { ErrorMessage } from '../../components/feedback.js';
import { usePageTitle } from '../../components/shell.js';
import { useI18n } from '../../i18n/i18n.js';
import { ContactRouteForm } from './contact-route-form.js';
import { EmbedSnippetCard } from './embed-snippet.js';
import { LookForm } from './look-form.js';
import { OriginsForm } from './origins-form.js';
import type { EmbedSnippet, Tenant } from './types.js';
import { WidgetPreview } from './widget-preview.js';

/** The widget's look and allowed sites (ADMIN edits, OPERATOR reads), a live preview, the snippet. */
export function WidgetPage() {
  const { t } = useI18n();
  usePageTitle(t('nav.widget'));
  const { user } = useSession();
  const tenantPath = user ? `/api/v1/tenants/${user.tenant_id}` : null;
  const tenant = useApi<Tenant>(tenantPath);
  const snippet = useApi<EmbedSnippet>(tenantPath && `${tenantPath}/embed-snippet`);
  // Bumped after each save or rotation: the preview reloads the real widget with the new state.
  const [version, setVersion] = useState(0);
  const isAdmin = user?.role === 'ADMIN';

  const saved = (next: Tenant) => {
    tenant.setData(next);
    setVersion((v) => v + 1);
  };
  const rotated = (next: EmbedSnippet) => {
    snippet.setData(next);
    setVersion((v) => v + 1);
  };

  return (
    <section className="settings">
      <h1>{t('nav.widget')}</h1>
      <p className="muted">{t('widget.intro')}</p>
      {!isAdmin && <p className="notice">{t('settings.adminOnly')}</p>}
      <ErrorMessage error={tenant.error} onRetry={() => void tenant.reload()} />
      <div className="widget-layout">
        <div>
          {tenant.data && (
            <>
              <LookForm tenant={tenant.data} readOnly={!isAdmin} onSaved={saved} />
              <OriginsForm tenant={tenant.data} readOnly={!isAdmin} onSaved={saved} />
              <ContactRouteForm tenant={tenant.data} readOnly={!isAdmin} onSaved={saved} />
            </>
          )}
        </div>
        <div>
          <ErrorMessage error={snippet.error} onRetry={() => void snippet.reload()} />
          {snippet.data && (
            <>
              <WidgetPreview apiKey={snippet.data.api_key} version={version} />
              <EmbedSnippetCard snippet={snippet.data} canRotate={isAdmin} onRotated={rotated} />
            </>
          )}
        </div>
      </div>
    </section>
  );
}
