import { useState } from 'react';
import { useLoad } from '../../api/use-api.js';
import { ErrorMessage } from '../../components/feedback.js';
import { Pager } from '../../components/pager.js';
import { useI18n } from '../../i18n/i18n.js';
import { Link, useRouter } from '../../router.js';
import { listChunks, type ContentDetail } from './documents-api.js';

/** The document's passages in order, paged: what search finds and answers cite, each with its page. */
export function DocumentPassages({ content }: { content: ContentDetail }) {
  const { t } = useI18n();
  const { path } = useRouter();
  const [paging, setPaging] = useState({ skip: 0, limit: 10 });
  // Loaded again when processing changed the passages.
  const chunks = useLoad(['chunks', content.id, content.chunk_count, content.processed_at, paging], (signal) => listChunks(content.id, paging, signal));
  const shown = chunks.data;

  if (content.chunk_count === 0 && !shown?.total) return null;
  return (
    <section className="card" aria-labelledby="passages-title">
      <h2 id="passages-title">{t('documents.passages')}</h2>
      <p className="muted">{t('documents.passagesHelp')}</p>
      <ErrorMessage error={chunks.error} />
      {shown && (
        <>
          <ol className="passages labelled">
            {shown.items.map((c) => (
              <li key={c.id} data-testid="passage">
                <span className="muted">
                  {t('documents.passageLabel', { index: c.chunk_index + 1 })}
                  {c.page_start !== null && (
                    <>
                      {' · '}
                      <Link to={`${path}?page=${c.page_start}`}>
                        {t('passages.page', { page: c.page_end !== null && c.page_end !== c.page_start ? `${c.page_start}–${c.page_end}` : c.page_start })}
                      </Link>
                    </>
                  )}
                  {c.ocr && <span className="badge">{t('passages.ocr')}</span>}
                </span>
                <p className="passage-text">{c.text}</p>
              </li>
            ))}
          </ol>
          <Pager filters={paging} total={shown.total} onChange={(next) => setPaging(next)} />
        </>
      )}
    </section>
  );
}
