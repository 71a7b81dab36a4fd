import { useEffect, useState, type FormEvent } from 'react';
import { chatChannels } from '../../../../src/db/enums.js';
import { listConversationsQuerySchema } from '../../../../src/modules/chat/conversations.schemas.js';
import { ErrorMessage } from '../../components/feedback.js';
import { validate, type FieldErrors } from '../../components/form.js';
import { Pager } from '../../components/pager.js';
import { usePageTitle } from '../../components/shell.js';
import { Thumb } from '../../components/thumb.js';
import { formatDateTime } from '../../format.js';
import { useI18n } from '../../i18n/i18n.js';
import { localizeValidation } from '../../i18n/validation.js';
import { Link } from '../../router.js';
import { listConversations, type Conversation } from '../chat/chat-api.js';

interface Filters {
  channel: string;
  start_date: string;
  end_date: string;
  feedback: string;
  skip: number;
  limit: number;
}
const feedbackFilters = ['any', 'none', 'up', 'down'] as const;

/** The conversation log of every channel, with channel, date and feedback filters. */
export function ConversationsPage() {
  const { t, language } = useI18n();
  usePageTitle(t('conversations.title'));
  const [draft, setDraft] = useState<Filters>({ channel: '', start_date: '', end_date: '', feedback: '', skip: 0, limit: 25 });
  const [filters, setFilters] = useState<Filters>(draft);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [items, setItems] = useState<Conversation[]>();
  const [error, setError] = useState<unknown>();
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    const { channel, start_date, end_date, feedback, skip, limit } = filters;
    listConversations({ channel: channel || undefined, start_date: start_date || undefined, end_date: end_date || undefined, feedback: feedback || undefined, skip, limit }, controller.signal)
      .then((res) => res.json() as Promise<Conversation[]>)
      .then((list) => {
        setItems(list);
        setError(undefined);
      })
      .catch((caught) => !controller.signal.aborted && setError(caught));
    return () => controller.abort();
  }, [filters, version]);

  function apply(event: FormEvent) {
    event.preventDefault();
    const given = Object.fromEntries(Object.entries(draft).filter(([, v]) => v !== ''));
    const parsed = validate(listConversationsQuerySchema, given);
    if (!parsed.ok) return setErrors(parsed.errors);
    setErrors({});
    setFilters({ ...draft, skip: 0 });
  }
  const set = (field: keyof Filters) => (event: { target: { value: string } }) => setDraft((d) => ({ ...d, [field]: event.target.value }));

  return (
    <>
      <h1>{t('conversations.title')}</h1>
      <section className="card">
        <form className="filters" onSubmit={apply} aria-label={t('documents.filters')}>
          <label>
            <span>{t('conversations.channel')}</span>
            <select value={draft.channel} onChange={set('channel')}>
              <option value="">{t('common.all')}</option>
              {chatChannels.map((channel) => (
                <option key={channel} value={channel}>
                  {t(`conversations.channel.${channel}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            <span>{t('conversations.from')}</span>
            <input type="date" value={draft.start_date} onChange={set('start_date')} aria-invalid={errors.start_date ? true : undefined} />
          </label>
          <label>
            <span>{t('conversations.to')}</span>
            <input type="date" value={draft.end_date} onChange={set('end_date')} aria-invalid={errors.end_date ? true : undefined} aria-describedby={errors.end_date ? 'end-date-error' : undefined} />
          </label>
          <label>
            <span>{t('conversations.feedback')}</span>
            <select value={draft.feedback} onChange={set('feedback')}>
              <option value="">{t('common.all')}</option>
              {feedbackFilters.map((value) => (
                <option key={value} value={value}>
                  {t(`conversations.feedback.${value}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">{t('common.apply')}</button>
        </form>
        {Object.entries(errors).map(([field, message]) => (
          <p key={field} id={field === 'end_date' ? 'end-date-error' : undefined} className="field-error" role="alert">
            {field === 'end_date' ? t('conversations.to') : field === 'start_date' ? t('conversations.from') : field}: {localizeValidation(message, language)}
          </p>
        ))}
        <ErrorMessage error={error} onRetry={() => setVersion((v) => v + 1)} />
        {items && items.length === 0 && <p className="empty">{t('conversations.empty')}</p>}
        {items && items.length > 0 && (
          <div className="table-wrap">
            <table className="table stack">
              <thead>
                <tr>
                  <th scope="col">{t('conversations.col.title')}</th>
                  <th scope="col">{t('conversations.col.channel')}</th>
                  <th scope="col">{t('conversations.col.messages')}</th>
                  <th scope="col">{t('conversations.col.feedback')}</th>
                  <th scope="col">{t('conversations.col.updated')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((c) => (
                  <tr key={c.id}>
                    <td data-label={t('conversations.col.title')}>
                      <Link to={`/conversations/${c.id}`}>{c.title}</Link>
                    </td>
                    <td data-label={t('conversations.col.channel')}>{t(`conversations.channel.${c.channel}`)}</td>
                    <td data-label={t('conversations.col.messages')}>{c.message_count}</td>
                    <td data-label={t('conversations.col.feedback')}>
                      <FeedbackCounts up={c.feedback_up} down={c.feedback_down} />
                    </td>
                    <td data-label={t('conversations.col.updated')}>{formatDateTime(c.updated_at, language)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager filters={filters} shown={items?.length ?? 0} onChange={setFilters} />
      </section>
    </>
  );
}

/** 👍 n / 👎 n of a conversation's answers; a dash when none is rated. */
function FeedbackCounts({ up, down }: { up: number; down: number }) {
  const { t } = useI18n();
  if (up === 0 && down === 0) {
    return (
      <>
        <span className="muted" aria-hidden="true">
          —
        </span>
        <span className="visually-hidden">{t('conversations.feedback.none')}</span>
      </>
    );
  }
  return (
    <span className="feedback-counts">
      {up > 0 && (
        <span className="badge rated-up" title={t('conversations.ratedUp', { n: up })}>
          <Thumb up /> <span aria-hidden="true">{up}</span>
          <span className="visually-hidden">{t('conversations.ratedUp', { n: up })}</span>
        </span>
      )}
      {down > 0 && (
        <span className="badge rated-down" title={t('conversations.ratedDown', { n: down })}>
          <Thumb /> <span aria-hidden="true">{down}</span>
          <span className="visually-hidden">{t('conversations.ratedDown', { n: down })}</span>
        </span>
      )}
    </span>
  );
}
