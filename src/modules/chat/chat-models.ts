import { AppError } from '../../http/errors.js';
import { UnreadableKeyError, type ProviderCredentials, type ProviderCredentialsService } from '../api-keys/provider-credentials.js';
import type { ChatModel } from '../llm/chat-model.js';
import { createChatModel, type ChatModelOptions } from '../llm/create-chat-model.js';
import { EXTRACTIVE_MODEL } from './extractive.js';

export interface ChatModelsDeps {
  /** The tenant's keys, opened (../api-keys/provider-credentials.ts). */
  credentials: Pick<ProviderCredentialsService, 'credentialsFor' | 'chatModels'>;
  /** LLM_TIMEOUT_SECONDS and LLM_MAX_RETRIES. */
  llm: Pick<ChatModelOptions, 'timeoutMs' | 'maxRetries'>;
}

const unavailable = (requested: string, models: string[]) => {
  const list = models.join(', ');
  return new AppError(
    'VALIDATION_ERROR',
    { ja: `モデル「${requested}」はこの組織では使えません。使えるモデル: ${list}`, en: `Model "${requested}" is not available to this tenant. Available: ${list}` },
    {
      errors: [
        {
          field: 'model',
          message: {
            ja: `次のいずれかにしてください: ${list}（ほかのモデルはダッシュボードの「API キー」ページでプロバイダーのキーを追加すると使えます）`,
            en: `must be one of: ${list} (add a provider key on the dashboard's API keys page for other models)`,
          },
        },
      ],
    },
  );
};

/**
 * Which model answers: the one asked for, else the tenant's `llm_model` setting, else the newest
 * key's model — each only when an active provider key offers it. A tenant without keys answers
 * extractively (null). Several keys for one model: the newest wins.
 */
export function createChatModels(deps: ChatModelsDeps) {
  // One model per opened key, which lives as long as the cached key list that holds it: building
  // an SDK client costs more than the rest of choosing the model.
  const built = new WeakMap<ProviderCredentials, ChatModel>();

  async function credentialsFor(tenantId: string, requested: string | undefined, settingsModel: string) {
    const chat = (model?: string) => deps.credentials.credentialsFor(tenantId, 'chat', { model });
    try {
      if (requested !== undefined) return await chat(requested);
      return (await chat(settingsModel)) ?? (await chat());
    } catch (error) {
      if (!(error instanceof UnreadableKeyError)) throw error;
      throw new AppError('LLM_PROVIDER_ERROR', {
        ja: `保存されている ${error.model} の API キーを復号できません（ENCRYPTION_KEY が変わりましたか？）。キーを登録し直してください。`,
        en: error.message,
      });
    }
  }

  return {
    async resolve(tenantId: string, requested: string | undefined, settingsModel: string): Promise<ChatModel | null> {
      if (requested === EXTRACTIVE_MODEL) return null;
      const credentials = await credentialsFor(tenantId, requested, settingsModel);
      if (requested !== undefined && !credentials) throw unavailable(requested, [...new Set([...(await deps.credentials.chatModels(tenantId)), EXTRACTIVE_MODEL])]);
      if (!credentials) return null;
      let model = built.get(credentials);
      if (!model) {
        model = createChatModel({ ...credentials, ...deps.llm });
        built.set(credentials, model);
      }
      return model;
    },
  };
}

export type ChatModels = ReturnType<typeof createChatModels>;
