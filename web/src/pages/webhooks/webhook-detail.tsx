import { useState } from 'react';
import { webhookDeliveryStatuses } from '../../../../src/db/enums.js';
import { useLoad } from '../../api/use-api.js';
import { useSession } from '../../auth/session.js';
import { DataTable } from '../../components/data-table.js';
import { ErrorMessage, StatusMessage } from '../../components/feedback.js';
import { FilterSelect } from '../../components/fields.js';
import { Pager } from '../../components/pager.js';
import { usePageTitle } from '../../components/shell.js';
import { useI18n } from '../../i18n/i18n.js';
import type { Said } from '../../i18n/said.js';
import { Link } from '../../router.js';
import { OneTimeSecret } from './webhook-secret.js';
import { getWebhook, listDeliveries, rotateWebhookSecret, sendTestEvent, type DeliveryFilters, type WebhookWithSecret } from './webhooks-api.js';

const deliveryBadge = { pending: 'status-processing', succeeded: 'status-completed', failed: 'status-failed' } as const;

/** One endpoint: what it gets, send a test event, rotate the secret (ADMIN), and its delivery log with each attempt's outcome. */
export function WebhookDetailPage({ id }: { id: string }) {
  const { t, language } = useI18n();
  const { user } = useSession();
  const isAdmin = user?.role === 'ADMIN';
  const [filters, setFilters] = useState<DeliveryFilters>({ skip: 0, limit: 25 });
  const [status, setStatus] = useState<Said>();
  const [error, setError] = useState<unknown>();
  const [rotated, setRotated] = useState<WebhookWithSecret>();
  const hook = useLoad(['webhook', id], (signal) => getWebhook(id, signal));
  const log = useLoad(['webhook-deliveries', id, filters, language], (signal) => listDeliveries(id, filters, signal), { pollWhile: (page) => page.items.some((d) => d.status === 'pending') });
  usePageTitle(hook.data?.url ?? t('nav.webhooks'));
  const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString(language) : '—');

  async function act(action: 'test' | 'rotate') {
    setError(undefined);
    try {
      if (action === 'test') {
        await sendTestEvent(id);
        setStatus(['webhooks.testSent', { url: hook.data?.url ?? '' }]);
        await log.reload();
      } else {
        setRotated(await rotateWebhookSecret(id));
        setStatus(['webhooks.rotated', { url: hook.data?.url ?? '' }]);
      }
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <section className="settings">
      <p>
        <Link to="/webhooks">← {t('nav.webhooks')}</Link>
      </p>
      <h1>{hook.data?.url ?? t('app.loading')}</h1>
      <ErrorMessage error={hook.error ?? log.error ?? error} />
      {hook.data && (
        <div className="card">
          <dl className="facts">
            <dt>{t('webhooks.state')}</dt>
            <dd>{t(hook.data.enabled ? 'webhooks.enabled' : 'webhooks.disabled')}</dd>
            {hook.data.description && (
              <>
                <dt>{t('webhooks.description')}</dt>
                <dd>{hook.data.description}</dd>
              </>
            )}
            <dt>{t('webhooks.events')}</dt>
            <dd>{hook.data.events.map((type) => t(`webhooks.event.${type}`)).join(language === 'ja' ? '、' : ', ')}</dd>
            <dt>{t('webhooks.secretMade')}</dt>
            <dd>{when(hook.data.secret_rotated_at)}</dd>
          </dl>
          {status && <StatusMessage>{t(...status)}</StatusMessage>}
          {isAdmin && (
            <p className="actions start">
              <button type="button" onClick={() => void act('test')}>
                {t('webhooks.sendTest')}
              </button>
              <button type="button" onClick={() => void act('rotate')}>
                {t('webhooks.rotate')}
              </button>
            </p>
          )}
          {rotated && <OneTimeSecret url={rotated.url} secret={rotated.secret} />}
        </div>
      )}
      <div className="card">
        <h2>{t('webhooks.deliveries')}</h2>
        <FilterSelect
          label={t('webhooks.deliveryStatus')}
          value={filters.status ?? ''}
          onChange={(value) => setFilters((f) => ({ ...f, status: value || undefined, skip: 0 }))}
          options={[{ value: '', label: t('webhooks.allDeliveries') }, ...webhookDeliveryStatuses.map((s) => ({ value: s, label: t(`webhooks.delivery.${s}`) }))]}
        />
        {log.data?.total === 0 && <p className="muted">{t('webhooks.noDeliveries')}</p>}
        {log.data && log.data.items.length > 0 && (
          <DataTable
            rows={log.data.items}
            rowKey={(d) => d.id}
            columns={[
              { label: t('webhooks.sentAt'), cell: (d) => <span className="nowrap">{when(d.created_at)}</span> },
              { label: t('webhooks.event'), cell: (d) => <code>{d.event_type}</code> },
              { label: t('webhooks.deliveryStatus'), cell: (d) => <span className={`badge ${deliveryBadge[d.status]}`}>{t(`webhooks.delivery.${d.status}`)}</span> },
              { label: t('webhooks.attempts'), cell: (d) => `${d.attempts} / ${d.max_attempts}` },
              {
                label: t('webhooks.outcome'),
                cell: (d) => (
                  <>
                    {d.last_status_code !== null && <span className="nowrap">HTTP {d.last_status_code} </span>}
                    {d.last_error && <span className="failure-reason">{d.last_error}</span>}
                    {d.last_duration_ms !== null && <span className="muted"> ({d.last_duration_ms} ms)</span>}
                  </>
                ),
              },
              { label: t('webhooks.nextAttempt'), cell: (d) => (d.status === 'pending' && d.attempts > 0 ? when(d.next_attempt_at) : d.delivered_at ? t('webhooks.deliveredAt', { at: when(d.delivered_at) }) : '—') },
            ]}
          />
        )}
        {log.data && log.data.total > 0 && <Pager filters={filters} total={log.data.total} onChange={(next) => setFilters(next)} />}
      </div>
    </section>
  );
}
