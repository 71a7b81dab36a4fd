import { useState, type FormEvent } from 'react';
import { searchBodySchema, type SearchResponse } from '../../../../src/modules/retrieval/retrieval.schemas.js';
import { api } from '../../api/client.js';
import { ErrorMessage, StatusMessage } from '../../components/feedback.js';
import { withoutFieldList } from '../../components/fields.js';
import { Field, useSubmit } from '../../components/form.js';
import { useI18n } from '../../i18n/i18n.js';
import { Link } from '../../router.js';

/** POST /api/v1/search: the passages the chat would cite for a question, to check what the documents say. */
export function PassageSearch() {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<SearchResponse>();
  const { errors, error, busy, submit: send } = useSubmit(searchBodySchema, async (body) => setFound(await api<SearchResponse>('/api/v1/search', { method: 'POST', body })));

  async function submit(event: FormEvent) {
    event.preventDefault();
    await send({ query, top_k: 5 });
  }

  return (
    <section className="card" aria-labelledby="passage-search-title">
      <h2 id="passage-search-title">{t('passages.title')}</h2>
      <form onSubmit={submit} noValidate className="inline-add">
        <Field label={t('passages.query')} type="search" value={query} onChange={(e) => setQuery(e.target.value)} help={t('passages.help')} error={errors.query} />
        <button type="submit" className="primary" disabled={busy}>
          {t('passages.search')}
        </button>
      </form>
      <ErrorMessage error={withoutFieldList(error)} />
      {found && (
        <>
          <StatusMessage>{t(found.results.length ? 'passages.found' : 'passages.none', { count: found.results.length, mode: t(found.mode === 'hybrid' ? 'passages.hybrid' : 'passages.fulltext') })}</StatusMessage>
          <ol className="passages">
            {found.results.map((r) => (
              <li key={r.chunk_id}>
                <Link to={`/documents/${r.file_id}`}>{r.file_name}</Link>
                <span className="muted">
                  {r.page_start === null ? '' : ` · ${t('passages.page', { page: r.page_start })}`} · {t('passages.score', { score: r.score.toFixed(2) })}
                  {r.ocr && <span className="badge">{t('passages.ocr')}</span>}
                </span>
                <p className="passage-text">{r.chunk_text}</p>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
