import { useId, useState, type InputHTMLAttributes, type ReactNode } from 'react';
import type { z } from 'zod';
import { ApiError } from '../api/client.js';
import { useI18n } from '../i18n/i18n.js';
import { localizeValidation } from '../i18n/validation.js';

export type FieldErrors = Record<string, string>;

/**
 * Validates form values with the server's own Zod schema (imported from src/modules, not copied).
 * @example const parsed = validate(loginBodySchema, values); if (!parsed.ok) setErrors(parsed.errors)
 */
export function validate<S extends z.ZodType>(schema: S, values: unknown): { ok: true; data: z.output<S> } | { ok: false; errors: FieldErrors } {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path.join('.') || 'form';
    errors[field] ??= issue.message;
  }
  return { ok: false, errors };
}

/** A 422 from the server names its fields the same way: show them beside the inputs too. */
export function fieldErrorsOf(error: unknown): FieldErrors {
  const errors: FieldErrors = {};
  if (error instanceof ApiError) for (const e of error.body.errors ?? []) errors[e.field] ??= e.message;
  return errors;
}

/**
 * The one way a form sends: validate with the shared schema, call `send`, and keep what the form
 * shows — field errors (the schema's or the server's 422), the error, and whether it is busy.
 * `submit` resolves true when `send` succeeded.
 * @example const form = useSubmit(changePasswordBodySchema, (body) => api('/api/v1/auth/password', { method: 'POST', body }));
 */
export function useSubmit<S extends z.ZodType>(schema: S, send: (data: z.output<S>) => Promise<unknown>) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  async function submit(values: unknown): Promise<boolean> {
    setError(undefined);
    const parsed = validate(schema, values);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return false;
    }
    setErrors({});
    setBusy(true);
    try {
      await send(parsed.data);
      return true;
    } catch (caught) {
      setErrors(fieldErrorsOf(caught));
      setError(caught);
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { errors, error, busy, submit, setErrors, setError };
}

export type FieldProps = { label: string; error?: string; help?: ReactNode } & InputHTMLAttributes<HTMLInputElement>;

/** Label, input, help and error wired together (for=, aria-describedby, aria-invalid). */
export function Field({ label, error, help, ...input }: FieldProps) {
  const { language } = useI18n();
  const id = useId();
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const describedBy = [help ? helpId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      {help && (
        <small id={helpId} className="help">
          {help}
        </small>
      )}
      {error && (
        <small id={errorId} className="field-error">
          {label}: {localizeValidation(error, language)}
        </small>
      )}
    </div>
  );
}
