import { useState, type FormEvent } from 'react';
import { loginBodySchema } from '../../../src/modules/auth/auth.schemas.js';
import { api, ApiError } from '../api/client.js';
import { useSession } from '../auth/session.js';
import { AuthForm, CurrentPasswordField, EmailField, OneTimeCodeField } from '../components/account-fields.js';
import { useSubmit } from '../components/form.js';
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
  const { errors, error, busy, submit: send, setError } = useSubmit(loginBodySchema, async (body) => {
    try {
      await api('/api/v1/auth/login', { method: 'POST', body, anonymous: true });
    } catch (caught) {
      if (!(caught instanceof ApiError && caught.body.error_code === 'TWO_FACTOR_REQUIRED')) throw caught;
      setNeedsCode(true);
      setCode('');
      return;
    }
    await reload();
    navigate(safeNext(query.get('next')), { replace: true });
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    await send({ email, password, ...(needsCode ? { totp_code: code } : {}) });
  }

  if (needsCode) {
    return (
      <AuthLayout title={t('login.twoFactorTitle')}>
        <AuthForm
          onSubmit={submit}
          error={error}
          busy={busy}
          submitLabel={t('login.verify')}
          after={
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
          }
        >
          <p>{t('login.twoFactorHelp')}</p>
          <OneTimeCodeField name="totp_code" value={code} onChange={(e) => setCode(e.target.value)} inputMode="text" autoFocus error={errors.totp_code} />
        </AuthForm>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout title={t('login.title')}>
      <AuthForm onSubmit={submit} error={error} busy={busy} submitLabel={t('login.submit')}>
        <EmailField value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="username" error={errors.email} />
        <CurrentPasswordField name="password" value={password} onChange={(e) => setPassword(e.target.value)} error={errors.password} />
      </AuthForm>
      <p>
        {t('login.noAccount')} <Link to="/signup">{t('login.toSignup')}</Link>
      </p>
      <p className="muted">{t('login.noReset')}</p>
    </AuthLayout>
  );
}
