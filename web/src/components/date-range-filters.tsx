import { useState, type FormEvent, type ReactNode } from 'react';
import type { z } from 'zod';
import { useI18n } from '../i18n/i18n.js';
import { Field, validate, type FieldErrors } from './form.js';

type RangeForm = { start_date: string; end_date: string } & Record<string, string>;

/** Without the fields left empty ("all"): what is validated and what the API is asked. */
const filled = <T extends RangeForm>(form: T) => Object.fromEntries(Object.entries(form).filter(([, v]) => v !== '')) as Partial<T>;

/**
 * A report's filters: edited in `form`, applied to `query` only when submitted and valid by the
 * API's own schema, so a half-typed date never reaches the server.
 */
export function useRangeFilters<T extends RangeForm>(schema: z.ZodType, initial: T) {
  const [form, setForm] = useState(initial);
  const [query, setQuery] = useState(() => filled(initial));
  const [errors, setErrors] = useState<FieldErrors>({});
  return {
    form,
    query,
    errors,
    set: <K extends keyof T>(key: K, value: T[K]) => setForm((f) => ({ ...f, [key]: value })),
    submit(event: FormEvent) {
      event.preventDefault();
      const parsed = validate(schema, filled(form));
      if (!parsed.ok) return setErrors(parsed.errors);
      setErrors({});
      setQuery(filled(form));
    },
  };
}
export type RangeFilters<T extends RangeForm> = ReturnType<typeof useRangeFilters<T>>;

/** From, to, the report's own selects (children) and a submit button; errors from the form or the server. */
export function DateRangeFilters<T extends RangeForm>({ filters, serverErrors, children }: { filters: RangeFilters<T>; serverErrors: FieldErrors; children?: ReactNode }) {
  const { t } = useI18n();
  const { form, errors, set } = filters;
  return (
    <form className="card filters" onSubmit={filters.submit} noValidate>
      <Field label={t('usage.from')} type="date" value={form.start_date} onChange={(e) => set('start_date', e.target.value as T['start_date'])} error={errors.start_date ?? serverErrors.start_date} />
      <Field label={t('usage.to')} type="date" value={form.end_date} onChange={(e) => set('end_date', e.target.value as T['end_date'])} error={errors.end_date ?? serverErrors.end_date} />
      {children}
      <button type="submit" className="primary">
        {t('usage.show')}
      </button>
    </form>
  );
}

/** A report's totals as tiles: label above, figure below (its test id on the figure); children add tiles of their own. */
export function TotalsTiles({ tiles, children }: { tiles: readonly (readonly [testId: string, label: string, value: string])[]; children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="totals" role="group" aria-label={t('usage.totals')}>
      {tiles.map(([testId, label, value]) => (
        <div key={testId} className="card total">
          <span className="muted">{label}</span>
          <strong data-testid={testId}>{value}</strong>
        </div>
      ))}
      {children}
    </div>
  );
}
