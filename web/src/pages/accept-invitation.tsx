import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { acceptInvitationBodySchema, type invitationPreviewSchema } from '../../../src/modules/team/team.schemas.js';
import { api } from '../api/client.js';
import { useLoad } from '../api/use-api.js';
import { AuthForm, NewPasswordField, NewUsernameField } from '../components/account-fields.js';
import { StatusMessage } from '../components/feedback.js';
import { useSubmit } from '../components/form.js';
import { useI18n } from '../i18n/i18n.js';
import { Link, useRouter } from '../router.js';
import { AuthLayout } from './auth-layout.js';

type Preview = z.infer<typeof invitationPreviewSchema>;

/** /invite#token=… (the API's invite_url) or /accept?token=…: shows whom the invitation is for, then sets username and password. */
export function AcceptInvitationPage() {
  const { t } = useI18n();
  const { query } = useRouter();
  const token = query.get('token') ?? new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
  const loaded = useLoad(token ? ['invitation-preview', token] : null, (signal) => api<Preview>('/api/v1/invitations/preview', { method: 'POST', body: { token }, anonymous: true, signal }));
  // undefined: still looking; null: no token, or not a valid invitation.
  const preview = !token || loaded.error ? null : loaded.data;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const { errors, error, busy, submit: send } = useSubmit(acceptInvitationBodySchema, async (body) => {
    await api('/api/v1/invitations/accept', { method: 'POST', body, anonymous: true });
    setDone(true);
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    await send({ token, username, password });
  }

  if (preview === undefined) {
    return (
      <AuthLayout title={t('app.name')}>
        <p role="status">{t('accept.loading')}</p>
      </AuthLayout>
    );
  }
  if (preview === null) {
    return (
      <AuthLayout title={t('app.name')}>
        <p role="alert">{token ? t('accept.invalid') : t('accept.missing')}</p>
        <Link to="/login">{t('signup.toLogin')}</Link>
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title={t('accept.title', { tenant: preview.tenant_name })}>
      {done ? (
        <>
          <StatusMessage>{t('accept.done', { email: preview.email })}</StatusMessage>
          <Link to={`/login?email=${encodeURIComponent(preview.email)}`}>{t('login.submit')}</Link>
        </>
      ) : (
        <AuthForm onSubmit={submit} error={error} busy={busy} submitLabel={t('accept.submit')}>
          <p>{t('accept.intro', { email: preview.email, role: preview.role })}</p>
          <NewUsernameField value={username} onChange={(e) => setUsername(e.target.value)} error={errors.username} />
          <NewPasswordField name="password" value={password} onChange={(e) => setPassword(e.target.value)} error={errors.password} />
        </AuthForm>
      )}
    </AuthLayout>
  );
}
