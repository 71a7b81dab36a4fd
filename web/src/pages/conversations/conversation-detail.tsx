import { useState } from 'react';
import { useLoad } from '../../api/use-api.js';
import { useSession } from '../../auth/session.js';
import { ErrorMessage } from '../../components/feedback.js';
import { usePageTitle } from '../../components/shell.js';
import { formatDateTime } from '../../format.js';
import { useI18n } from '../../i18n/i18n.js';
import { Link } from '../../router.js';
import { AnswerText, SourceList } from '../chat/answer-text.js';
import { getConversation, type Message } from '../chat/chat-api.js';
import { PassageDialog, type Citation } from '../chat/passage-dialog.js';
import { HandoffPanel } from './handoff-panel.js';
import { ConfidenceBadge } from './confidence-badge.js';
import { MessageFeedback } from './message-feedback.js';

/** One conversation: every message with its status, sources and model; feedback on answers. */
export function ConversationDetailPage({ id }: { id: string }) {
  const { t, language } = useI18n();
  const { user } = useSession();
  const loaded = useLoad(['conversation', id], (signal) => getConversation(id, signal));
  const conversation = loaded.data;
  const [cited, setCited] = useState<Citation>();
  usePageTitle(conversation?.title ?? t('conversations.transcript'));

  const cite = (message: Message, index: number) => {
    const source = message.sources?.[index];
    if (source) setCited({ source, number: index + 1, answer: message.content });
  };
  const replace = (updated: Message) => loaded.setData((c) => c && { ...c, messages: c.messages.map((m) => (m.id === updated.id ? updated : m)) });
  const canContinue = conversation?.channel === 'dashboard' && conversation.user_id === user?.id;

  return (
    <>
      <p>
        <Link to="/conversations">← {t('conversations.title')}</Link>
      </p>
      <h1>{conversation?.title ?? t('conversations.transcript')}</h1>
      <ErrorMessage error={loaded.error} />
      {conversation && (
        <>
          <p className="muted">
            {t(`conversations.channel.${conversation.channel}`)} · {formatDateTime(conversation.created_at, language)}
            {conversation.visitor_id && ` · ${conversation.visitor_id}`}
          </p>
          {conversation.handoff && <HandoffPanel conversationId={conversation.id} handoff={conversation.handoff} onSaved={(handoff) => loaded.setData((c) => c && { ...c, handoff })} />}
          {canContinue && (
            <p>
              <Link to={`/chat?c=${conversation.id}`}>{t('conversations.continue')}</Link>
            </p>
          )}
          <ol className="transcript">
            {conversation.messages.map((message) => (
              <li key={message.id} className={`bubble ${message.role} ${message.status}`}>
                <span className="who-label">
                  {message.role === 'user' ? t('chat.question') : t('chat.assistant')} · {formatDateTime(message.created_at, language)}
                  {message.role === 'assistant' && (
                    <>
                      {' · '}
                      <span className={`badge status-${message.status === 'completed' ? 'completed' : 'failed'}`}>{t(`conversations.status.${message.status}`)}</span>
                      {message.confidence && ' · '}
                      <ConfidenceBadge confidence={message.confidence} />
                    </>
                  )}
                </span>
                {message.role === 'user' ? (
                  <p>{message.content}</p>
                ) : (
                  <>
                    <AnswerText text={message.content} sources={message.sources} onCite={(i) => cite(message, i)} />
                    {message.sources && <SourceList sources={message.sources} onCite={(i) => cite(message, i)} />}
                    {message.retrieval_query && <p className="meta">{t('conversations.searchedFor', { query: message.retrieval_query })}</p>}
                    {message.model && <p className="meta">{t('chat.meta', { model: message.model, ms: message.latency_ms ?? '—' })}</p>}
                    <MessageFeedback conversationId={conversation.id} message={message} onSaved={replace} />
                  </>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
      <PassageDialog citation={cited} onClose={() => setCited(undefined)} />
    </>
  );
}
