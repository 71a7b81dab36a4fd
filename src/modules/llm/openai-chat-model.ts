import type OpenAI from 'openai';
import type { ChatModel } from './chat-model.js';
import type { ChatModelOptions } from './create-chat-model.js';
import { describeEndpoint, type ProviderCallContext } from './provider-errors.js';
import { estimateUsage, providerEvents, toLlmProviderError } from './provider-stream.js';
import { createOpenAISdk, OPENAI_BASE_URL } from './sdk-clients.js';

type ChatParams = OpenAI.Chat.ChatCompletionCreateParamsStreaming;

/**
 * `openai` and `openai-compatible` (Ollama, vLLM, LM Studio, OpenRouter…) through the official
 * SDK's `/chat/completions`, streamed. Usage comes from the final chunk that
 * `stream_options.include_usage` asks for; servers that ignore it get an estimate.
 */
export function createOpenAIChatModel(options: ChatModelOptions): ChatModel {
  const sdk = createOpenAISdk(options);
  const context = callContext(options);
  return {
    provider: options.provider,
    model: options.model,
    async *stream(request) {
      const params: ChatParams = {
        model: options.model,
        messages: [...(request.system ? [{ role: 'system' as const, content: request.system }] : []), ...request.messages],
        temperature: request.temperature,
        // OpenAI's own reasoning models refuse `max_tokens`; compatible servers often only know it.
        ...(options.provider === 'openai' ? { max_completion_tokens: request.maxTokens } : { max_tokens: request.maxTokens }),
        stream: true,
        stream_options: { include_usage: true },
      };
      let text = '';
      let usage: OpenAI.CompletionUsage | undefined;
      let finishReason: string | null = null;
      for await (const chunk of providerEvents(context, request.signal, (signal) => sdk.chat.completions.create(params, { signal }))) {
        if (chunk.usage) usage = chunk.usage;
        const choice = chunk.choices?.[0];
        if (choice?.finish_reason) finishReason = choice.finish_reason;
        const delta = choice?.delta?.content;
        if (delta) {
          text += delta;
          yield delta;
        }
      }
      return {
        text,
        usage: usage ? { tokensIn: usage.prompt_tokens, tokensOut: usage.completion_tokens, estimated: false } : estimateUsage(request, text),
        finishReason,
      };
    },
  };
}

/**
 * OpenAI: looks the model up (free). Compatible servers: a one-token completion, because many
 * (vLLM, llama.cpp…) serve no `GET /models/{id}`, and the chat endpoint is the one we will use.
 */
export async function verifyOpenAIKey(options: ChatModelOptions, signal?: AbortSignal): Promise<void> {
  const sdk = createOpenAISdk(options);
  try {
    if (options.provider === 'openai') await sdk.models.retrieve(options.model, { signal });
    else await sdk.chat.completions.create({ model: options.model, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 }, { signal });
  } catch (error) {
    throw toLlmProviderError(error, callContext(options), signal);
  }
}

function callContext(options: ChatModelOptions): ProviderCallContext {
  return { apiKey: options.apiKey, where: describeEndpoint('LLM', options.baseUrl ?? OPENAI_BASE_URL), timeoutMs: options.timeoutMs };
}
