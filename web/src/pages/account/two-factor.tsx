import { useState, type FormEvent } from 'react';
import type { z } from 'zod';
import { disableBodySchema, enableBodySchema, type setupResponseSchema } from '../../../../src/modules/two-factor/two-factor.schemas.js';
import { api } from '../../api/client.js';
import { useApi } from '../../api/use-api.js';
import { useSession } from '../../auth/session.js';
import { CurrentPasswordField, OneTimeCodeField } from '../../components/account-fields.js';
import { withoutFieldList } from '../../components/fields.js';
import { ErrorMessage, StatusMessage } from '../../components/feedback.js';
import { fieldErrorsOf, validate, type FieldErrors } from '../../components/form.js';
import { useI18n } from '../../i18n/i18n.js';
import { RecoveryCodes } from './recovery-codes.js';

type Setup = z.infer<typeof setupResponseSchema>;
interface Status {
  enabled: boolean;
  recovery_codes_remaining: number;
}
type Step = { kind: 'idle' } | { kind: 'setup'; setup: Setup } | { kind: 'codes'; codes: string[] } | { kind: 'disable' } | { kind: 'regenerate' };

/** 2FA: enable (QR + secret → a code → recovery codes once), disable (password + code), new recovery codes. */
export function TwoFactorSection() {
  const { t } = useI18n();
  const { reload } = useSession();
  const status = useApi<Status>('/api/v1/auth/2fa');
  const [step, setStep] = useState<Step>({ kind: 'idle' });
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>();
  const [message, setMessage] = useState('');

  const go = (next: Step) => {
    setStep(next);
    setCode('');
    setPassword('');
    setErrors({});
    setError(undefined);
  };

  async function run(action: () => Promise<void>) {
    setError(undefined);
    setMessage('');
    try {
      await action();
    } catch (caught) {
      setErrors(fieldErrorsOf(caught));
      setError(caught);
    }
  }

  const start = () => run(async () => go({ kind: 'setup', setup: await api<Setup>('/api/v1/auth/2fa/setup', { method: 'POST' }) }));

  function submitCode(path: string, after: (codes: string[]) => void) {
    return (event: FormEvent) => {
      event.preventDefault();
      const parsed = validate(enableBodySchema, { code });
      if (!parsed.ok) return setErrors(parsed.errors);
      void run(async () => {
        const { recovery_codes } = await api<{ recovery_codes: string[] }>(path, { method: 'POST', body: parsed.data });
        after(recovery_codes);
      });
    };
  }

  function submitDisable(event: FormEvent) {
    event.preventDefault();
    const parsed = validate(disableBodySchema, { password, code });
    if (!parsed.ok) return setErrors(parsed.errors);
    void run(async () => {
      await api('/api/v1/auth/2fa/disable', { method: 'POST', body: parsed.data });
      go({ kind: 'idle' });
      setMessage(t('account.twoFactorDisabled'));
      await Promise.all([status.reload(), reload()]);
    });
  }

  const codeField = <OneTimeCodeField name="code" value={code} onChange={(e) => setCode(e.target.value)} autoFocus error={errors.code} />;
  const cancel = (
    <button type="button" onClick={() => go({ kind: 'idle' })}>
      {t('common.cancel')}
    </button>
  );
  const enabled = status.data?.enabled ?? false;

  return (
    <div className="card">
      <h2>{t('account.twoFactor')}</h2>
      <ErrorMessage error={status.error} onRetry={() => void status.reload()} />
      {status.data && step.kind === 'idle' && (
        <>
          <p data-testid="two-factor-state">{enabled ? t('account.twoFactorOn', { n: status.data.recovery_codes_remaining }) : t('account.twoFactorOff')}</p>
          {message && <StatusMessage>{message}</StatusMessage>}
          <div className="actions start">
            {!enabled && (
              <button type="button" className="primary" onClick={() => void start()}>
                {t('account.enable')}
              </button>
            )}
            {enabled && (
              <>
                <button type="button" onClick={() => go({ kind: 'regenerate' })}>
                  {t('account.regenerate')}
                </button>
                <button type="button" className="danger" onClick={() => go({ kind: 'disable' })}>
                  {t('account.disable')}
                </button>
              </>
            )}
          </div>
        </>
      )}
      {step.kind === 'setup' && (
        <form onSubmit={submitCode('/api/v1/auth/2fa/enable', (codes) => go({ kind: 'codes', codes }))} noValidate>
          <p>{t('account.scan')}</p>
          <img className="qr" src={step.setup.qr_url} alt={t('account.qrAlt')} width={200} height={200} />
          <p>
            {t('account.secret')} <code data-testid="totp-secret">{step.setup.secret_key}</code>
          </p>
          {codeField}
          <ErrorMessage error={withoutFieldList(error)} />
          <div className="actions start">
            <button type="submit" className="primary">
              {t('account.confirmEnable')}
            </button>
            {cancel}
          </div>
        </form>
      )}
      {step.kind === 'codes' && (
        <RecoveryCodes
          codes={step.codes}
          onDone={() => {
            go({ kind: 'idle' });
            void status.reload();
            void reload();
          }}
        />
      )}
      {step.kind === 'regenerate' && (
        <form onSubmit={submitCode('/api/v1/auth/2fa/recovery-codes', (codes) => go({ kind: 'codes', codes }))} noValidate>
          <p>{t('account.regenerateHelp')}</p>
          {codeField}
          <ErrorMessage error={withoutFieldList(error)} />
          <div className="actions start">
            <button type="submit" className="primary">
              {t('account.regenerate')}
            </button>
            {cancel}
          </div>
        </form>
      )}
      {step.kind === 'disable' && (
        <form onSubmit={submitDisable} noValidate>
          <p>{t('account.disableHelp')}</p>
          <CurrentPasswordField value={password} onChange={(e) => setPassword(e.target.value)} autoFocus error={errors.password} />
          <OneTimeCodeField name="code" value={code} onChange={(e) => setCode(e.target.value)} error={errors.code} />
          <ErrorMessage error={withoutFieldList(error)} />
          <div className="actions start">
            <button type="submit" className="danger">
              {t('account.disable')}
            </button>
            {cancel}
          </div>
        </form>
      )}
    </div>
  );
}
