import { useState, type FormEvent } from 'react';
import { changePasswordBodySchema } from '../../../../src/modules/auth/auth.schemas.js';
import { api } from '../../api/client.js';
import { CurrentPasswordField, NewPasswordField } from '../../components/account-fields.js';
import { withoutFieldList } from '../../components/fields.js';
import { ErrorMessage, StatusMessage } from '../../components/feedback.js';
import { useSubmit } from '../../components/form.js';
import { useI18n } from '../../i18n/i18n.js';

const empty = { current_password: '', new_password: '' };

/** Change the password; the server logs out every other session, this one stays. */
export function PasswordForm() {
  const { t } = useI18n();
  const [values, setValues] = useState(empty);
  const [done, setDone] = useState(false);
  const { errors, error, busy, submit: send } = useSubmit(changePasswordBodySchema, (body) => api('/api/v1/auth/password', { method: 'POST', body }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setDone(false);
    if (await send(values)) {
      setValues(empty);
      setDone(true);
    }
  }

  return (
    <form className="card" onSubmit={submit} noValidate>
      <h2>{t('account.password')}</h2>
      <CurrentPasswordField
        label={t('account.currentPassword')}
        value={values.current_password}
        onChange={(e) => setValues((v) => ({ ...v, current_password: e.target.value }))}
        error={errors.current_password}
      />
      <NewPasswordField label={t('account.newPassword')} value={values.new_password} onChange={(e) => setValues((v) => ({ ...v, new_password: e.target.value }))} error={errors.new_password} />
      <ErrorMessage error={withoutFieldList(error)} />
      {done && <StatusMessage>{t('account.passwordChanged')}</StatusMessage>}
      <button type="submit" className="primary" disabled={busy}>
        {t('account.changePassword')}
      </button>
    </form>
  );
}
