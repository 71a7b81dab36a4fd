import type { FormEvent, ReactNode } from 'react';
import { useI18n } from '../i18n/i18n.js';
import { ErrorMessage } from './feedback.js';
import { Field, type FieldProps } from './form.js';

// The fields of signing in and of choosing a username or password, worded and wired once: the
// login, sign-up, invitation and account pages differ only in what they do with them.

type PresetFieldProps = Omit<FieldProps, 'label'> & { label?: string };

export function EmailField(props: PresetFieldProps) {
  const { t } = useI18n();
  return <Field label={t('login.email')} name="email" type="email" required {...props} />;
}

/** The password one has (login, turning 2FA off, changing it). */
export function CurrentPasswordField(props: PresetFieldProps) {
  const { t } = useI18n();
  return <Field label={t('login.password')} type="password" autoComplete="current-password" required {...props} />;
}

/** A password being chosen, with the server's rules as help. */
export function NewPasswordField(props: PresetFieldProps) {
  const { t } = useI18n();
  return <Field label={t('signup.password')} type="password" autoComplete="new-password" required help={t('signup.passwordHelp')} {...props} />;
}

/** A username being chosen, with the server's rules as help. */
export function NewUsernameField(props: PresetFieldProps) {
  const { t } = useI18n();
  return <Field label={t('signup.username')} name="username" autoComplete="username" required help={t('signup.usernameHelp')} {...props} />;
}

/** A code from the authenticator app, or a recovery code. */
export function OneTimeCodeField(props: PresetFieldProps) {
  const { t } = useI18n();
  return <Field label={t('login.totp')} autoComplete="one-time-code" required {...props} />;
}

/**
 * A form of the signed-out pages: its fields, the error, and the one primary button (`after` follows it).
 * @example <AuthForm onSubmit={submit} error={error} busy={busy} submitLabel={t('login.submit')}>…fields…</AuthForm>
 */
export function AuthForm({ onSubmit, error, busy, submitLabel, children, after }: { onSubmit(event: FormEvent): void; error: unknown; busy: boolean; submitLabel: string; children: ReactNode; after?: ReactNode }) {
  return (
    <form onSubmit={onSubmit} noValidate>
      {children}
      <ErrorMessage error={error} />
      <button type="submit" className="primary" disabled={busy}>
        {submitLabel}
      </button>
      {after}
    </form>
  );
}
