import { useState, type FormEvent } from 'react';
import { chatChannels } from '../../../../src/db/enums.js';
import { listConversationsQuerySchema } from '../../../../src/modules/chat/conversations.schemas.js';
import { DataTable } from '../../components/data-table.js';
import { useLoad } from '../../api/use-api.js';
import { ErrorMessage } from '../../components/feedback.js';
import { FilterSelect } from '../../components/fields.js';
import { validate, type FieldErrors } from '../../components/form.js';
import { Pager } from '../../components/pager.js';
import { usePageTitle } from '../../components/shell.js';
import { Thumb } from '../../components/thumb.js';
import { formatDateTime } from '../../format.js';
import { useI18n } from '../../i18n/i18n.js';
import { localizeValidation } from '../../i18n/validation.js';
import { Link } from '../../router.js';
import { downloadFile } from '../../api/download.js';
import { listConversations, type Conversation } from '../chat/chat-api.js';
import { readerTimeZone } from '../inbox/inbox-api.js';

interface Filters {
  channel: string;
  start_date: string;
  end_date: string;
  feedback: string;
  handoff: string;
  skip: number;
  limit: number;
}
const feedbackFilters = ['any', 'none', 'up', 'down'] as const;
const handoffFilters = ['requested', 'closed', 'any'] as const;

/** The filters a link may set: /conversations?handoff=requested opens the visitors waiting for a person. */
function initialFilters(): Filters {
  const handoff = new URLSearchParams(window.location.search).get('handoff') ?? '';
  return { channel: '', start_date: '', end_date: '', feedback: '', handoff: (handoffFilters as readonly string[]).includes(handoff) ? handoff : '', skip: 0, limit: 25 };
}

/** The conversation log of every channel, with channel, date and feedback filters. */
export function ConversationsPage() {
  const { t, language } = useI18n();
  usePageTitle(t('conversations.title'));
  const [draft, setDraft] = useState<Filters>(initialFilters);
  const [filters, setFilters] = useState<Filters>(draft);
  const [errors, setErrors] = useState<FieldErrors>({});
  const list = useLoad(['conversations', filters], async (signal) => {
    const { channel, start_date, end_date, feedback, handoff, skip, limit } = filters;
    const res = await listConversations({ channel: channel || undefined, start_date: start_date || undefined, end_date: end_date || undefined, feedback: feedback || undefined, handoff: handoff || undefined, skip, limit }, signal);
    return (await res.json()) as Conversation[];
  });
  const items = list.data;
  const [exportError, setExportError] = useState<unknown>();

  /** The applied date range and channel as a CSV file (times in the reader's time zone, headers in the UI's language). */
  async function exportCsv() {
    setExportError(undefined);
    try {
      const { channel, start_date, end_date } = filters;
      await downloadFile('/api/v1/conversations/export.csv', { channel, start_date, end_date, time_zone: readerTimeZone() }, 'conversations.csv');
    } catch (caught) {
      setExportError(caught);
    }
  }

  function apply(event: FormEvent) {
    event.preventDefault();
    const given = Object.fromEntries(Object.entries(draft).filter(([, v]) => v !== ''));
    const parsed = validate(listConversationsQuerySchema, given);
    if (!parsed.ok) return setErrors(parsed.errors);
    setErrors({});
    setFilters({ ...draft, skip: 0 });
  }
  const set = (field: keyof Filters) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));

  return (
    <>
      <h1>{t('conversations.title')}</h1>
      <section className="card">
        <form className="filters" onSubmit={apply} aria-label={t('documents.filters')}>
          <FilterSelect label={t('conversations.channel')} value={draft.channel} onChange={set('channel')} options={chatChannels.map((channel) => ({ value: channel, label: t(`conversations.channel.${channel}`) }))} />
          <label>
            <span>{t('conversations.from')}</span>
            <input type="date" value={draft.start_date} onChange={(e) => set('start_date')(e.target.value)} aria-invalid={errors.start_date ? true : undefined} />
          </label>
          <label>
            <span>{t('conversations.to')}</span>
            <input type="date" value={draft.end_date} onChange={(e) => set('end_date')(e.target.value)} aria-invalid={errors.end_date ? true : undefined} aria-describedby={errors.end_date ? 'end-date-error' : undefined} />
          </label>
          <FilterSelect label={t('conversations.feedback')} value={draft.feedback} onChange={set('feedback')} options={feedbackFilters.map((value) => ({ value, label: t(`conversations.feedback.${value}`) }))} />
          <FilterSelect label={t('conversations.handoff')} value={draft.handoff} onChange={set('handoff')} options={handoffFilters.map((value) => ({ value, label: t(`conversations.handoff.${value}`) }))} />
          <button type="submit">{t('common.apply')}</button>
          <button type="button" onClick={() => void exportCsv()}>
            {t('conversations.export')}
          </button>
        </form>
        {Object.entries(errors).map(([field, message]) => (
          <p key={field} id={field === 'end_date' ? 'end-date-error' : undefined} className="field-error" role="alert">
            {field === 'end_date' ? t('conversations.to') : field === 'start_date' ? t('conversations.from') : field}: {localizeValidation(message, language)}
          </p>
        ))}
        <ErrorMessage error={list.error ?? exportError} onRetry={() => void list.reload()} />
        {items && items.length === 0 && <p className="empty">{t('conversations.empty')}</p>}
        {items && items.length > 0 && (
          <DataTable
            rows={items}
            rowKey={(c) => c.id}
            columns={[
              { label: t('conversations.col.title'), cell: (c) => <Link to={`/conversations/${c.id}`}>{c.title}</Link> },
              { label: t('conversations.col.channel'), cell: (c) => t(`conversations.channel.${c.channel}`) },
              { label: t('conversations.col.messages'), cell: (c) => c.message_count },
              { label: t('conversations.col.feedback'), cell: (c) => <FeedbackCounts up={c.feedback_up} down={c.feedback_down} /> },
              {
                label: t('conversations.col.handoff'),
                cell: (c) => (c.handoff ? <span className={`badge handoff-${c.handoff.status}`}>{t(`conversations.handoff.${c.handoff.status}`)}</span> : <span className="muted">—</span>),
              },
              { label: t('conversations.col.updated'), cell: (c) => formatDateTime(c.updated_at, language) },
            ]}
          />
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
