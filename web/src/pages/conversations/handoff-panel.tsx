import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { updateHandoffBodySchema, type handoffStateSchema } from '../../../../src/modules/handoff/handoff.schemas.js';
import { api } from '../../api/client.js';
import { ErrorMessage, StatusMessage } from '../../components/feedback.js';
import { TextAreaField, withoutFieldList } from '../../components/fields.js';
import { useSubmit } from '../../components/form.js';
import { formatDateTime } from '../../format.js';
import { useI18n } from '../../i18n/i18n.js';

type HandoffState = z.infer<typeof handoffStateSchema>;

/** A conversation the visitor handed to a person: what they left, the operator's reply note, and closing it. */
export function HandoffPanel({ conversationId, handoff, onSaved }: { conversationId: string; handoff: HandoffState; onSaved(next: HandoffState): void }) {
  const { t, language } = useI18n();
  const [note, setNote] = useState(handoff.note ?? '');
  const [saved, setSaved] = useState(false);
  const { errors, error, busy, submit } = useSubmit(updateHandoffBodySchema, async (body) =>
    onSaved(await api<HandoffState>(`/api/v1/conversations/${encodeURIComponent(conversationId)}/handoff`, { method: 'PATCH', body })),
  );

  async function save(event: FormEvent, status?: HandoffState['status']) {
    event.preventDefault();
    setSaved(false);
    setSaved(await submit({ note: note.trim() || null, ...(status ? { status } : {}) }));
  }

  return (
    <section className={`card handoff-panel handoff-${handoff.status}`} aria-labelledby="handoff-title">
      <h2 id="handoff-title">
        {t('conversations.handoffTitle')} <span className={`badge handoff-${handoff.status}`}>{t(`conversations.handoff.${handoff.status}`)}</span>
      </h2>
      <p className="muted">
        {t('conversations.handoffRequestedAt', { time: formatDateTime(handoff.requested_at, language) })}
        {handoff.handled_at && ` · ${t('conversations.handoffHandled', { time: formatDateTime(handoff.handled_at, language) })}`}
      </p>
      <dl className="handoff-details">
        {handoff.message && (
          <>
            <dt>{t('conversations.handoffMessage')}</dt>
            <dd>{handoff.message}</dd>
          </>
        )}
        {handoff.contact && (
          <>
            <dt>{t('conversations.handoffContact')}</dt>
            <dd>{handoff.contact}</dd>
          </>
        )}
      </dl>
      <form onSubmit={(e) => void save(e)} noValidate>
        <TextAreaField label={t('conversations.handoffNote')} help={t('conversations.handoffNoteHelp')} value={note} onChange={(e) => setNote(e.target.value)} error={errors.note} rows={3} maxLength={2000} />
        <div className="actions">
          <button type="submit" disabled={busy}>
            {t('conversations.handoffSaveNote')}
          </button>
          {handoff.status === 'requested' ? (
            <button type="button" className="primary" disabled={busy} onClick={(e) => void save(e, 'closed')}>
              {t('conversations.handoffCloseIt')}
            </button>
          ) : (
            <button type="button" disabled={busy} onClick={(e) => void save(e, 'requested')}>
              {t('conversations.handoffReopen')}
            </button>
          )}
        </div>
        {saved && <StatusMessage>{t('conversations.handoffSaved')}</StatusMessage>}
        <ErrorMessage error={withoutFieldList(error)} />
      </form>
    </section>
  );
}
