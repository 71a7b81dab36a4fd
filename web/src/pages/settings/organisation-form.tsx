import { useState, type FormEvent } from 'react';
import { BOT_INSTRUCTIONS_MAX_CHARS, updateTenantBodySchema, type UpdateTenantBody } from '../../../../src/modules/tenants/tenants.schemas.js';
import { api } from '../../api/client.js';
import { ErrorMessage, StatusMessage } from '../../components/feedback.js';
import { SelectField, TextAreaField, withoutFieldList } from '../../components/fields.js';
import { Field, useSubmit } from '../../components/form.js';
import { formatNumber } from '../../format.js';
import { useI18n } from '../../i18n/i18n.js';
import type { Said } from '../../i18n/said.js';
import type { Tenant } from '../widget/types.js';

const OTHER = '\u0000other';

interface Values {
  name: string;
  llm_model: string;
  embedding_model: string;
  chunk_size: string;
  chunk_overlap: string;
  bot_instructions: string;
}

function valuesOf(tenant: Tenant): Values {
  const s = tenant.settings;
  return { name: tenant.name, llm_model: s.llm_model, embedding_model: s.embedding_model, chunk_size: String(s.chunk_size), chunk_overlap: String(s.chunk_overlap), bot_instructions: s.bot_instructions ?? '' };
}

/** An empty number box is a missing value (the schema then keeps the stored one); anything else goes to Zod as typed. */
const numberOf = (v: string) => (v.trim() === '' ? undefined : Number(v));

/** Name, chat and embedding models, chunking, the chat's instructions. Only the fields that changed are sent (a new embedding model re-embeds everything). */
export function OrganisationForm({ tenant, keyModels, readOnly, onSaved }: { tenant: Tenant; keyModels: string[]; readOnly: boolean; onSaved(next: Tenant): void }) {
  const { t, language } = useI18n();
  const [values, setValues] = useState<Values>(() => valuesOf(tenant));
  const models = keyModels.includes(tenant.settings.llm_model) ? keyModels : [tenant.settings.llm_model, ...keyModels];
  const [otherModel, setOtherModel] = useState(false);
  const [status, setStatus] = useState<Said>();
  const { errors, error, busy, submit: send, setErrors } = useSubmit(updateTenantBodySchema, async (body: UpdateTenantBody) => {
    const next = await api<Tenant>(`/api/v1/tenants/${tenant.id}`, { method: 'PATCH', body });
    onSaved(next);
    setValues(valuesOf(next));
    setOtherModel(false);
    setStatus([body.embedding_model ? 'org.savedReembedding' : 'org.saved']);
  });
  const set = (field: keyof Values) => (e: { target: { value: string } }) => setValues((v) => ({ ...v, [field]: e.target.value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    setStatus(undefined);
    const stored = tenant.settings;
    const candidate: Record<string, unknown> = {
      name: values.name,
      llm_model: values.llm_model,
      embedding_model: values.embedding_model,
      chunk_size: numberOf(values.chunk_size),
      chunk_overlap: numberOf(values.chunk_overlap),
      // Emptied: no instructions (the API takes null for that, not an empty text).
      bot_instructions: values.bot_instructions.trim() || null,
    };
    const current: Record<string, unknown> = {
      name: tenant.name,
      llm_model: stored.llm_model,
      embedding_model: stored.embedding_model,
      chunk_size: stored.chunk_size,
      chunk_overlap: stored.chunk_overlap,
      bot_instructions: stored.bot_instructions,
    };
    const changed = Object.fromEntries(Object.entries(candidate).filter(([k, v]) => v !== undefined && (typeof v === 'string' ? v.trim() : v) !== current[k]));
    if (Object.keys(changed).length === 0) {
      setErrors({});
      return setStatus(['org.unchanged']);
    }
    await send(changed);
  }

  const choice = otherModel || !models.includes(values.llm_model) ? OTHER : values.llm_model;
  return (
    <form className="card" onSubmit={submit} noValidate>
      <h2>{t('org.general')}</h2>
      <fieldset disabled={readOnly}>
        <Field label={t('org.name')} value={values.name} onChange={set('name')} required maxLength={200} error={errors.name} />
        <SelectField
          label={t('org.llmModel')}
          className="model-select"
          value={choice}
          onChange={(e) => {
            const picked = e.target.value;
            setOtherModel(picked === OTHER);
            if (picked !== OTHER) setValues((v) => ({ ...v, llm_model: picked }));
          }}
          options={[...models.map((m) => ({ value: m, label: m })), { value: OTHER, label: t('org.llmModelOther') }]}
          help={t('org.llmModelHelp')}
          error={choice === OTHER ? undefined : errors.llm_model}
        />
        {choice === OTHER && <Field label={t('org.llmModelName')} value={values.llm_model} onChange={set('llm_model')} required maxLength={200} error={errors.llm_model} />}
        <Field label={t('org.embeddingModel')} value={values.embedding_model} onChange={set('embedding_model')} required maxLength={200} help={t('org.embeddingModelHelp')} error={errors.embedding_model} />
        <Field label={t('org.chunkSize')} type="number" inputMode="numeric" min={64} max={2048} step={1} value={values.chunk_size} onChange={set('chunk_size')} help={t('org.chunkSizeHelp')} error={errors.chunk_size} />
        <Field label={t('org.chunkOverlap')} type="number" inputMode="numeric" min={0} max={1024} step={1} value={values.chunk_overlap} onChange={set('chunk_overlap')} help={t('org.chunkOverlapHelp')} error={errors.chunk_overlap} />
        <TextAreaField
          label={t('org.botInstructions')}
          value={values.bot_instructions}
          onChange={set('bot_instructions')}
          rows={5}
          maxLength={BOT_INSTRUCTIONS_MAX_CHARS}
          help={
            <>
              {t('org.botInstructionsHelp')}
              <span className="char-count" data-testid="bot-instructions-count">
                {t('org.characterCount', { count: formatNumber(values.bot_instructions.length, language), max: formatNumber(BOT_INSTRUCTIONS_MAX_CHARS, language) })}
              </span>
            </>
          }
          error={errors.bot_instructions}
        />
        <ErrorMessage error={withoutFieldList(error)} />
        {status && <StatusMessage>{t(...status)}</StatusMessage>}
        {!readOnly && (
          <button type="submit" className="primary" disabled={busy}>
            {t('org.save')}
          </button>
        )}
      </fieldset>
    </form>
  );
}
