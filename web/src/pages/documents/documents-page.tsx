import { useCallback, useState, type FormEvent } from 'react';
import { contentStatuses, fileTypes } from '../../../../src/db/enums.js';
import { listContentsQuerySchema } from '../../../../src/modules/sources/contents/contents.schemas.js';
import { useApi, useLoad } from '../../api/use-api.js';
import { useSession } from '../../auth/session.js';
import { DataTable } from '../../components/data-table.js';
import { ErrorMessage, StatusMessage } from '../../components/feedback.js';
import { FilterSelect } from '../../components/fields.js';
import { validate } from '../../components/form.js';
import { Pager } from '../../components/pager.js';
import { usePageTitle } from '../../components/shell.js';
import { formatBytes, formatDateTime } from '../../format.js';
import { useI18n } from '../../i18n/i18n.js';
import { Link } from '../../router.js';
import { isBusy, listContents, type ContentDetail, type ContentFilters } from './documents-api.js';
import { PassageSearch } from './passage-search.js';
import { StatusBadge } from './status-badge.js';
import { UploadPanel } from './upload-panel.js';
import { useDocumentActions } from './use-document-actions.js';

/** Upload, list with filters and paging, live status while processing, reprocess and delete. */
export function DocumentsPage() {
  const { t, language } = useI18n();
  const { user } = useSession();
  const isAdmin = user?.role === 'ADMIN';
  usePageTitle(t('documents.title'));
  const [filters, setFilters] = useState<ContentFilters>({ skip: 0, limit: 25 });
  const [search, setSearch] = useState('');
  const [searchError, setSearchError] = useState<string>();
  const [message, setMessage] = useState('');
  const [actionError, setActionError] = useState<unknown>();

  // Live status: look again while anything is still pending or processing.
  const list = useLoad(['contents', filters], (signal) => listContents(filters, signal), { pollWhile: (p) => p.items.some((c) => isBusy(c.status)) });
  const page = list.data;
  const { reload: reloadList } = list;
  const reload = useCallback(() => {
    setActionError(undefined);
    void reloadList();
  }, [reloadList]);

  const actions = useDocumentActions({
    onChanged: (text) => {
      setMessage(text);
      reload();
    },
    onError: setActionError,
  });

  function applySearch(event: FormEvent) {
    event.preventDefault();
    const parsed = validate(listContentsQuerySchema, { ...filters, search });
    if (!parsed.ok) return setSearchError(parsed.errors.search);
    setSearchError(undefined);
    setFilters((f) => ({ ...f, search: search.trim() || undefined, skip: 0 }));
  }

  const total = page?.total ?? 0;
  const filtered = Boolean(filters.search || filters.file_type || filters.status);

  return (
    <>
      <h1>{t('documents.title')}</h1>
      {isAdmin && <UploadPanel onUploaded={reload} />}
      <section className="card" aria-labelledby="list-title">
        <h2 id="list-title" className="visually-hidden">
          {t('documents.filters')}
        </h2>
        <form className="filters" role="search" onSubmit={applySearch}>
          <label>
            <span>{t('documents.search')}</span>
            <input type="search" name="search" value={search} onChange={(e) => setSearch(e.target.value)} aria-invalid={searchError ? true : undefined} />
          </label>
          <button type="submit">{t('common.search')}</button>
          <FilterSelect
            label={t('documents.fileType')}
            value={filters.file_type ?? ''}
            onChange={(value) => setFilters((f) => ({ ...f, file_type: (value || undefined) as ContentFilters['file_type'], skip: 0 }))}
            options={fileTypes.map((type) => ({ value: type, label: type.toUpperCase() }))}
          />
          <FilterSelect
            label={t('documents.status')}
            value={filters.status ?? ''}
            onChange={(value) => setFilters((f) => ({ ...f, status: (value || undefined) as ContentFilters['status'], skip: 0 }))}
            options={contentStatuses.map((status) => ({ value: status, label: t(`documents.status.${status}`) }))}
          />
        </form>
        {searchError && (
          <p className="field-error" role="alert">
            {t('documents.search')}: {searchError}
          </p>
        )}
        {message && <StatusMessage>{message}</StatusMessage>}
        <ErrorMessage error={list.error ?? actionError} onRetry={reload} />
        {page && page.items.length === 0 && <p className="empty">{filtered ? t('documents.noMatch') : t('documents.empty')}</p>}
        {page && page.items.length > 0 && (
          <DataTable
            className="documents-table"
            rows={page.items}
            rowKey={(content) => content.id}
            rowProps={(content) => ({ 'data-status': content.status })}
            columns={[
              {
                label: t('documents.col.name'),
                className: 'name-cell',
                cell: (content) => (
                  <>
                    <Link to={`/documents/${content.id}`} className="truncate" title={content.title || content.file_name}>
                      {content.title || content.file_name}
                    </Link>
                    {content.title && (
                      <div className="muted truncate" title={content.file_name}>
                        {content.file_name}
                      </div>
                    )}
                    {content.status === 'failed' && <FailureReason id={content.id} />}
                  </>
                ),
              },
              { label: t('documents.col.type'), className: 'nowrap', cell: (content) => content.file_type.toUpperCase() },
              { label: t('documents.col.size'), headerClassName: 'numeric', className: 'nowrap numeric', cell: (content) => formatBytes(content.file_size) },
              { label: t('documents.col.status'), className: 'nowrap', cell: (content) => <StatusBadge status={content.status} /> },
              { label: t('documents.col.created'), className: 'nowrap', cell: (content) => formatDateTime(content.created_at, language) },
              isAdmin && {
                label: t('documents.col.actions'),
                className: 'nowrap',
                cell: (content) => (
                  <div className="row-actions">
                    <button type="button" className="small" onClick={() => void actions.reprocess(content)} disabled={isBusy(content.status)} aria-label={`${t('documents.reprocess')}: ${content.file_name}`}>
                      {t('documents.reprocess')}
                    </button>
                    <button type="button" className="small danger-outline" onClick={() => actions.askDelete(content)} aria-label={`${t('documents.delete')}: ${content.file_name}`}>
                      {t('documents.delete')}
                    </button>
                  </div>
                ),
              },
            ]}
          />
        )}
        <Pager filters={filters} total={total} onChange={setFilters} />
      </section>
      <PassageSearch />
      {actions.dialog}
    </>
  );
}

/** The list has no failure reason: a failed row fetches its detail to say why. */
function FailureReason({ id }: { id: string }) {
  const reason = useApi<ContentDetail>(`/api/v1/contents/${encodeURIComponent(id)}`).data?.failure_reason;
  return reason ? <div className="failure-reason">{reason}</div> : null;
}
