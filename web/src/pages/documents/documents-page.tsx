import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { contentStatuses, fileTypes } from '../../../../src/db/enums.js';
import { listContentsQuerySchema } from '../../../../src/modules/contents/contents.schemas.js';
import { useSession } from '../../auth/session.js';
import { ErrorMessage, StatusMessage } from '../../components/feedback.js';
import { validate } from '../../components/form.js';
import { Pager } from '../../components/pager.js';
import { usePageTitle } from '../../components/shell.js';
import { formatBytes, formatDateTime } from '../../format.js';
import { useI18n } from '../../i18n/i18n.js';
import { Link } from '../../router.js';
import { getContent, isBusy, listContents, type Content, type ContentFilters } from './documents-api.js';
import { PassageSearch } from './passage-search.js';
import { StatusBadge } from './status-badge.js';
import { UploadPanel } from './upload-panel.js';
import { useLive } from './use-live.js';
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
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  // Live status: look again while anything is still pending or processing.
  const { value: page, error, setError } = useLive((signal) => listContents(filters, signal), (p) => p.items.some((c) => isBusy(c.status)), [filters, version]);

  const actions = useDocumentActions({
    onChanged: (text) => {
      setMessage(text);
      reload();
    },
    onError: setError,
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
          <label>
            <span>{t('documents.fileType')}</span>
            <select value={filters.file_type ?? ''} onChange={(e) => setFilters((f) => ({ ...f, file_type: (e.target.value || undefined) as ContentFilters['file_type'], skip: 0 }))}>
              <option value="">{t('common.all')}</option>
              {fileTypes.map((type) => (
                <option key={type} value={type}>
                  {type.toUpperCase()}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t('documents.status')}</span>
            <select value={filters.status ?? ''} onChange={(e) => setFilters((f) => ({ ...f, status: (e.target.value || undefined) as ContentFilters['status'], skip: 0 }))}>
              <option value="">{t('common.all')}</option>
              {contentStatuses.map((status) => (
                <option key={status} value={status}>
                  {t(`documents.status.${status}`)}
                </option>
              ))}
            </select>
          </label>
        </form>
        {searchError && (
          <p className="field-error" role="alert">
            {t('documents.search')}: {searchError}
          </p>
        )}
        {message && <StatusMessage>{message}</StatusMessage>}
        <ErrorMessage error={error} onRetry={reload} />
        {page && page.items.length === 0 && <p className="empty">{filtered ? t('documents.noMatch') : t('documents.empty')}</p>}
        {page && page.items.length > 0 && (
          <div className="table-wrap">
            <table className="table stack documents-table">
              <thead>
                <tr>
                  <th scope="col">{t('documents.col.name')}</th>
                  <th scope="col">{t('documents.col.type')}</th>
                  <th scope="col" className="numeric">{t('documents.col.size')}</th>
                  <th scope="col">{t('documents.col.status')}</th>
                  <th scope="col">{t('documents.col.created')}</th>
                  {isAdmin && <th scope="col">{t('documents.col.actions')}</th>}
                </tr>
              </thead>
              <tbody>
                {page.items.map((content) => (
                  <tr key={content.id} data-status={content.status}>
                    <td className="name-cell" data-label={t('documents.col.name')}>
                      <Link to={`/documents/${content.id}`} className="truncate" title={content.title || content.file_name}>
                        {content.title || content.file_name}
                      </Link>
                      {content.title && (
                        <div className="muted truncate" title={content.file_name}>
                          {content.file_name}
                        </div>
                      )}
                      {content.status === 'failed' && <FailureReason id={content.id} />}
                    </td>
                    <td className="nowrap" data-label={t('documents.col.type')}>{content.file_type.toUpperCase()}</td>
                    <td className="nowrap numeric" data-label={t('documents.col.size')}>{formatBytes(content.file_size)}</td>
                    <td className="nowrap" data-label={t('documents.col.status')}>
                      <StatusBadge status={content.status} />
                    </td>
                    <td className="nowrap" data-label={t('documents.col.created')}>{formatDateTime(content.created_at, language)}</td>
                    {isAdmin && (
                      <td className="nowrap" data-label={t('documents.col.actions')}>
                        <div className="row-actions">
                          <button type="button" className="small" onClick={() => void actions.reprocess(content)} disabled={isBusy(content.status)} aria-label={`${t('documents.reprocess')}: ${content.file_name}`}>
                            {t('documents.reprocess')}
                          </button>
                          <button type="button" className="small danger-outline" onClick={() => actions.askDelete(content)} aria-label={`${t('documents.delete')}: ${content.file_name}`}>
                            {t('documents.delete')}
                          </button>
                        </div>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
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
  const [reason, setReason] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    getContent(id, controller.signal)
      .then((detail) => setReason(detail.failure_reason))
      .catch(() => undefined);
    return () => controller.abort();
  }, [id]);
  return reason ? <div className="failure-reason">{reason}</div> : null;
}
