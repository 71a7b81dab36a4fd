import { useState, type FormEvent } from 'react';
import { updateTenantBodySchema } from '../../../../src/modules/tenants/tenants.schemas.js';
import { api } from '../../api/client.js';
import { ErrorMessage, StatusMessage } from '../../components/feedback.js';
import { CheckboxField, SelectField, TextAreaField, withoutFieldList } from '../../components/fields.js';
import { Field, useSubmit } from '../../components/form.js';
import { useI18n } from '../../i18n/i18n.js';
import type { Tenant, WidgetLook } from './types.js';

type Texts = Record<'title' | 'greeting' | 'placeholder' | 'contact', string>;

/** The widget's look: texts (empty = the widget's built-in wording, or no contact), colour, side, language, sources. */
export function LookForm({ tenant, readOnly, onSaved }: { tenant: Tenant; readOnly: boolean; onSaved(next: Tenant): void }) {
  const { t } = useI18n();
  const look = tenant.settings.widget;
  const [texts, setTexts] = useState<Texts>({ title: look.title ?? '', greeting: look.greeting ?? '', placeholder: look.placeholder ?? '', contact: look.contact ?? '' });
  const [rest, setRest] = useState<Omit<WidgetLook, keyof Texts | 'contact_route'>>({ accent_color: look.accent_color, position: look.position, language: look.language, show_sources: look.show_sources, link_files: look.link_files });
  const [saved, setSaved] = useState(false);
  const text = (field: keyof Texts) => (e: { target: { value: string } }) => setTexts((v) => ({ ...v, [field]: e.target.value }));
  const { errors, error, busy, submit: send } = useSubmit(updateTenantBodySchema, async (body) => onSaved(await api<Tenant>(`/api/v1/tenants/${tenant.id}`, { method: 'PATCH', body })));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const widget = { ...rest, title: texts.title.trim() || null, greeting: texts.greeting.trim() || null, placeholder: texts.placeholder.trim() || null, contact: texts.contact.trim() || null };
    setSaved(await send({ widget }));
  }

  return (
    <form className="card" onSubmit={submit} noValidate>
      <h2>{t('widget.look')}</h2>
      <fieldset disabled={readOnly}>
        <Field label={t('widget.title')} value={texts.title} onChange={text('title')} help={t('widget.titleHelp')} error={errors['widget.title']} maxLength={60} />
        <TextAreaField label={t('widget.greeting')} value={texts.greeting} onChange={text('greeting')} help={t('widget.builtInHelp')} error={errors['widget.greeting']} rows={3} maxLength={500} />
        <Field label={t('widget.placeholder')} value={texts.placeholder} onChange={text('placeholder')} help={t('widget.builtInHelp')} error={errors['widget.placeholder']} maxLength={100} />
        <div className="field">
          <Field label={t('widget.accentColor')} value={rest.accent_color} onChange={(e) => setRest((v) => ({ ...v, accent_color: e.target.value }))} help={t('widget.accentHelp')} error={errors['widget.accent_color']} />
          <input type="color" aria-label={t('widget.accentPicker')} value={/^#[0-9a-f]{6}$/i.test(rest.accent_color) ? rest.accent_color : '#2563eb'} onChange={(e) => setRest((v) => ({ ...v, accent_color: e.target.value }))} />
        </div>
        <SelectField
          label={t('widget.position')}
          value={rest.position}
          onChange={(e) => setRest((v) => ({ ...v, position: e.target.value as WidgetLook['position'] }))}
          options={[
            { value: 'bottom-right', label: t('widget.position.bottom-right') },
            { value: 'bottom-left', label: t('widget.position.bottom-left') },
          ]}
        />
        <SelectField
          label={t('widget.language')}
          value={rest.language}
          onChange={(e) => setRest((v) => ({ ...v, language: e.target.value as WidgetLook['language'] }))}
          options={[
            { value: 'auto', label: t('widget.language.auto') },
            { value: 'ja', label: '日本語' },
            { value: 'en', label: 'English' },
          ]}
        />
        <Field label={t('widget.contact')} value={texts.contact} onChange={text('contact')} help={t('widget.contactHelp')} error={errors['widget.contact']} maxLength={200} />
        <CheckboxField label={t('widget.showSources')} checked={rest.show_sources} onChange={(checked) => setRest((v) => ({ ...v, show_sources: checked }))} />
        <CheckboxField label={t('widget.linkFiles')} checked={rest.link_files} onChange={(checked) => setRest((v) => ({ ...v, link_files: checked }))} />
        <ErrorMessage error={withoutFieldList(error)} />
        {saved && <StatusMessage>{t('widget.saved')}</StatusMessage>}
        {!readOnly && (
          <button type="submit" className="primary" disabled={busy}>
            {t('widget.saveLook')}
          </button>
        )}
      </fieldset>
    </form>
  );
}
