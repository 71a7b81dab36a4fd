import { useState } from 'react';
import { useLoad } from '../../api/use-api.js';
import { useSession } from '../../auth/session.js';
import { ErrorMessage, StatusMessage } from '../../components/feedback.js';
import { usePageTitle } from '../../components/shell.js';
import { formatBytes, formatDateTime, formatNumber } from '../../format.js';
import { useI18n } from '../../i18n/i18n.js';
import { Link, useRouter } from '../../router.js';
import { getContent, isBusy, type ContentDetail } from './documents-api.js';
import { StatusBadge } from './status-badge.js';
import { useDocumentActions } from './use-document-actions.js';
import { DocumentEditForm } from './document-edit-form.js';
import { DocumentPages } from './document-pages.js';
import { DocumentPassages } from './document-passages.js';

const timingKeys = ['queued_ms', 'extract_ms', 'chunk_ms', 'index_ms', 'embed_ms', 'total_ms'] as const;

/**
 * One document: status (live), facts, reading notes (encoding, pages without text, warnings), its
 * text page by page (`?page=N`), its passages, timings; ADMINs edit title/description/tags, reprocess, delete.
 */
export function DocumentDetailPage({ id }: { id: string }) {
  const { t, language } = useI18n();
  const { user } = useSession();
  const { navigate } = useRouter();
  const [message, setMessage] = useState('');
  const [actionError, setActionError] = useState<unknown>();
  // Live status: look again while it is pending or processing.
  const detail = useLoad(['content', id], (signal) => getContent(id, signal), { pollWhile: (c: ContentDetail) => isBusy(c.status) });
  const content = detail.data;
  usePageTitle(content?.title || content?.file_name || t('documents.detailTitle'));

  const actions = useDocumentActions({
    onChanged: (text, deleted) => {
      if (deleted) return navigate('/documents');
      setMessage(text);
      setActionError(undefined);
      void detail.reload();
    },
    onError: setActionError,
  });

  return (
    <>
      <p>
        <Link to="/documents">← {t('documents.title')}</Link>
      </p>
      <h1>{content ? content.title || content.file_name : t('documents.detailTitle')}</h1>
      <ErrorMessage error={detail.error ?? actionError} />
      {message && <StatusMessage>{message}</StatusMessage>}
      {content && (
        <>
          <section className="card">
            <dl className="facts">
              <dt>{t('documents.col.name')}</dt>
              <dd>
                {content.file_name}{' '}
                {/* The session cookie authenticates a plain link; the server sends it as an attachment. */}
                <a href={`/api/v1/contents/${encodeURIComponent(content.id)}/file`} download>
                  {t('documents.download')}
                </a>
              </dd>
              <dt>{t('documents.col.status')}</dt>
              <dd aria-live="polite">
                <StatusBadge status={content.status} />
              </dd>
              {content.failure_reason && (
                <>
                  <dt>{t('documents.field.failure')}</dt>
                  <dd className="failure-reason">
                    {content.failure_reason}
                    {content.failure_code && <span className="muted"> ({content.failure_code})</span>}
                  </dd>
                </>
              )}
              <dt>{t('documents.col.type')}</dt>
              <dd>{content.file_type.toUpperCase()}</dd>
              <dt>{t('documents.field.size')}</dt>
              <dd>{formatBytes(content.file_size)}</dd>
              <dt>{t('documents.field.pages')}</dt>
              <dd>{content.page_count ?? '—'}</dd>
              <dt>{t('documents.field.chunks')}</dt>
              <dd data-testid="chunk-count">{formatNumber(content.chunk_count, language)}</dd>
              {content.encoding && (
                <>
                  <dt>{t('documents.field.encoding')}</dt>
                  <dd>{content.encoding}</dd>
                </>
              )}
              {content.description && (
                <>
                  <dt>{t('documents.field.description')}</dt>
                  <dd>{content.description}</dd>
                </>
              )}
              {content.tags.length > 0 && (
                <>
                  <dt>{t('documents.field.tags')}</dt>
                  <dd>{content.tags.join(', ')}</dd>
                </>
              )}
              <dt>{t('documents.col.created')}</dt>
              <dd>{formatDateTime(content.created_at, language)}</dd>
              <dt>{t('documents.field.processedAt')}</dt>
              <dd>{formatDateTime(content.processed_at, language)}</dd>
            </dl>
          </section>
          {(content.warnings.length > 0 || content.pages_without_text.length > 0 || content.ocr_pages.length > 0) && (
            <section className="card" aria-labelledby="notes-title">
              <h2 id="notes-title">{t('documents.notes')}</h2>
              <ul data-testid="reading-notes">
                {content.ocr_pages.length > 0 && <li data-testid="ocr-pages-note">{t('documents.ocrPagesNote', { pages: content.ocr_pages.join(', ') })}</li>}
                {content.pages_without_text.length > 0 && <li>{t('documents.blankPagesNote', { pages: content.pages_without_text.join(', ') })}</li>}
                {content.warnings.map((warning) => (
                  <li key={warning}>{warning}</li>
                ))}
              </ul>
            </section>
          )}
          <DocumentPages content={content} />
          <DocumentPassages content={content} />
          {timingKeys.some((key) => content.timings[key] !== undefined) && (
            <section className="card" aria-labelledby="timings-title">
              <h2 id="timings-title">{t('documents.field.timings')}</h2>
              <table className="table compact">
                <tbody>
                  {timingKeys
                    .filter((key) => content.timings[key] !== undefined)
                    .map((key) => (
                      <tr key={key}>
                        <th scope="row">{t(`documents.timing.${key}`)}</th>
                        <td>{formatNumber(Math.round(content.timings[key]!), language)} ms</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </section>
          )}
          {user?.role === 'ADMIN' && <DocumentEditForm content={content} onSaved={detail.setData} />}
          {user?.role === 'ADMIN' && (
            <div className="actions start">
              <button type="button" onClick={() => void actions.reprocess(content)} disabled={isBusy(content.status)}>
                {t('documents.reprocess')}
              </button>
              <button type="button" className="danger" onClick={() => actions.askDelete(content)}>
                {t('documents.delete')}
              </button>
            </div>
          )}
        </>
      )}
      {actions.dialog}
    </>
  );
}
