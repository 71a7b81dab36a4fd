import type { Provider } from '../../db/schema.js';
import { AppError } from '../../http/errors.js';
import type { SecretBox } from '../../lib/secret-box.js';
import type { ActiveKeys } from '../api-keys/active-keys.js';
import type { ProviderKeyRow } from '../api-keys/api-keys.repo.js';
import type { ChatModel } from '../llm/chat-model.js';
import { EXTRACTIVE_MODEL } from './extractive.js';

/** What it takes to talk to a tenant's model; the factory adds timeouts and retries from config. */
export interface ModelCredentials {
  provider: Provider;
  model: string;
  apiKey: string;
  baseUrl: string | null;
}

export interface ChatModelsDeps {
  /** The tenant's active keys, newest first (cached: ../api-keys/active-keys.ts). */
  keys: Pick<ActiveKeys, 'listActive'>;
  box: SecretBox;
  createModel(credentials: ModelCredentials): ChatModel;
}

/**
 * Which model answers: the one asked for, else the tenant's `llm_model` setting, else the newest
 * key's model — each only when an active provider key offers it. A tenant without keys answers
 * extractively (null). Several keys for one model: the newest wins.
 */
export function createChatModels(deps: ChatModelsDeps) {
  // One model per key row, while the key list that holds it is cached: decrypting the key and
  // building an SDK client cost more than the rest of choosing the model. A changed or deleted key
  // comes with a new list (new rows), so nothing outlives it.
  const built = new WeakMap<ProviderKeyRow, ChatModel>();
  return {
    async resolve(tenantId: string, requested: string | undefined, settingsModel: string): Promise<ChatModel | null> {
      const keys = await deps.keys.listActive(tenantId);
      if (requested === EXTRACTIVE_MODEL) return null;
      const byModel = (name: string) => keys.find((k) => k.model === name);
      const key = requested !== undefined ? byModel(requested) : (byModel(settingsModel) ?? keys[0]);
      if (requested !== undefined && !key) {
        const models = [...new Set([...keys.map((k) => k.model), EXTRACTIVE_MODEL])];
        const list = models.join(', ');
        throw new AppError(
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
      }
      if (!key) return null;
      const held = built.get(key);
      if (held) return held;
      let apiKey: string;
      try {
        apiKey = deps.box.open(key.keySealed);
      } catch {
        throw new AppError('LLM_PROVIDER_ERROR', { ja: `保存されている ${key.model} の API キーを復号できません（ENCRYPTION_KEY が変わりましたか？）。キーを登録し直してください。`, en: `The stored API key for ${key.model} cannot be decrypted (was ENCRYPTION_KEY changed?): add the key again` });
      }
      const model = deps.createModel({ provider: key.provider, model: key.model, apiKey, baseUrl: key.baseUrl });
      built.set(key, model);
      return model;
    },
  };
}

export type ChatModels = ReturnType<typeof createChatModels>;
