import { useRef, useState } from 'react';
import type { z } from 'zod';
import type { apiKeySchema } from '../../../../src/modules/api-keys/api-keys.schemas.js';
import { api } from '../../api/client.js';
import { useApi } from '../../api/use-api.js';
import { useSession } from '../../auth/session.js';
import { DataTable } from '../../components/data-table.js';
import { useConfirmDelete, ErrorMessage, StatusMessage } from '../../components/feedback.js';
import { usePageTitle } from '../../components/shell.js';
import { useI18n } from '../../i18n/i18n.js';
import type { Said } from '../../i18n/said.js';
import { ApiKeyForm } from './api-key-form.js';

export type ApiKey = z.infer<typeof apiKeySchema>;

/** The tenant's provider keys (ADMIN): add, list masked, delete. */
export function ApiKeysPage() {
  const { t, language } = useI18n();
  usePageTitle(t('nav.apiKeys'));
  const { user } = useSession();
  const isAdmin = user?.role === 'ADMIN';
  const keys = useApi<ApiKey[]>(isAdmin ? '/api/v1/api-keys' : null);
  const [status, setStatus] = useState<Said>();
  const [error, setError] = useState<unknown>();
  const heading = useRef<HTMLHeadingElement>(null);
  const confirmDelete = useConfirmDelete<ApiKey>({ title: t('apiKeys.deleteTitle'), body: (key) => t('apiKeys.deleteBody', { model: key.model, hint: key.key_hint }), onConfirm: (key) => void remove(key) });

  if (!isAdmin) {
    return (
      <section className="settings">
        <h1>{t('nav.apiKeys')}</h1>
        <p className="notice">{t('apiKeys.adminOnly')}</p>
      </section>
    );
  }

  async function remove(key: ApiKey) {
    setError(undefined);
    try {
      await api(`/api/v1/api-keys/${key.id}`, { method: 'DELETE' });
      setStatus(['apiKeys.deleted', { model: key.model }]);
      await keys.reload();
    } catch (caught) {
      setError(caught);
    }
    heading.current?.focus();
  }

  return (
    <section className="settings">
      <h1>{t('nav.apiKeys')}</h1>
      <p className="muted">{t('apiKeys.intro')}</p>
      <ApiKeyForm
        onAdded={(key) => {
          setStatus(['apiKeys.added', { model: key.model }]);
          void keys.reload();
        }}
      />
      <div className="card">
        <h2 ref={heading} tabIndex={-1}>
          {t('apiKeys.list')}
        </h2>
        {status && <StatusMessage>{t(...status)}</StatusMessage>}
        <ErrorMessage error={keys.error ?? error} onRetry={() => void keys.reload()} />
        {keys.data?.length === 0 && <p className="muted">{t('apiKeys.empty')}</p>}
        {keys.data && keys.data.length > 0 && (
          <DataTable
            rows={keys.data}
            rowKey={(key) => key.id}
            columns={[
              { label: t('apiKeys.provider'), cell: (key) => key.provider },
              { label: t('apiKeys.model'), cell: (key) => key.model },
              { label: t('apiKeys.key'), cell: (key) => <code>{key.key_hint}</code> },
              { label: t('apiKeys.baseUrl'), cell: (key) => key.base_url ?? '—' },
              { label: t('apiKeys.created'), cell: (key) => new Date(key.created_at).toLocaleString(language) },
              {
                label: t('settings.actions'),
                actions: true,
                cell: (key) => (
                  <button type="button" className="small" aria-label={t('apiKeys.deleteLabel', { model: key.model, hint: key.key_hint })} onClick={() => confirmDelete.ask(key)}>
                    {t('settings.delete')}
                  </button>
                ),
              },
            ]}
          />
        )}
      </div>
      {confirmDelete.dialog}
    </section>
  );
}
