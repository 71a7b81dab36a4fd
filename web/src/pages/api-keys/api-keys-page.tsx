import { useRef, useState } from 'react';
import type { z } from 'zod';
import type { apiKeySchema } from '../../../../src/modules/api-keys/api-keys.schemas.js';
import { api } from '../../api/client.js';
import { useApi } from '../../api/use-api.js';
import { useSession } from '../../auth/session.js';
import { ConfirmDialog, ErrorMessage, StatusMessage } from '../../components/feedback.js';
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
  const [deleting, setDeleting] = useState<ApiKey>();
  const [status, setStatus] = useState<Said>();
  const [error, setError] = useState<unknown>();
  const heading = useRef<HTMLHeadingElement>(null);

  if (!isAdmin) {
    return (
      <section className="settings">
        <h1>{t('nav.apiKeys')}</h1>
        <p className="notice">{t('apiKeys.adminOnly')}</p>
      </section>
    );
  }

  async function remove(key: ApiKey) {
    setDeleting(undefined);
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
          <div className="table-wrap">
            <table className="table stack">
              <thead>
                <tr>
                  <th scope="col">{t('apiKeys.provider')}</th>
                  <th scope="col">{t('apiKeys.model')}</th>
                  <th scope="col">{t('apiKeys.key')}</th>
                  <th scope="col">{t('apiKeys.baseUrl')}</th>
                  <th scope="col">{t('apiKeys.created')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('settings.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {keys.data.map((key) => (
                  <tr key={key.id}>
                    <td data-label={t('apiKeys.provider')}>{key.provider}</td>
                    <td data-label={t('apiKeys.model')}>{key.model}</td>
                    <td data-label={t('apiKeys.key')}>
                      <code>{key.key_hint}</code>
                    </td>
                    <td data-label={t('apiKeys.baseUrl')}>{key.base_url ?? '—'}</td>
                    <td data-label={t('apiKeys.created')}>{new Date(key.created_at).toLocaleString(language)}</td>
                    <td>
                      <button type="button" className="small" aria-label={t('apiKeys.deleteLabel', { model: key.model, hint: key.key_hint })} onClick={() => setDeleting(key)}>
                        {t('settings.delete')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
      <ConfirmDialog
        open={deleting !== undefined}
        title={t('apiKeys.deleteTitle')}
        body={deleting ? t('apiKeys.deleteBody', { model: deleting.model, hint: deleting.key_hint }) : ''}
        confirmLabel={t('settings.delete')}
        danger
        onConfirm={() => deleting && void remove(deleting)}
        onCancel={() => setDeleting(undefined)}
      />
    </section>
  );
}
