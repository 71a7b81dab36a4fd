import { useState, type FormEvent } from 'react';
import { registerBodySchema } from '../../../src/modules/auth/auth.schemas.js';
import { api } from '../api/client.js';
import { useSession } from '../auth/session.js';
import { AuthForm, EmailField, NewPasswordField, NewUsernameField } from '../components/account-fields.js';
import { Field, useSubmit } from '../components/form.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, useRouter } from '../router.js';
import { AuthLayout } from './auth-layout.js';

const empty = { email: '', username: '', password: '', tenant_name: '', tenant_domain: '' };

/** v1 register (creates the tenant, its first user an ADMIN), then logs in with the same password. */
export function SignupPage() {
  const { t } = useI18n();
  const { navigate } = useRouter();
  const { reload } = useSession();
  const [values, setValues] = useState(empty);
  const set = (field: keyof typeof empty) => (event: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: event.target.value }));
  const { errors, error, busy, submit: send } = useSubmit(registerBodySchema, async (body) => {
    await api('/api/v1/auth/register', { method: 'POST', body, anonymous: true });
    await api('/api/v1/auth/login', { method: 'POST', body: { email: body.email, password: body.password }, anonymous: true });
    await reload();
    navigate('/documents', { replace: true });
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    await send(values);
  }

  return (
    <AuthLayout title={t('signup.title')}>
      <p>{t('signup.intro')}</p>
      <AuthForm onSubmit={submit} error={error} busy={busy} submitLabel={t('signup.submit')}>
        <Field label={t('signup.tenantName')} name="tenant_name" value={values.tenant_name} onChange={set('tenant_name')} autoComplete="organization" required error={errors.tenant_name} />
        <Field
          label={t('signup.tenantDomain')}
          name="tenant_domain"
          value={values.tenant_domain}
          onChange={set('tenant_domain')}
          required
          help={t('signup.tenantDomainHelp')}
          error={errors.tenant_domain}
        />
        <EmailField value={values.email} onChange={set('email')} autoComplete="email" error={errors.email} />
        <NewUsernameField value={values.username} onChange={set('username')} error={errors.username} />
        <NewPasswordField name="password" value={values.password} onChange={set('password')} error={errors.password} />
      </AuthForm>
      <p>
        {t('signup.haveAccount')} <Link to="/login">{t('signup.toLogin')}</Link>
      </p>
    </AuthLayout>
  );
}
