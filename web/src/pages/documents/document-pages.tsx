import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useLoad } from '../../api/use-api.js';
import { ErrorMessage } from '../../components/feedback.js';
import { useI18n } from '../../i18n/i18n.js';
import { useRouter } from '../../router.js';
import { isBusy, listPages, type ContentDetail } from './documents-api.js';

/** `?page=N` of the address, 1 when absent or not a page number. */
function requestedPage(query: URLSearchParams): number {
  const n = Number(query.get('page'));
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

/**
 * The document's text one page at a time. The page is in the address (`?page=N`), so a link from
 * a cited source opens the page it cites and scrolls to it.
 */
export function DocumentPages({ content }: { content: ContentDetail }) {
  const { t, language } = useI18n();
  const { path, query, navigate } = useRouter();
  const page = requestedPage(query);
  const linked = query.has('page');
  const [typed, setTyped] = useState(String(page));
  const section = useRef<HTMLElement>(null);
  const go = (n: number) => navigate(`${path}?page=${n}`, { replace: true });

  const loaded = useLoad(content.has_page_text ? ['page', content.id, content.processed_at, page] : null, (signal) => listPages(content.id, { skip: page - 1, limit: 1 }, signal));
  // Past the end (an old link, a shorter reprocessed file): the last page.
  const pastEnd = loaded.data !== undefined && loaded.data.items.length === 0 && loaded.data.total > 0 ? loaded.data.total : undefined;
  const shown = loaded.data && pastEnd === undefined ? { page: loaded.data.items[0], total: loaded.data.total } : undefined;

  useEffect(() => {
    if (pastEnd !== undefined) go(pastEnd);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- go only depends on path
  }, [pastEnd]);

  useEffect(() => setTyped(String(page)), [page]);

  useEffect(() => {
    if (linked && shown) section.current?.scrollIntoView({ block: 'start' });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per page loaded, not per render
  }, [linked, loaded.data]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const n = Number(typed);
    if (Number.isInteger(n) && shown) go(Math.min(Math.max(1, n), shown.total));
  }

  const total = shown?.total ?? 0;
  return (
    <section className="card" aria-labelledby="text-title" ref={section}>
      <h2 id="text-title">{t('documents.text')}</h2>
      <p className="muted">{t('documents.textHelp')}</p>
      <ErrorMessage error={loaded.error} />
      {!content.has_page_text ? (
        <p className="empty">{t(isBusy(content.status) ? 'documents.textPending' : content.status === 'completed' ? 'documents.textNeedsReprocess' : 'documents.textNone')}</p>
      ) : (
        shown && (
          <>
            <nav className="page-nav" aria-label={t('documents.text')}>
              <button type="button" className="small" disabled={page <= 1} onClick={() => go(page - 1)}>
                {t('documents.previousPage')}
              </button>
              <span data-testid="page-position">{t('documents.pageOf', { page: page.toLocaleString(language), total: total.toLocaleString(language) })}</span>
              <button type="button" className="small" disabled={page >= total} onClick={() => go(page + 1)}>
                {t('documents.nextPage')}
              </button>
              {total > 2 && (
                <form onSubmit={submit} className="page-jump">
                  <label>
                    <span>{t('documents.pageNumber')}</span>
                    <input type="number" min={1} max={total} value={typed} onChange={(e) => setTyped(e.target.value)} />
                  </label>
                  <button type="submit" className="small">
                    {t('documents.showPage')}
                  </button>
                </form>
              )}
            </nav>
            {shown.page?.ocr && (
              <p className="ocr-mark" data-testid="ocr-mark">
                <span className="badge">{t('documents.ocrPage')}</span> <span className="muted">{t('documents.ocrPageHelp')}</span>
              </p>
            )}
            {shown.page && shown.page.text !== '' ? (
              // lang: the browser picks Japanese glyphs and line breaking for Japanese text.
              <div className="page-text" lang={/[\u3040-\u30ff\u4e00-\u9fff]/.test(shown.page.text) ? 'ja' : undefined} data-testid="page-text">
                {shown.page.text}
              </div>
            ) : (
              <p className="empty" data-testid="page-text">
                {t('documents.blankPage')}
              </p>
            )}
          </>
        )
      )}
    </section>
  );
}
