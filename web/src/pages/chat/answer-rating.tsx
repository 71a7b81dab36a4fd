import { useState } from 'react';
import { ErrorMessage, StatusMessage } from '../../components/feedback.js';
import { Thumb } from '../../components/thumb.js';
import { useI18n } from '../../i18n/i18n.js';
import { rateAnswer, type Message } from './chat-api.js';

type Rating = Message['feedback'];

/**
 * Thumbs up / down under an answer in the playground: a press saves at once, pressing the chosen
 * one again clears it. A comment written on the conversations page is sent back, so it is kept.
 */
export function AnswerRating({ conversationId, messageId, rating, comment, onRated }: { conversationId: string; messageId: string; rating: Rating; comment: string | null; onRated(message: Message): void }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [said, setSaid] = useState<'saved' | 'cleared'>();

  async function rate(choice: Exclude<Rating, null>) {
    const next = rating === choice ? null : choice;
    setBusy(true);
    setSaid(undefined);
    try {
      onRated(await rateAnswer(conversationId, messageId, { rating: next, ...(next && comment ? { comment } : {}) }));
      setError(undefined);
      setSaid(next ? 'saved' : 'cleared');
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="answer-rating">
      <div className="rating" role="group" aria-label={t('chat.rateAnswer')}>
        <span className="muted">{t('chat.rateAnswer')}</span>
        <button type="button" className="small" aria-pressed={rating === 'up'} disabled={busy} onClick={() => void rate('up')}>
          <Thumb up /> {t('conversations.rateUp')}
        </button>
        <button type="button" className="small" aria-pressed={rating === 'down'} disabled={busy} onClick={() => void rate('down')}>
          <Thumb /> {t('conversations.rateDown')}
        </button>
      </div>
      {said && <StatusMessage>{t(said === 'saved' ? 'conversations.feedbackSaved' : 'chat.ratingCleared')}</StatusMessage>}
      <ErrorMessage error={error} />
    </div>
  );
}
