import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { createWebsiteBodySchema, type websiteSchema } from '../../../../src/modules/sources/websites/websites.schemas.js';
import { api } from '../../api/client.js';
import { useLoad } from '../../api/use-api.js';
import { useSession } from '../../auth/session.js';
import { DataTable } from '../../components/data-table.js';
import { useConfirmDelete, ErrorMessage, StatusMessage } from '../../components/feedback.js';
import { SelectField, withoutFieldList } from '../../components/fields.js';
import { Field, useSubmit } from '../../components/form.js';
import { usePageTitle } from '../../components/shell.js';
import { useI18n } from '../../i18n/i18n.js';
import type { Said } from '../../i18n/said.js';
import { Link } from '../../router.js';

export type Website = z.infer<typeof websiteSchema>;

export const crawlBusy = (w: Website) => w.status === 'queued' || w.status === 'crawling' || w.documents.pending > 0;

/** Website sources: add a site by its start page or sitemap (ADMIN), their crawl progress, re-sync, delete. */
export function WebsitesPage() {
  const { t, language } = useI18n();
  usePageTitle(t('nav.websites'));
  const { user } = useSession();
  const isAdmin = user?.role === 'ADMIN';
  const list = useLoad(['websites'], (signal) => api<Website[]>('/api/v1/sources/websites', { signal }), { pollWhile: (rows) => rows.some(crawlBusy) });
  const [status, setStatus] = useState<Said>();
  const [error, setError] = useState<unknown>();
  const confirmDelete = useConfirmDelete<Website>({ title: t('websites.deleteTitle'), body: (site) => t('websites.deleteBody', { url: site.start_url }), onConfirm: (site) => void act(site, 'delete') });

  async function act(site: Website, action: 'sync' | 'delete') {
    setError(undefined);
    try {
      if (action === 'sync') await api(`/api/v1/sources/websites/${site.id}/sync`, { method: 'POST' });
      else await api(`/api/v1/sources/websites/${site.id}`, { method: 'DELETE' });
      setStatus([action === 'sync' ? 'websites.syncQueued' : 'websites.deleted', { url: site.start_url }]);
      await list.reload();
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <section className="settings">
      <h1>{t('nav.websites')}</h1>
      <p className="muted">{t('websites.intro')}</p>
      {isAdmin && (
        <WebsiteForm
          onAdded={(site) => {
            setStatus(['websites.added', { url: site.start_url }]);
            void list.reload();
          }}
        />
      )}
      <div className="card">
        <h2>{t('websites.list')}</h2>
        {status && <StatusMessage>{t(...status)}</StatusMessage>}
        <ErrorMessage error={list.error ?? error} onRetry={() => void list.reload()} />
        {list.data?.length === 0 && <p className="muted">{t('websites.empty')}</p>}
        {list.data && list.data.length > 0 && (
          <DataTable
            rows={list.data}
            rowKey={(site) => site.id}
            columns={[
              { label: t('websites.site'), cell: (site) => <Link to={`/websites/${site.id}`}>{site.start_url}</Link> },
              { label: t('websites.status'), cell: (site) => <span className={`badge status-${site.status}`}>{t(`websites.status.${site.status}`)}</span> },
              { label: t('websites.progress'), cell: (site) => <Progress site={site} /> },
              { label: t('websites.schedule'), cell: (site) => (site.sync_interval_hours === 0 ? t('websites.manual') : t('websites.every', { hours: site.sync_interval_hours })) },
              { label: t('websites.lastCrawl'), cell: (site) => (site.last_crawl_finished_at ? new Date(site.last_crawl_finished_at).toLocaleString(language) : '—') },
              isAdmin && {
                label: t('settings.actions'),
                actions: true,
                cell: (site) => (
                  <>
                    <button type="button" className="small" disabled={site.status === 'queued' || site.status === 'crawling'} onClick={() => void act(site, 'sync')}>
                      {t('websites.sync')}
                    </button>{' '}
                    <button type="button" className="small" aria-label={t('websites.deleteLabel', { url: site.start_url })} onClick={() => confirmDelete.ask(site)}>
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

/** Pages indexed, failed and skipped, and the documents still being indexed. */
export function Progress({ site }: { site: Website }) {
  const { t } = useI18n();
  return (
    <span className="website-progress">
      {t('websites.counts', { indexed: site.pages.indexed, failed: site.pages.failed, skipped: site.pages.skipped })}
      {site.documents.pending > 0 && <> · {t('websites.indexing', { n: site.documents.pending })}</>}
      {site.status === 'crawling' && <> · {t('websites.found', { n: site.progress.discovered })}</>}
      {site.last_error && <span className="field-error"> {site.last_error}</span>}
      {site.progress.stopped && <span className="muted"> {site.progress.stopped}</span>}
    </span>
  );
}

function WebsiteForm({ onAdded }: { onAdded(site: Website): void }) {
  const { t } = useI18n();
  const [values, setValues] = useState({ kind: 'start_url', url: '', path_prefix: '', sync_interval_hours: '24' });
  const { errors, error, busy, submit: send } = useSubmit(createWebsiteBodySchema, async (body) => onAdded(await api<Website>('/api/v1/sources/websites', { method: 'POST', body })));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const body = {
      [values.kind]: values.url.trim(),
      ...(values.path_prefix.trim() ? { path_prefix: values.path_prefix.trim() } : {}),
      sync_interval_hours: Number(values.sync_interval_hours),
    };
    if (await send(body)) setValues((v) => ({ ...v, url: '', path_prefix: '' }));
  }

  return (
    <form className="card" onSubmit={submit} noValidate>
      <h2>{t('websites.add')}</h2>
      <SelectField
        label={t('websites.kind')}
        value={values.kind}
        onChange={(e) => setValues((v) => ({ ...v, kind: e.target.value }))}
        options={[
          { value: 'start_url', label: t('websites.kind.start') },
          { value: 'sitemap_url', label: t('websites.kind.sitemap') },
        ]}
      />
      <Field label={t('websites.url')} type="url" value={values.url} onChange={(e) => setValues((v) => ({ ...v, url: e.target.value }))} placeholder="https://example.co.jp/support/" required error={errors[values.kind] ?? errors.start_url} />
      <Field label={t('websites.pathPrefix')} value={values.path_prefix} onChange={(e) => setValues((v) => ({ ...v, path_prefix: e.target.value }))} placeholder="/support/" help={t('websites.pathPrefixHelp')} error={errors.path_prefix} />
      <SelectField
        label={t('websites.schedule')}
        value={values.sync_interval_hours}
        onChange={(e) => setValues((v) => ({ ...v, sync_interval_hours: e.target.value }))}
        options={[
          { value: '24', label: t('websites.daily') },
          { value: '168', label: t('websites.weekly') },
          { value: '0', label: t('websites.manual') },
        ]}
        error={errors.sync_interval_hours}
      />
      <ErrorMessage error={withoutFieldList(error)} />
      <button type="submit" className="primary" disabled={busy}>
        {t('websites.submit')}
      </button>
    </form>
  );
}
