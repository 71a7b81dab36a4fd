import { useId, useState, type FormEvent } from 'react';
import { feedbackBodySchema } from '../../../../src/modules/chat/conversations.schemas.js';
import { ErrorMessage, StatusMessage } from '../../components/feedback.js';
import { validate } from '../../components/form.js';
import { Thumb } from '../../components/thumb.js';
import { useI18n } from '../../i18n/i18n.js';
import { localizeValidation } from '../../i18n/validation.js';
import { rateAnswer, type Message } from '../chat/chat-api.js';

/** Thumbs up / down (toggle buttons; pressing the chosen one again clears it) and a comment. */
export function MessageFeedback({ conversationId, message, onSaved }: { conversationId: string; message: Message; onSaved(message: Message): void }) {
  const { t, language } = useI18n();
  const [rating, setRating] = useState(message.feedback);
  const [comment, setComment] = useState(message.feedback_comment ?? '');
  const [fieldError, setFieldError] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const commentId = useId();

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const parsed = validate(feedbackBodySchema, { rating, ...(rating && comment.trim() ? { comment } : {}) });
    if (!parsed.ok) return setFieldError(Object.values(parsed.errors)[0]);
    setFieldError(undefined);
    try {
      const updated = await rateAnswer(conversationId, message.id, parsed.data);
      setError(undefined);
      setSaved(true);
      onSaved(updated);
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <form className="feedback-form" onSubmit={(e) => void save(e)} aria-label={t('conversations.feedback')}>
      <div className="rating" role="group" aria-label={t('conversations.feedback')}>
        <button type="button" aria-pressed={rating === 'up'} onClick={() => setRating(rating === 'up' ? null : 'up')}>
          <Thumb up /> {t('conversations.rateUp')}
        </button>
        <button type="button" aria-pressed={rating === 'down'} onClick={() => setRating(rating === 'down' ? null : 'down')}>
          <Thumb /> {t('conversations.rateDown')}
        </button>
      </div>
      <label htmlFor={commentId}>{t('conversations.comment')}</label>
      <textarea id={commentId} value={comment} onChange={(e) => setComment(e.target.value)} rows={2} disabled={!rating} />
      {fieldError && (
        <p className="field-error" role="alert">
          {localizeValidation(fieldError, language)}
        </p>
      )}
      <button type="submit" className="small">
        {t('conversations.saveFeedback')}
      </button>
      {saved && <StatusMessage>{t('conversations.feedbackSaved')}</StatusMessage>}
      <ErrorMessage error={error} />
    </form>
  );
}
