import { useState } from 'react';
import type { z } from 'zod';
import type { websitePageSchema } from '../../../../src/modules/sources/websites/websites.schemas.js';
import { websitePageStatuses } from '../../../../src/db/enums.js';
import { api } from '../../api/client.js';
import { useLoad } from '../../api/use-api.js';
import { DataTable } from '../../components/data-table.js';
import { ErrorMessage } from '../../components/feedback.js';
import { FilterSelect } from '../../components/fields.js';
import { usePageTitle } from '../../components/shell.js';
import { useI18n } from '../../i18n/i18n.js';
import { Link } from '../../router.js';
import { crawlBusy, Progress, type Website } from './websites-page.js';

type WebsitePage = z.infer<typeof websitePageSchema>;

/** One website source: its progress and every page with its status, failures with their reason. */
export function WebsiteDetailPage({ id }: { id: string }) {
  const { t, language } = useI18n();
  const [status, setStatus] = useState('');
  const site = useLoad(['website', id, language], (signal) => api<Website>(`/api/v1/sources/websites/${id}`, { signal }), { pollWhile: crawlBusy });
  const pages = useLoad(['website-pages', id, status, language, site.data?.last_crawl_finished_at, site.data?.progress.discovered], (signal) =>
    api<WebsitePage[]>(`/api/v1/sources/websites/${id}/pages?limit=500${status ? `&status=${status}` : ''}`, { signal }),
  );
  usePageTitle(site.data?.start_url ?? t('nav.websites'));

  return (
    <section className="settings">
      <p>
        <Link to="/websites">← {t('nav.websites')}</Link>
      </p>
      <h1>{site.data?.start_url ?? t('app.loading')}</h1>
      <ErrorMessage error={site.error ?? pages.error} />
      {site.data && (
        <div className="card">
          <p>
            <span className={`badge status-${site.data.status}`}>{t(`websites.status.${site.data.status}`)}</span> <Progress site={site.data} />
          </p>
          <p className="muted">
            {t('websites.scope', { prefix: site.data.path_prefix })} ·{' '}
            {site.data.sync_interval_hours === 0 ? t('websites.manual') : t('websites.every', { hours: site.data.sync_interval_hours })}
            {site.data.next_sync_at && <> · {t('websites.nextSync', { at: new Date(site.data.next_sync_at).toLocaleString(language) })}</>}
          </p>
        </div>
      )}
      <div className="card">
        <h2>{t('websites.pages')}</h2>
        <FilterSelect
          label={t('websites.status')}
          value={status}
          onChange={setStatus}
          options={[{ value: '', label: t('websites.allPages') }, ...websitePageStatuses.map((s) => ({ value: s, label: t(`websites.page.${s}`) }))]}
        />
        {pages.data && (
          <DataTable
            rows={pages.data}
            rowKey={(page) => page.url}
            columns={[
              {
                label: t('websites.pageUrl'),
                cell: (page) => (
                  <a href={page.url} target="_blank" rel="noopener noreferrer">
                    {page.url}
                  </a>
                ),
              },
              { label: t('websites.status'), cell: (page) => <span className={`badge page-${page.status}`}>{t(`websites.page.${page.status}`)}</span> },
              { label: t('websites.reason'), cell: (page) => page.failure_reason ?? (page.file_id ? <Link to={`/documents/${page.file_id}`}>{t('websites.document')}</Link> : '—') },
              { label: t('websites.fetched'), cell: (page) => (page.fetched_at ? new Date(page.fetched_at).toLocaleString(language) : '—') },
            ]}
          />
        )}
      </div>
    </section>
  );
}
