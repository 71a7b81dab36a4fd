import { useState, type FormEvent } from 'react';
import { loginBodySchema } from '../../../src/modules/auth/auth.schemas.js';
import { api, ApiError } from '../api/client.js';
import { useSession } from '../auth/session.js';
import { ErrorMessage } from '../components/feedback.js';
import { Field, fieldErrorsOf, validate, type FieldErrors } from '../components/form.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, useRouter } from '../router.js';
import { AuthLayout } from './auth-layout.js';

/** Only paths of this app: `next` comes from the URL and must not send the user elsewhere. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/documents';
}

/** v1 login; a 401 TWO_FACTOR_REQUIRED asks for the code and logs in again with totp_code. */
export function LoginPage() {
  const { t } = useI18n();
  const { query, navigate } = useRouter();
  const { reload } = useSession();
  const [email, setEmail] = useState(query.get('email') ?? '');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    const parsed = validate(loginBodySchema, { email, password, ...(needsCode ? { totp_code: code } : {}) });
    if (!parsed.ok) return setErrors(parsed.errors);
    setErrors({});
    setBusy(true);
    try {
      await api('/api/v1/auth/login', { method: 'POST', body: parsed.data, anonymous: true });
      await reload();
      navigate(safeNext(query.get('next')), { replace: true });
    } catch (caught) {
      if (caught instanceof ApiError && caught.body.error_code === 'TWO_FACTOR_REQUIRED') {
        setNeedsCode(true);
        setCode('');
      } else {
        setErrors(fieldErrorsOf(caught));
        setError(caught);
      }
    } finally {
      setBusy(false);
    }
  }

  if (needsCode) {
    return (
      <AuthLayout title={t('login.twoFactorTitle')}>
        <form onSubmit={submit} noValidate>
          <p>{t('login.twoFactorHelp')}</p>
          <Field
            label={t('login.totp')}
            name="totp_code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoComplete="one-time-code"
            inputMode="text"
            autoFocus
            required
            error={errors.totp_code}
          />
          <ErrorMessage error={error} />
          <button type="submit" className="primary" disabled={busy}>
            {t('login.verify')}
          </button>
          <button
            type="button"
            className="link"
            onClick={() => {
              setNeedsCode(false);
              setPassword('');
              setError(undefined);
            }}
          >
            {t('login.startOver')}
          </button>
        </form>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title={t('login.title')}>
      <form onSubmit={submit} noValidate>
        <Field label={t('login.email')} name="email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="username" required error={errors.email} />
        <Field
          label={t('login.password')}
          name="password"
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="current-password"
          required
          error={errors.password}
        />
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
      <p>
        {t('login.noAccount')} <Link to="/signup">{t('login.toSignup')}</Link>
      </p>
      <p className="muted">{t('login.noReset')}</p>
    </AuthLayout>
  );
}
