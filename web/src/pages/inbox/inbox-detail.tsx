import { useState, type FormEvent } from 'react';
import { answerInboxBodySchema } from '../../../../src/modules/inbox/inbox.schemas.js';
import { useLoad } from '../../api/use-api.js';
import { useSession } from '../../auth/session.js';
import { DataTable } from '../../components/data-table.js';
import { ErrorMessage, StatusMessage } from '../../components/feedback.js';
import { TextAreaField } from '../../components/fields.js';
import { useSubmit } from '../../components/form.js';
import { usePageTitle } from '../../components/shell.js';
import { formatDateTime } from '../../format.js';
import { useI18n } from '../../i18n/i18n.js';
import type { Said } from '../../i18n/said.js';
import { Link } from '../../router.js';
import { AnswerText, SourceList } from '../chat/answer-text.js';
import { PassageDialog, type Citation } from '../chat/passage-dialog.js';
import { ConfidenceBadge } from '../conversations/confidence-badge.js';
import { answerInboxItem, getInboxItem, reaskInboxItem, setInboxStatus, type InboxItemDetail, type ReaskResult } from './inbox-api.js';
import { Reasons } from './inbox-page.js';

/** One inbox item: its wordings, where it was asked, the passages found; answer it, resolve, ignore, reopen, re-ask. */
export function InboxDetailPage({ id }: { id: string }) {
  const { t, language } = useI18n();
  const { user } = useSession();
  const loaded = useLoad(['inbox', id], (signal) => getInboxItem(id, signal));
  const item = loaded.data;
  usePageTitle(item?.question ?? t('inbox.title'));
  const [message, setMessage] = useState<Said>();
  const [actionError, setActionError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [reasked, setReasked] = useState<ReaskResult>();
  const [cited, setCited] = useState<Citation>();

  async function run(action: () => Promise<unknown>, said: Said) {
    setBusy(true);
    setActionError(undefined);
    setMessage(undefined);
    try {
      await action();
      setMessage(said);
      await loaded.reload();
    } catch (caught) {
      setActionError(caught);
    } finally {
      setBusy(false);
    }
  }
  const setStatus = (action: 'resolve' | 'ignore' | 'reopen') => run(() => setInboxStatus(id, action), [`inbox.done.${action}`]);
  const reask = () => run(async () => setReasked(await reaskInboxItem(id)), ['inbox.done.reask']);

  return (
    <>
      <p>
        <Link to="/inbox">← {t('inbox.title')}</Link>
      </p>
      <h1>{item?.question ?? t('inbox.title')}</h1>
      <ErrorMessage error={loaded.error} />
      {item && (
        <>
          <p className="muted">
            <span className={`badge inbox-${item.status}`}>{t(`inbox.status.${item.status}`)}</span> · {t('inbox.times', { n: item.count })} ·{' '}
            {t('inbox.seen', { first: formatDateTime(item.first_seen_at, language), last: formatDateTime(item.last_seen_at, language) })} ·{' '}
            {item.channels.map((c) => t(`conversations.channel.${c}`)).join(', ')} · <Reasons reasons={item.reasons} />
          </p>
          {item.faq_id && (
            <p>
              {t('inbox.answeredBy')} <Link to="/faq">{t('inbox.openFaq')}</Link>
            </p>
          )}
          <section className="card" aria-labelledby="inbox-actions">
            <h2 id="inbox-actions">{t('inbox.actions')}</h2>
            <div className="row-actions">
              {item.status !== 'resolved' && (
                <button type="button" disabled={busy} onClick={() => void setStatus('resolve')}>
                  {t('inbox.resolve')}
                </button>
              )}
              {item.status !== 'ignored' && (
                <button type="button" disabled={busy} onClick={() => void setStatus('ignore')}>
                  {t('inbox.ignore')}
                </button>
              )}
              {item.status !== 'open' && (
                <button type="button" disabled={busy} onClick={() => void setStatus('reopen')}>
                  {t('inbox.reopen')}
                </button>
              )}
              <button type="button" disabled={busy} onClick={() => void reask()}>
                {t('inbox.reask')}
              </button>
            </div>
            {message && <StatusMessage>{t(...message)}</StatusMessage>}
            <ErrorMessage error={actionError} />
            {reasked && (
              <div className="bubble assistant reasked" data-testid="reask-result">
                <span className="who-label">
                  {t('inbox.botNow')} · <ConfidenceBadge confidence={reasked.confidence} />
                </span>
                <AnswerText text={reasked.answer} sources={reasked.sources} onCite={(i) => reasked.sources[i] && setCited({ source: reasked.sources[i], number: i + 1, answer: reasked.answer })} />
                <SourceList sources={reasked.sources} onCite={(i) => reasked.sources[i] && setCited({ source: reasked.sources[i], number: i + 1, answer: reasked.answer })} />
              </div>
            )}
          </section>
          {user?.role === 'ADMIN' && !item.faq_id && (
            <AnswerForm
              item={item}
              onAnswered={() => {
                setReasked(undefined);
                void run(async () => undefined, ['inbox.done.answer']);
              }}
            />
          )}
          <section className="card" aria-labelledby="inbox-phrasings">
            <h2 id="inbox-phrasings">{t('inbox.phrasings')}</h2>
            <ul>
              {item.phrasings.map((p) => (
                <li key={p.question}>
                  {p.question} <span className="muted">({t('inbox.times', { n: p.count })})</span>
                </li>
              ))}
            </ul>
          </section>
          <section className="card" aria-labelledby="inbox-passages">
            <h2 id="inbox-passages">{t('inbox.passages')}</h2>
            {item.passages.length === 0 ? (
              <p className="empty">{t('inbox.noPassages')}</p>
            ) : (
              <ol className="inbox-passages">
                {item.passages.map((source, i) => (
                  <li key={`${source.file_id}:${source.chunk_index}`}>
                    <button type="button" className="link" onClick={() => setCited({ source, number: i + 1, answer: '' })}>
                      {source.kind === 'faq' ? `FAQ: ${source.title}` : source.file_name}
                    </button>{' '}
                    <span className="muted">{t('inbox.score', { score: source.score.toFixed(2) })}</span>
                    <div className="muted passage-preview">{source.chunk_text.slice(0, 160)}</div>
                  </li>
                ))}
              </ol>
            )}
          </section>
          <section className="card" aria-labelledby="inbox-occurrences">
            <h2 id="inbox-occurrences">{t('inbox.occurrences')}</h2>
            <DataTable
              rows={item.occurrences}
              rowKey={(o) => o.id}
              columns={[
                { label: t('inbox.col.when'), className: 'nowrap', cell: (o) => formatDateTime(o.created_at, language) },
                { label: t('inbox.col.question'), cell: (o) => o.question },
                { label: t('inbox.col.channels'), cell: (o) => t(`conversations.channel.${o.channel}`) },
                { label: t('inbox.col.reasons'), cell: (o) => t(`inbox.reason.${o.reason}`) },
                {
                  label: t('inbox.col.conversation'),
                  cell: (o) => (o.conversation_id ? <Link to={`/conversations/${o.conversation_id}`}>{t('inbox.openConversation')}</Link> : '—'),
                },
              ]}
            />
          </section>
        </>
      )}
      <PassageDialog citation={cited} onClose={() => setCited(undefined)} />
    </>
  );
}

/** Answer it: the answer becomes an FAQ entry for the question and its other wordings. */
function AnswerForm({ item, onAnswered }: { item: InboxItemDetail; onAnswered(): void }) {
  const { t } = useI18n();
  const [answer, setAnswer] = useState('');
  const form = useSubmit(answerInboxBodySchema, (body) => answerInboxItem(item.id, body));
  const others = item.phrasings.map((p) => p.question).filter((q) => q !== item.question);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (await form.submit({ answer })) {
      setAnswer('');
      onAnswered();
    }
  }
  return (
    <section className="card" aria-labelledby="inbox-answer">
      <h2 id="inbox-answer">{t('inbox.answerIt')}</h2>
      <p className="muted">{others.length ? t('inbox.answerHelpWith', { question: item.question, others: others.join(' / ') }) : t('inbox.answerHelp', { question: item.question })}</p>
      <form onSubmit={(e) => void submit(e)}>
        <TextAreaField label={t('inbox.answer')} value={answer} onChange={(e) => setAnswer(e.target.value)} error={form.errors.answer} rows={4} />
        <ErrorMessage error={form.error} />
        <button type="submit" className="primary" disabled={form.busy}>
          {t('inbox.saveAnswer')}
        </button>
      </form>
    </section>
  );
}
