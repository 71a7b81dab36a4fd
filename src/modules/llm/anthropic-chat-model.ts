import type Anthropic from '@anthropic-ai/sdk';
import type { ChatModel } from './chat-model.js';
import type { ChatModelOptions } from './create-chat-model.js';
import { describeEndpoint, type ProviderCallContext } from './provider-errors.js';
import { providerEvents, toLlmProviderError } from './provider-stream.js';
import { ANTHROPIC_BASE_URL, createAnthropicSdk } from './sdk-clients.js';

/**
 * `anthropic` through the official SDK's Messages API, streamed; usage from message_start /
 * message_delta.
 *
 * `request.temperature` is not sent: the SDK (1.x) speaks API version 2026-10-21, which has no
 * sampling parameters and answers 400 ("temperature: Extra inputs are not permitted") to any
 * temperature, even 1.0 — and the current models refuse non-default values on older versions
 * too. Anthropic models answer with their own sampling; the tenant's temperature applies to the
 * OpenAI-protocol providers only.
 */
export function createAnthropicChatModel(options: ChatModelOptions): ChatModel {
  const sdk = createAnthropicSdk(options);
  const context = callContext(options);
  return {
    provider: options.provider,
    model: options.model,
    async *stream(request) {
      const params: Anthropic.MessageCreateParamsStreaming = {
        model: options.model,
        ...(request.system ? { system: request.system } : {}),
        messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
        max_tokens: request.maxTokens,
        stream: true,
      };
      let text = '';
      let tokensIn = 0;
      let tokensOut = 0;
      let finishReason: string | null = null;
      for await (const event of providerEvents(context, request.signal, (signal) => sdk.messages.create(params, { signal }))) {
        if (event.type === 'message_start') {
          const usage = event.message.usage;
          // Prompt-cache reads and writes are input too.
          tokensIn = (usage.input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0);
          tokensOut = usage.output_tokens ?? 0;
        } else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta' && event.delta.text) {
          text += event.delta.text;
          yield event.delta.text;
        } else if (event.type === 'message_delta') {
          finishReason = event.delta.stop_reason ?? finishReason;
          // Cumulative counts: the last message_delta has the totals.
          tokensOut = event.usage.output_tokens ?? tokensOut;
        }
      }
      return { text, usage: { tokensIn, tokensOut, estimated: false }, finishReason };
    },
  };
}

/** Looks the model up (free): checks the key and that the model (or alias) exists. */
export async function verifyAnthropicKey(options: ChatModelOptions, signal?: AbortSignal): Promise<void> {
  try {
    await createAnthropicSdk(options).models.retrieve(options.model, {}, { signal });
  } catch (error) {
    throw toLlmProviderError(error, callContext(options), signal);
  }
}

function callContext(options: ChatModelOptions): ProviderCallContext {
  return { apiKey: options.apiKey, where: describeEndpoint('LLM', options.baseUrl ?? ANTHROPIC_BASE_URL), timeoutMs: options.timeoutMs };
}
