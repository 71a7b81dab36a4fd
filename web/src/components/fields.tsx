import { useId, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { ApiError } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';
import { localizeValidation } from '../i18n/validation.js';

// Select and textarea counterparts of form.tsx's <Field>: label, help and error wired the same way.

function useDescribed(help: ReactNode, error: string | undefined) {
  const id = useId();
  const describedBy = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return { id, describedBy };
}

function HelpAndError({ id, label, help, error }: { id: string; label: string; help: ReactNode; error?: string }) {
  const { language } = useI18n();
  return (
    <>
      {help && (
        <small id={`${id}-help`} className="help">
          {help}
        </small>
      )}
      {error && (
        <small id={`${id}-error`} className="field-error">
          {label}: {localizeValidation(error, language)}
        </small>
      )}
    </>
  );
}

export function SelectField({ label, error, help, options, ...select }: { label: string; error?: string; help?: ReactNode; options: { value: string; label: string }[] } & SelectHTMLAttributes<HTMLSelectElement>) {
  const { id, describedBy } = useDescribed(help, error);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...select}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <HelpAndError id={id} label={label} help={help} error={error} />
    </div>
  );
}

export function TextAreaField({ label, error, help, ...area }: { label: string; error?: string; help?: ReactNode } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const { id, describedBy } = useDescribed(help, error);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...area} />
      <HelpAndError id={id} label={label} help={help} error={error} />
    </div>
  );
}

/** A checkbox with its label beside it (and optional help under it). */
export function CheckboxField({ label, help, checked, onChange, disabled }: { label: string; help?: ReactNode; checked: boolean; onChange(checked: boolean): void; disabled?: boolean }) {
  const { id, describedBy } = useDescribed(help, undefined);
  return (
    <div className="field checkbox">
      <label htmlFor={id}>
        <input id={id} type="checkbox" checked={checked} disabled={disabled} aria-describedby={describedBy} onChange={(e) => onChange(e.target.checked)} /> {label}
      </label>
      <HelpAndError id={id} label={label} help={help} />
    </div>
  );
}

/** A list filter: a labelled select whose first choice, "All", is the empty value. */
export function FilterSelect({ label, value, onChange, options }: { label: string; value: string; onChange(value: string): void; options: { value: string; label: string }[] }) {
  const { t } = useI18n();
  return (
    <label>
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('common.all')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * An error whose field messages are already shown beside the fields: the alert keeps the summary
 * and the code, without listing them a second time.
 */
export function withoutFieldList(error: unknown): unknown {
  return error instanceof ApiError && error.body.errors?.length ? new ApiError(error.status, { ...error.body, errors: undefined }) : error;
}
