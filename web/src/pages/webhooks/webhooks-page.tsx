import { useState } from 'react';
import { useLoad } from '../../api/use-api.js';
import { useSession } from '../../auth/session.js';
import { DataTable } from '../../components/data-table.js';
import { useConfirmDelete, ErrorMessage, StatusMessage } from '../../components/feedback.js';
import { usePageTitle } from '../../components/shell.js';
import { useI18n } from '../../i18n/i18n.js';
import type { Said } from '../../i18n/said.js';
import { Link } from '../../router.js';
import { WebhookForm } from './webhook-form.js';
import { OneTimeSecret } from './webhook-secret.js';
import { deleteWebhook, listWebhooks, sendTestEvent, updateWebhook, type Webhook, type WebhookWithSecret } from './webhooks-api.js';

/** Webhook endpoints: register one (ADMIN; its secret shown once), enable/disable, send a test event, delete; each one's log on its own page. */
export function WebhooksPage() {
  const { t, language } = useI18n();
  usePageTitle(t('nav.webhooks'));
  const { user } = useSession();
  const isAdmin = user?.role === 'ADMIN';
  const list = useLoad(['webhooks'], (signal) => listWebhooks(signal));
  const [created, setCreated] = useState<WebhookWithSecret>();
  const [status, setStatus] = useState<Said>();
  const [error, setError] = useState<unknown>();
  const confirmDelete = useConfirmDelete<Webhook>({ title: t('webhooks.deleteTitle'), body: (hook) => t('webhooks.deleteBody', { url: hook.url }), onConfirm: (hook) => void act(hook, 'delete') });

  async function act(hook: Webhook, action: 'test' | 'toggle' | 'delete') {
    setError(undefined);
    try {
      if (action === 'test') await sendTestEvent(hook.id);
      else if (action === 'toggle') await updateWebhook(hook.id, { enabled: !hook.enabled });
      else await deleteWebhook(hook.id);
      const said = { test: 'webhooks.testSent', toggle: hook.enabled ? 'webhooks.disabledNow' : 'webhooks.enabledNow', delete: 'webhooks.deleted' } as const;
      setStatus([said[action], { url: hook.url }]);
      if (action === 'delete' && created?.id === hook.id) setCreated(undefined);
      await list.reload();
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <section className="settings">
      <h1>{t('nav.webhooks')}</h1>
      <p className="muted">{t('webhooks.intro')}</p>
      {isAdmin && (
        <WebhookForm
          onAdded={(hook) => {
            setCreated(hook);
            setStatus(['webhooks.added', { url: hook.url }]);
            void list.reload();
          }}
        />
      )}
      <div className="card">
        <h2>{t('webhooks.list')}</h2>
        {status && <StatusMessage>{t(...status)}</StatusMessage>}
        {created && <OneTimeSecret url={created.url} secret={created.secret} />}
        <ErrorMessage error={list.error ?? error} onRetry={() => void list.reload()} />
        {list.data?.length === 0 && <p className="muted">{t('webhooks.empty')}</p>}
        {list.data && list.data.length > 0 && (
          <DataTable
            rows={list.data}
            rowKey={(hook) => hook.id}
            columns={[
              {
                label: t('webhooks.endpoint'),
                cell: (hook) => (
                  <>
                    <Link to={`/webhooks/${hook.id}`}>{hook.url}</Link>
                    {hook.description && <div className="muted">{hook.description}</div>}
                  </>
                ),
              },
              { label: t('webhooks.events'), cell: (hook) => hook.events.map((type) => t(`webhooks.event.${type}`)).join(language === 'ja' ? '、' : ', ') },
              { label: t('webhooks.state'), cell: (hook) => <span className={`badge ${hook.enabled ? 'status-completed' : 'status-pending'}`}>{t(hook.enabled ? 'webhooks.enabled' : 'webhooks.disabled')}</span> },
              isAdmin && {
                label: t('settings.actions'),
                actions: true,
                cell: (hook) => (
                  <>
                    <button type="button" className="small" onClick={() => void act(hook, 'test')}>
                      {t('webhooks.sendTest')}
                    </button>{' '}
                    <button type="button" className="small" onClick={() => void act(hook, 'toggle')}>
                      {t(hook.enabled ? 'webhooks.disable' : 'webhooks.enable')}
                    </button>{' '}
                    <button type="button" className="small" aria-label={t('webhooks.deleteLabel', { url: hook.url })} onClick={() => confirmDelete.ask(hook)}>
                      {t('settings.delete')}
                    </button>
                  </>
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
