import { useState, type FormEvent } from 'react';
import { updateContentBodySchema } from '../../../../src/modules/sources/contents/contents.schemas.js';
import { ErrorMessage, StatusMessage } from '../../components/feedback.js';
import { TextAreaField, withoutFieldList } from '../../components/fields.js';
import { Field, useSubmit } from '../../components/form.js';
import { useI18n } from '../../i18n/i18n.js';
import { updateContent, type ContentDetail } from './documents-api.js';

/** Written as at upload: comma-separated, with the Japanese commas too. */
const tagsOf = (text: string) => text.split(/[,、，]/);

const valuesOf = (c: ContentDetail) => ({ title: c.title ?? '', description: c.description ?? '', tags: c.tags.join(', ') });

/** ADMIN: title, description and tags (PATCH); the new title is searchable as soon as it is saved. */
export function DocumentEditForm({ content, onSaved }: { content: ContentDetail; onSaved(next: ContentDetail): void }) {
  const { t } = useI18n();
  const [values, setValues] = useState(() => valuesOf(content));
  const [saved, setSaved] = useState(false);
  const { errors, error, busy, submit: send } = useSubmit(updateContentBodySchema, async (body) => {
    const next = await updateContent(content.id, body);
    // What was stored (trimmed, duplicate tags dropped) is what the form shows next.
    setValues(valuesOf(next));
    onSaved(next);
  });
  const set = (field: keyof typeof values) => (e: { target: { value: string } }) => {
    setSaved(false);
    setValues((v) => ({ ...v, [field]: e.target.value }));
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    if (await send({ title: values.title, description: values.description, tags: tagsOf(values.tags) })) setSaved(true);
  }

  return (
    <section className="card" aria-labelledby="edit-title">
      <h2 id="edit-title">{t('documents.edit')}</h2>
      <form onSubmit={submit} noValidate>
        <Field label={t('documents.field.title')} value={values.title} onChange={set('title')} help={t('documents.editHelp')} error={errors.title} maxLength={200} />
        <TextAreaField label={t('documents.field.description')} value={values.description} onChange={set('description')} error={errors.description} rows={3} maxLength={2000} />
        <Field label={t('documents.field.tags')} value={values.tags} onChange={set('tags')} help={t('documents.tagsHelp')} error={errors.tags ?? Object.entries(errors).find(([k]) => k.startsWith('tags.'))?.[1]} />
        <div className="actions start">
          <button type="submit" className="primary" disabled={busy}>
            {t('documents.saveDetails')}
          </button>
        </div>
      </form>
      <ErrorMessage error={withoutFieldList(error)} />
      {saved && <StatusMessage>{t('documents.savedDetails')}</StatusMessage>}
    </section>
  );
}
