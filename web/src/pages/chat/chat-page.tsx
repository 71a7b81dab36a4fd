import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { chatRequestSchema, DEFAULT_TEMPERATURE } from '../../../../src/modules/chat/chat.schemas.js';
import { DEFAULT_TOP_K, MAX_TOP_K } from '../../../../src/modules/retrieval/retrieval-limits.js';
import { useLoad } from '../../api/use-api.js';
import { useSession } from '../../auth/session.js';
import { ErrorMessage } from '../../components/feedback.js';
import { validate, type FieldErrors } from '../../components/form.js';
import { usePageTitle } from '../../components/shell.js';
import { useI18n } from '../../i18n/i18n.js';
import { localizeValidation } from '../../i18n/validation.js';
import { Link, useRouter } from '../../router.js';
import { AnswerRating } from './answer-rating.js';
import { AnswerText, SourceList } from './answer-text.js';
import { availableModels, getConversation, listConversations, streamAnswer, type Conversation, type Message } from './chat-api.js';
import { PassageDialog, type Citation } from './passage-dialog.js';
import { turnsOf, type Turn } from './turns.js';

/** Ask the tenant's documents, streamed, with clickable citations; continue or reopen conversations. */
export function ChatPage() {
  const { t, language } = useI18n();
  const { user } = useSession();
  const { query, navigate } = useRouter();
  usePageTitle(t('chat.title'));
  const openId = query.get('c');
  const [turns, setTurns] = useState<Turn[]>([]);
  const [sessionId, setSessionId] = useState<string>();
  const [question, setQuestion] = useState('');
  const [model, setModel] = useState('');
  const [topK, setTopK] = useState(String(DEFAULT_TOP_K));
  const [temperature, setTemperature] = useState(String(DEFAULT_TEMPERATURE));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>();
  const [cited, setCited] = useState<Citation>();
  const controller = useRef<AbortController | null>(null);
  const logEnd = useRef<HTMLDivElement>(null);
  const streaming = turns.some((turn) => turn.status === 'streaming');

  // Only this user's: a conversation continues only for the user who started it.
  const conversations = useLoad(['chat-history', user?.id], async (signal) => {
    const list = (await (await listConversations({ channel: 'dashboard', limit: 50 }, signal)).json()) as Conversation[];
    return list.filter((c) => c.user_id === user?.id).slice(0, 20);
  });
  const history = conversations.data ?? [];
  // Without them (an OPERATOR, or a failure) the select offers the default and extractive.
  const models = useLoad(user?.role === 'ADMIN' ? ['chat-models'] : null, () => availableModels()).data ?? [];

  // Open a conversation from the URL (?c=…), unless it is the one on screen already.
  useEffect(() => {
    if (!openId) {
      setTurns([]);
      setSessionId(undefined);
      return;
    }
    if (openId === sessionId) return;
    const aborter = new AbortController();
    getConversation(openId, aborter.signal)
      .then((conversation) => {
        setTurns(turnsOf(conversation.messages));
        setSessionId(conversation.id);
        setError(undefined);
      })
      .catch((caught) => !aborter.signal.aborted && setError(caught));
    return () => aborter.abort();
    // Only when the URL changes: a conversation started here already has its turns on screen.
  }, [openId]);

  // A new question scrolls the log so it and its answer are in view.
  useEffect(() => {
    if (turns.length > 0) logEnd.current?.scrollIntoView({ block: 'end' });
  }, [turns.length]);

  const updateLast = (change: (turn: Turn) => Partial<Turn>) => setTurns((list) => list.map((turn, i) => (i === list.length - 1 ? { ...turn, ...change(turn) } : turn)));
  const rated = (message: Message) =>
    setTurns((list) => list.map((turn) => (turn.messageId === message.id ? { ...turn, feedback: message.feedback, feedbackComment: message.feedback_comment } : turn)));
  const cite = (turn: Turn, index: number) => {
    const source = turn.sources?.[index];
    if (source) setCited({ source, number: index + 1, answer: turn.answer });
  };

  async function ask(event?: FormEvent) {
    event?.preventDefault();
    if (streaming) return;
    const request = {
      query: question,
      ...(model ? { model } : {}),
      top_k: Number(topK),
      temperature: Number(temperature),
      ...(sessionId ? { session_id: sessionId } : {}),
    };
    const parsed = validate(chatRequestSchema, request);
    if (!parsed.ok) return setErrors(parsed.errors);
    setErrors({});
    setError(undefined);
    setQuestion('');
    setTurns((list) => [...list, { key: `live-${Date.now()}`, question: parsed.data.query, answer: '', sources: null, status: 'streaming' }]);
    const aborter = new AbortController();
    controller.current = aborter;
    try {
      await streamAnswer(
        parsed.data,
        {
          onDelta: (text) => updateLast((turn) => ({ answer: turn.answer + text })),
          onSources: (sources) => updateLast(() => ({ sources })),
          onMetadata: ({ conversation_id, message_id, metadata }) => {
            updateLast(() => ({ messageId: message_id, model: metadata.model, latencyMs: metadata.latency_ms }));
            setSessionId(conversation_id);
            if (openId !== conversation_id) navigate(`/chat?c=${conversation_id}`, { replace: true });
          },
        },
        aborter.signal,
      );
      updateLast(() => ({ status: 'completed' }));
      void conversations.reload();
    } catch (caught) {
      if (aborter.signal.aborted) updateLast(() => ({ status: 'cancelled' }));
      else updateLast(() => ({ status: 'failed', error: caught }));
    } finally {
      controller.current = null;
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends, Shift+Enter is a new line; never while an IME is composing Japanese.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) void ask(event);
  }

  const modelOptions = [...models.filter((m) => m !== 'extractive'), 'extractive'];

  return (
    <div className="chat">
      <aside className="chat-history" aria-labelledby="history-title">
        <button type="button" className="primary" onClick={() => navigate('/chat')} disabled={streaming}>
          {t('chat.newConversation')}
        </button>
        <h2 id="history-title">{t('chat.history')}</h2>
        {history.length === 0 ? (
          <p className="muted">{t('chat.noHistory')}</p>
        ) : (
          <ul>
            {history.map((c) => (
              <li key={c.id}>
                <Link to={`/chat?c=${c.id}`} aria-current={c.id === sessionId ? 'true' : undefined}>
                  {c.title}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </aside>
      <section className="chat-main" aria-labelledby="chat-title">
        <h1 id="chat-title">{t('chat.title')}</h1>
        <div className="chat-log" role="log" aria-live="polite" aria-busy={streaming}>
          {turns.length === 0 && <p className="muted">{t('chat.empty')}</p>}
          {turns.map((turn, index) => (
            <article key={turn.key} className="turn" aria-label={`${t('chat.question')} ${index + 1}`}>
              <div className="bubble user">
                <span className="who-label">{t('chat.you')}</span>
                <p>{turn.question}</p>
              </div>
              <div className={`bubble assistant ${turn.status}`}>
                <span className="who-label">{t('chat.assistant')}</span>
                {turn.answer ? (
                  <AnswerText text={turn.answer} sources={turn.sources} onCite={(i) => cite(turn, i)} />
                ) : (
                  turn.status === 'streaming' && <p className="muted">{t('chat.thinking')}</p>
                )}
                {turn.status === 'cancelled' && <p className="muted">{t('chat.stopped')}</p>}
                {turn.error !== undefined && <ErrorMessage error={turn.error} />}
                {turn.sources && <SourceList sources={turn.sources} onCite={(i) => cite(turn, i)} />}
                {turn.model && <p className="meta">{t('chat.meta', { model: turn.model, ms: turn.latencyMs ?? '—' })}</p>}
                {turn.messageId && sessionId && turn.status !== 'streaming' && (
                  <AnswerRating conversationId={sessionId} messageId={turn.messageId} rating={turn.feedback ?? null} comment={turn.feedbackComment ?? null} onRated={rated} />
                )}
              </div>
            </article>
          ))}
          <div ref={logEnd} />
        </div>
        <ErrorMessage error={error} />
        <form className="composer" onSubmit={(e) => void ask(e)} noValidate>
          <label htmlFor="chat-question" className="visually-hidden">
            {t('chat.question')}
          </label>
          <textarea
            id="chat-question"
            value={question}
            onChange={(e) => setQuestion(e.target.value)}
            onKeyDown={onKeyDown}
            placeholder={t('chat.placeholder')}
            rows={2}
            aria-invalid={errors.query ? true : undefined}
            aria-describedby={errors.query ? 'question-error' : undefined}
          />
          {streaming ? (
            <button type="button" onClick={() => controller.current?.abort()}>
              {t('chat.stop')}
            </button>
          ) : (
            <button type="submit" className="primary">
              {t('chat.send')}
            </button>
          )}
          {errors.query && (
            <small id="question-error" className="field-error">
              {t('chat.question')}: {localizeValidation(errors.query, language)}
            </small>
          )}
        </form>
        <details className="chat-settings">
          <summary>{t('chat.settings')}</summary>
          <div className="settings-grid">
            <label>
              <span>{t('chat.model')}</span>
              <select value={model} onChange={(e) => setModel(e.target.value)}>
                <option value="">{t('chat.modelDefault')}</option>
                {modelOptions.map((m) => (
                  <option key={m} value={m}>
                    {m === 'extractive' ? t('chat.modelExtractive') : m}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span>{t('chat.topK')}</span>
              <input type="number" min={1} max={MAX_TOP_K} value={topK} onChange={(e) => setTopK(e.target.value)} aria-invalid={errors.top_k ? true : undefined} />
              {errors.top_k && <small className="field-error">{localizeValidation(errors.top_k, language)}</small>}
            </label>
            <label>
              <span>{t('chat.temperature')}</span>
              <input type="number" min={0} max={2} step={0.1} value={temperature} onChange={(e) => setTemperature(e.target.value)} aria-invalid={errors.temperature ? true : undefined} />
              {errors.temperature && <small className="field-error">{localizeValidation(errors.temperature, language)}</small>}
            </label>
          </div>
        </details>
      </section>
      <PassageDialog citation={cited} onClose={() => setCited(undefined)} />
    </div>
  );
}
