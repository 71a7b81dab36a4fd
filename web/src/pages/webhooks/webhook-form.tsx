import { useState, type FormEvent } from 'react';
import { webhookEventTypes } from '../../../../src/db/enums.js';
import { createWebhookBodySchema } from '../../../../src/modules/webhooks/webhooks.schemas.js';
import { ErrorMessage } from '../../components/feedback.js';
import { CheckboxField, withoutFieldList } from '../../components/fields.js';
import { Field, useSubmit } from '../../components/form.js';
import { useI18n } from '../../i18n/i18n.js';
import { localizeValidation } from '../../i18n/validation.js';
import { createWebhook, type WebhookWithSecret } from './webhooks-api.js';

/** Register an endpoint (ADMIN): address, a note, the events it gets. */
export function WebhookForm({ onAdded }: { onAdded(created: WebhookWithSecret): void }) {
  const { t, language } = useI18n();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>(['document.completed', 'document.failed']);
  const { errors, error, busy, submit: send } = useSubmit(createWebhookBodySchema, async (body) => onAdded(await createWebhook(body)));

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (await send({ url: url.trim(), description, events })) {
      setUrl('');
      setDescription('');
    }
  }
  const toggle = (type: string, on: boolean) => setEvents((list) => (on ? [...list, type] : list.filter((e) => e !== type)));

  return (
    <form className="card" onSubmit={submit} noValidate>
      <h2>{t('webhooks.add')}</h2>
      <Field label={t('webhooks.url')} type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.co.jp/hooks/shiori" required help={t('webhooks.urlHelp')} error={errors.url} />
      <Field label={t('webhooks.description')} value={description} onChange={(e) => setDescription(e.target.value)} placeholder={t('webhooks.descriptionPlaceholder')} error={errors.description} />
      <fieldset className="field">
        <legend>{t('webhooks.events')}</legend>
        {webhookEventTypes.map((type) => (
          <CheckboxField key={type} label={t(`webhooks.event.${type}`)} help={<code>{type}</code>} checked={events.includes(type)} onChange={(on) => toggle(type, on)} />
        ))}
        {errors.events && (
          <small className="field-error" role="alert">
            {t('webhooks.events')}: {localizeValidation(errors.events, language)}
          </small>
        )}
      </fieldset>
      <ErrorMessage error={withoutFieldList(error)} />
      <button type="submit" className="primary" disabled={busy}>
        {t('webhooks.submit')}
      </button>
    </form>
  );
}
