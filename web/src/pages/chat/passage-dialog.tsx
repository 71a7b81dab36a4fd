import { Fragment, useEffect, useMemo, useRef } from 'react';
import type { ChatSource } from '../../../../src/modules/chat/chat.schemas.js';
import { useI18n } from '../../i18n/i18n.js';
import { Link } from '../../router.js';
import { markedPieces, quotedRanges, quotesCiting } from './quoted-sentences.js';
import { sourcePlace } from './source-place.js';

/** A passage an answer cites: the source, its number [n] and the answer citing it. */
export interface Citation {
  source: ChatSource;
  number: number;
  answer: string;
}

/** The document page, opened at the passage's page when it has one. */
const documentHref = (source: ChatSource) => `/documents/${encodeURIComponent(source.file_id)}${source.page !== null ? `?page=${source.page}` : ''}`;

/** A crawled web page's address, the citation's link; only http(s), whatever was stored. */
const webPage = (source: ChatSource) => (source.source_url && /^https?:\/\//.test(source.source_url) ? source.source_url : undefined);

/**
 * The cited passage in a modal dialog: file, place (page, sheet, slide), relevance, the text with
 * what the answer quoted marked, a link to the document page at that page and one to the original
 * (a PDF at that page). Esc or Close ends it.
 */
export function PassageDialog({ citation, onClose }: { citation: Citation | undefined; onClose(): void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const pieces = useMemo(() => {
    if (!citation) return [];
    const text = citation.source.chunk_text;
    return markedPieces(text, quotedRanges(text, quotesCiting(citation.answer, citation.number)));
  }, [citation]);
  const quoted = pieces.some((piece) => piece.marked);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (citation && !dialog.open) dialog.showModal();
    if (!citation && dialog.open) dialog.close();
    // A long passage opens scrolled to what the answer quoted.
    dialog.querySelector('mark')?.scrollIntoView({ block: 'nearest' });
  }, [citation]);

  const source = citation?.source;
  const place = source && sourcePlace(source, t);
  return (
    <dialog ref={ref} className="dialog passage" aria-labelledby="passage-title" onClose={onClose}>
      {source && (
        <>
          <h2 id="passage-title">
            [{citation.number}] {source.kind === 'faq' ? `FAQ: ${source.title}` : source.file_name}
          </h2>
          <p className="muted">
            {t('chat.passage')}
            {place && ` · ${place}`} · {t('chat.score', { score: source.score.toFixed(2) })}
            {source.ocr && <span className="badge">{t('passages.ocr')}</span>}
          </p>
          <blockquote className="passage-text">
            {pieces.map((piece, i) => (piece.marked ? <mark key={i}>{piece.text}</mark> : <Fragment key={i}>{piece.text}</Fragment>))}
          </blockquote>
          {quoted && <p className="muted">{t('chat.quotedHighlighted')}</p>}
          <div className="actions">
            {source.kind === 'faq' ? (
              <Link to="/faq" className="button">
                {t('chat.openFaq')}
              </Link>
            ) : (
              <Link to={documentHref(source)} className="button">
                {source.page !== null ? t('chat.openDocumentAtPage', { page: source.page }) : t('chat.openDocument')}
              </Link>
            )}
            {webPage(source) ? (
              <a href={webPage(source)} className="button" target="_blank" rel="noopener noreferrer">
                {t('chat.openPage')}
              </a>
            ) : (
              source.url &&
              /^\/(?!\/)/.test(source.url) && (
                <a href={source.url} className="button" target="_blank" rel="noopener">
                  {source.file_type === 'pdf' && source.page !== null ? t('chat.openOriginalAtPage', { page: source.page }) : t('chat.downloadOriginal')}
                </a>
              )
            )}
            <button type="button" className="primary" onClick={onClose} autoFocus>
              {t('common.close')}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
