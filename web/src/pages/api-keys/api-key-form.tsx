import { useState, type FormEvent } from 'react';
import { createApiKeyBodySchema } from '../../../../src/modules/api-keys/api-keys.schemas.js';
import { providers, type Provider } from '../../../../src/db/enums.js';
import { api } from '../../api/client.js';
import { ErrorMessage } from '../../components/feedback.js';
import { CheckboxField, SelectField, withoutFieldList } from '../../components/fields.js';
import { Field, useSubmit } from '../../components/form.js';
import { useI18n } from '../../i18n/i18n.js';
import type { ApiKey } from './api-keys-page.js';

const empty = { provider: 'openai' as Provider, model: '', api_key: '', base_url: '', verify: false };

/** Add a provider key; the base URL only for openai-compatible; optionally checked with the provider first. */
export function ApiKeyForm({ onAdded }: { onAdded(key: ApiKey): void }) {
  const { t } = useI18n();
  const [values, setValues] = useState(empty);
  const compatible = values.provider === 'openai-compatible';
  const set = (field: 'model' | 'api_key' | 'base_url') => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: e.target.value }));
  const { errors, error, busy, submit: send } = useSubmit(createApiKeyBodySchema, async (body) => onAdded(await api<ApiKey>('/api/v1/api-keys', { method: 'POST', body })));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const { base_url, ...rest } = values;
    // An empty base URL is a missing one (the schema then says it is required for openai-compatible).
    if (await send(compatible && base_url.trim() ? { ...rest, base_url: base_url.trim() } : rest)) setValues({ ...empty, provider: values.provider });
  }

  return (
    <form className="card" onSubmit={submit} noValidate>
      <h2>{t('apiKeys.add')}</h2>
      <SelectField
        label={t('apiKeys.provider')}
        value={values.provider}
        onChange={(e) => setValues((v) => ({ ...v, provider: e.target.value as Provider }))}
        options={providers.map((p) => ({ value: p, label: t(`apiKeys.provider.${p}`) }))}
        error={errors.provider}
      />
      <Field label={t('apiKeys.model')} value={values.model} onChange={set('model')} placeholder={compatible ? 'llama3.1' : values.provider === 'anthropic' ? 'claude-sonnet-4-5' : 'gpt-4o-mini'} required error={errors.model} />
      <Field label={t('apiKeys.key')} type="password" autoComplete="off" value={values.api_key} onChange={set('api_key')} required help={t('apiKeys.keyHelp')} error={errors.api_key} />
      {compatible && <Field label={t('apiKeys.baseUrl')} type="url" value={values.base_url} onChange={set('base_url')} placeholder="http://localhost:11434/v1" required help={t('apiKeys.baseUrlHelp')} error={errors.base_url} />}
      <CheckboxField label={t('apiKeys.verify')} help={t('apiKeys.verifyHelp')} checked={values.verify} onChange={(verify) => setValues((v) => ({ ...v, verify }))} />
      <ErrorMessage error={withoutFieldList(error)} />
      <button type="submit" className="primary" disabled={busy}>
        {busy && values.verify ? t('apiKeys.verifying') : t('apiKeys.submit')}
      </button>
    </form>
  );
}
