import { useState, type FormEvent } from 'react';
import { updateTenantBodySchema } from '../../../../src/modules/tenants/tenants.schemas.js';
import { api } from '../../api/client.js';
import { ErrorMessage, StatusMessage } from '../../components/feedback.js';
import { Field, fieldErrorsOf, validate, type FieldErrors } from '../../components/form.js';
import { useI18n } from '../../i18n/i18n.js';
import type { Tenant } from './types.js';

/** The sites whose pages may use the key: a list to add to and remove from, saved as a whole. */
export function OriginsForm({ tenant, readOnly, onSaved }: { tenant: Tenant; readOnly: boolean; onSaved(next: Tenant): void }) {
  const { t } = useI18n();
  const [origins, setOrigins] = useState<string[]>(tenant.settings.allowed_origins);
  const [draft, setDraft] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);

  function add() {
    const parsed = validate(updateTenantBodySchema, { allowed_origins: [draft] });
    if (!parsed.ok) return setErrors({ draft: Object.values(parsed.errors)[0]! });
    const origin = parsed.data.allowed_origins![0]!;
    setErrors({});
    setOrigins((list) => (list.includes(origin) ? list : [...list, origin]));
    setDraft('');
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    setError(undefined);
    try {
      const next = await api<Tenant>(`/api/v1/tenants/${tenant.id}`, { method: 'PATCH', body: { allowed_origins: origins } });
      setOrigins(next.settings.allowed_origins);
      onSaved(next);
      setSaved(true);
    } catch (caught) {
      setErrors(fieldErrorsOf(caught));
      setError(caught);
    }
  }

  return (
    <form className="card" onSubmit={submit} noValidate>
      <h2>{t('widget.origins')}</h2>
      <p className={origins.length === 0 ? 'notice' : 'muted'}>{origins.length === 0 ? t('widget.originsEmpty') : t('widget.originsSome')}</p>
      <p className="muted">{t('widget.originsPreviewNote')}</p>
      <ul className="plain-list" aria-label={t('widget.origins')}>
        {origins.map((origin) => (
          <li key={origin}>
            <code>{origin}</code>
            {!readOnly && (
              <button type="button" className="small" aria-label={t('widget.removeOrigin', { origin })} onClick={() => setOrigins((list) => list.filter((o) => o !== origin))}>
                {t('settings.remove')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {!readOnly && (
        <>
          <div className="inline-add">
            <Field
              label={t('widget.addOrigin')}
              value={draft}
              placeholder="https://www.example.co.jp"
              onChange={(e) => setDraft(e.target.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  add();
                }
              }}
              error={errors.draft}
            />
            <button type="button" onClick={add}>
              {t('settings.add')}
            </button>
          </div>
          <ErrorMessage error={error} />
          {saved && <StatusMessage>{t('widget.originsSaved')}</StatusMessage>}
          <button type="submit" className="primary">
            {t('widget.saveOrigins')}
          </button>
        </>
      )}
    </form>
  );
}
