import { Fragment } from 'react';
import type { ChatSource } from '../../../../src/modules/chat/chat.schemas.js';
import { useI18n } from '../../i18n/i18n.js';
import { sourcePlace } from './source-place.js';

/**
 * The model's text as text (React escapes it; never innerHTML), with each [n] that names a source
 * turned into a button that opens that passage.
 * @example <AnswerText text="10日です[1]" sources={sources} onCite={open} />
 */
export function AnswerText({ text, sources, onCite }: { text: string; sources: ChatSource[] | null; onCite(index: number): void }) {
  const { t } = useI18n();
  const parts = text.split(/(\[\d{1,2}\])/);
  return (
    <div className="answer-text">
      {parts.map((part, i) => {
        const n = /^\[(\d{1,2})\]$/.exec(part)?.[1];
        const source = n ? sources?.[Number(n) - 1] : undefined;
        if (!n || !source) return <Fragment key={i}>{part}</Fragment>;
        return (
          <button key={i} type="button" className="cite" onClick={() => onCite(Number(n) - 1)} aria-label={`${t('chat.citation', { n })}: ${source.file_name}`}>
            [{n}]
          </button>
        );
      })}
    </div>
  );
}

/** The numbered sources under an answer, each opening its passage. */
export function SourceList({ sources, onCite }: { sources: ChatSource[]; onCite(index: number): void }) {
  const { t } = useI18n();
  if (sources.length === 0) return null;
  return (
    <details className="sources">
      <summary>
        {t('chat.sources')} ({sources.length})
      </summary>
      <ol>
        {sources.map((source, i) => {
          const place = sourcePlace(source, t);
          return (
            <li key={`${source.file_id}:${source.chunk_index}`}>
              <button type="button" className="link" onClick={() => onCite(i)}>
                {source.kind === 'faq' ? `FAQ: ${source.title}` : source.file_name}
                {place && ` (${place})`}
              </button>
              {source.ocr && <span className="badge">{t('passages.ocr')}</span>}
            </li>
          );
        })}
      </ol>
    </details>
  );
}
