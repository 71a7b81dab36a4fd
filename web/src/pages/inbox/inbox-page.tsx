import { useState } from 'react';
import { inboxReasons, inboxStatuses } from '../../../../src/db/enums.js';
import { useLoad } from '../../api/use-api.js';
import { DataTable } from '../../components/data-table.js';
import { ErrorMessage } from '../../components/feedback.js';
import { FilterSelect } from '../../components/fields.js';
import { Pager } from '../../components/pager.js';
import { usePageTitle } from '../../components/shell.js';
import { formatDateTime } from '../../format.js';
import { useI18n } from '../../i18n/i18n.js';
import { Link } from '../../router.js';
import { downloadInbox, listInbox, type InboxFilters } from './inbox-api.js';

/** Questions the bot could not answer well, grouped: by status (with counts) and reason; CSV export. */
export function InboxPage() {
  const { t, language } = useI18n();
  usePageTitle(t('inbox.title'));
  const [filters, setFilters] = useState<InboxFilters>({ status: 'open', skip: 0, limit: 25 });
  const [exportError, setExportError] = useState<unknown>();
  const list = useLoad(['inbox', filters], (signal) => listInbox(filters, signal));
  const page = list.data;

  async function exportCsv() {
    setExportError(undefined);
    try {
      await downloadInbox({ status: filters.status, reason: filters.reason });
    } catch (caught) {
      setExportError(caught);
    }
  }

  return (
    <>
      <h1>{t('inbox.title')}</h1>
      <p className="muted">{t('inbox.intro')}</p>
      <section className="card">
        <div className="faq-toolbar">
          <div className="row-actions" role="group" aria-label={t('inbox.status')}>
            {inboxStatuses.map((status) => (
              <button
                key={status}
                type="button"
                className={filters.status === status ? 'small primary' : 'small'}
                aria-pressed={filters.status === status}
                onClick={() => setFilters((f) => ({ ...f, status, skip: 0 }))}
              >
                {t(`inbox.status.${status}`)} ({page?.counts[status] ?? '…'})
              </button>
            ))}
          </div>
          <div className="filters">
            <FilterSelect
              label={t('inbox.reason')}
              value={filters.reason ?? ''}
              onChange={(reason) => setFilters((f) => ({ ...f, reason: (reason || undefined) as InboxFilters['reason'], skip: 0 }))}
              options={inboxReasons.map((reason) => ({ value: reason, label: t(`inbox.reason.${reason}`) }))}
            />
            <button type="button" onClick={() => void exportCsv()}>
              {t('inbox.export')}
            </button>
          </div>
        </div>
        <ErrorMessage error={list.error ?? exportError} onRetry={() => void list.reload()} />
        {page && page.items.length === 0 && <p className="empty">{t(`inbox.empty.${filters.status}`)}</p>}
        {page && page.items.length > 0 && (
          <DataTable
            rows={page.items}
            rowKey={(item) => item.id}
            columns={[
              { label: t('inbox.col.question'), cell: (item) => <Link to={`/inbox/${item.id}`}>{item.question}</Link> },
              { label: t('inbox.col.count'), className: 'nowrap', cell: (item) => t('inbox.times', { n: item.count }) },
              { label: t('inbox.col.reasons'), cell: (item) => <Reasons reasons={item.reasons} /> },
              { label: t('inbox.col.channels'), cell: (item) => item.channels.map((c) => t(`conversations.channel.${c}`)).join(', ') },
              { label: t('inbox.col.lastSeen'), className: 'nowrap', cell: (item) => formatDateTime(item.last_seen_at, language) },
            ]}
          />
        )}
        {page && page.total > 0 && <Pager filters={filters} total={page.total} onChange={setFilters} />}
      </section>
    </>
  );
}

/** An item's reasons as badges. */
export function Reasons({ reasons }: { reasons: InboxFilters['reason'][] }) {
  const { t } = useI18n();
  return (
    <span className="feedback-counts">
      {reasons.map((reason) => (
        <span key={reason} className={`badge reason-${reason}`}>
          {t(`inbox.reason.${reason!}`)}
        </span>
      ))}
    </span>
  );
}
