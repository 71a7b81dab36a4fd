import { useEffect, useRef, useState, type FormEvent } from 'react';
import { createFaqBodySchema, updateFaqBodySchema } from '../../../../src/modules/sources/faq/faq.schemas.js';
import { ErrorMessage } from '../../components/feedback.js';
import { TextAreaField, withoutFieldList } from '../../components/fields.js';
import { Field, useSubmit } from '../../components/form.js';
import { useI18n } from '../../i18n/i18n.js';
import { createFaq, updateFaq, type FaqEntry } from './faq-api.js';

/** One phrasing a line: what people paste from a spreadsheet column. */
const linesOf = (text: string) => text.split('\n').map((line) => line.trim()).filter(Boolean);

/** Add an entry, or edit `entry`, in a modal <dialog>; the server's schema checks the fields first. */
export function FaqDialog({ entry, open, onSaved, onClose }: { entry?: FaqEntry; open: boolean; onSaved(entry: FaqEntry): void; onClose(): void }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const [values, setValues] = useState({ question: '', answer: '', alternatives: '' });
  const editing = entry !== undefined;
  const form = useSubmit(editing ? updateFaqBodySchema : createFaqBodySchema, async (body) => onSaved(editing ? await updateFaq(entry.id, body) : await createFaq(body as never)));

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open) {
      setValues({ question: entry?.question ?? '', answer: entry?.answer ?? '', alternatives: entry?.alternatives.join('\n') ?? '' });
      form.setErrors({});
      form.setError(undefined);
      if (!dialog.open) dialog.showModal();
    } else if (dialog.open) dialog.close();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, entry]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    await form.submit({ question: values.question, answer: values.answer, alternatives: linesOf(values.alternatives) });
  }

  // Typing into a field clears what was said about it; the next save checks again.
  const set = (field: keyof typeof values) => (e: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [field]: e.target.value }));
    form.setErrors((errors) => Object.fromEntries(Object.entries(errors).filter(([key]) => key !== field && !key.startsWith(`${field}.`))));
  };
  return (
    <dialog ref={ref} className="dialog faq-dialog" aria-labelledby="faq-dialog-title" onCancel={onClose} onClose={() => open && onClose()}>
      <form onSubmit={submit} noValidate>
        <h2 id="faq-dialog-title">{editing ? t('faq.editTitle') : t('faq.addTitle')}</h2>
        <Field label={t('faq.question')} value={values.question} onChange={set('question')} required error={form.errors.question} />
        <TextAreaField label={t('faq.answer')} value={values.answer} onChange={set('answer')} rows={5} required help={t('faq.answerHelp')} error={form.errors.answer} />
        <TextAreaField label={t('faq.alternatives')} value={values.alternatives} onChange={set('alternatives')} rows={3} help={t('faq.alternativesHelp')} error={form.errors.alternatives ?? Object.entries(form.errors).find(([k]) => k.startsWith('alternatives.'))?.[1]} />
        <ErrorMessage error={withoutFieldList(form.error)} />
        <div className="actions">
          <button type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={form.busy}>
            {t('common.save')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
