import { useEffect, useRef } from 'react';
import { useI18n } from '../../i18n/i18n.js';
import type { Source } from './chat-api.js';

/** The cited passage in a modal dialog: file, page, relevance and the text. Esc or Close ends it. */
export function PassageDialog({ source, number, onClose }: { source: Source | undefined; number: number; onClose(): void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (source && !dialog.open) dialog.showModal();
    if (!source && dialog.open) dialog.close();
  }, [source]);
  return (
    <dialog ref={ref} className="dialog passage" aria-labelledby="passage-title" onClose={onClose}>
      {source && (
        <>
          <h2 id="passage-title">
            [{number}] {source.file_name}
          </h2>
          <p className="muted">
            {t('chat.passage')}
            {source.page !== null && ` · ${t('chat.page', { page: source.page })}`} · {t('chat.score', { score: source.score.toFixed(2) })}
          </p>
          <blockquote className="passage-text">{source.chunk_text}</blockquote>
          <div className="actions">
            <button type="button" className="primary" onClick={onClose} autoFocus>
              {t('common.close')}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
