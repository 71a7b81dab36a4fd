import type { IncomingMessage, ServerResponse } from 'node:http';
import { completedAsJson, startChatProviderFake, type ChatProviderFake } from './fake-chat-provider.js';
import { fakeTokenCount, planAnswer, sendJson, sse, streamAnswer, type FakeChatControls, type FakeChatRecord } from './fake-server.js';

/**
 * A local stand-in for Anthropic's Messages API, for tests through the real SDK:
 * - `POST /v1/messages`: JSON, or `stream: true` SSE (message_start with the input tokens,
 *   content_block_start, ping, content_block_delta text_delta…, content_block_stop, message_delta
 *   with stop_reason and usage.output_tokens, message_stop). Requires `anthropic-version` and the
 *   key (`Authorization: Bearer`, as SDK 1.x sends it, or `x-api-key`, which wins when both are
 *   there), refuses sampling parameters (temperature, top_p, top_k) from version 2026-10-21 on
 *   like the real API, and answers errors as `{type: 'error', error: {type, message}}`.
 * - `GET /v1/models/{id}`: the model object, or 404 for a `rejectModel` model.
 * The answer is scripted by `reply`; tokens are counted by `fakeTokenCount`.
 */
export interface FakeAnthropicRequest extends FakeChatRecord {
  /** The `system` field as sent (a string, or text blocks). */
  system: unknown;
  messages: Array<{ role: string; content: unknown }>;
  /** From `x-api-key`, else from `Authorization: Bearer`. */
  apiKey: string | undefined;
  anthropicVersion: string | undefined;
}

export interface FakeAnthropicModelLookup {
  model: string;
  apiKey: string | undefined;
  status: number;
}

export interface FakeAnthropic extends FakeChatControls<FakeAnthropicRequest> {
  /** The SDK's baseURL (it appends /v1/…), e.g. http://127.0.0.1:41234 */
  baseUrl: string;
  chatRequests: FakeAnthropicRequest[];
  modelLookups: FakeAnthropicModelLookup[];
  reset(): void;
  close(): Promise<void>;
}

/** Text of an Anthropic content or system field: a string or an array of `{type: 'text', text}` blocks. */
export function anthropicContentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((block: { text?: unknown }) => (typeof block?.text === 'string' ? block.text : '')).join('');
}

/** The API version that dropped sampling parameters from the Messages API. */
const NO_SAMPLING_VERSION = '2026-10-21';

/** The key as the API reads it: `x-api-key` wins over `Authorization: Bearer`. */
const apiKeyOf = (req: IncomingMessage) => {
  const header = req.headers['x-api-key'];
  if (typeof header === 'string' && header) return header;
  return req.headers.authorization?.replace(/^Bearer /, '') || undefined;
};

const defaultReply = (request: FakeAnthropicRequest) => `You said: ${anthropicContentText(request.messages.at(-1)?.content)}`;

const errorTypes: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

export async function startFakeAnthropic(): Promise<FakeAnthropic> {
  const sendError = (res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) =>
    sendJson(res, status, { type: 'error', error: { type: errorTypes[status] ?? 'api_error', message } }, headers);

  const provider: ChatProviderFake<FakeAnthropicRequest, FakeAnthropicModelLookup> = await startChatProviderFake<FakeAnthropicRequest, FakeAnthropicModelLookup>({
    defaultReply,
    // retry-after-ms keeps the SDK's backoff short in tests.
    sendFailure: (res, status) => sendError(res, status, status === 529 ? 'Overloaded' : 'Internal server error', { 'retry-after-ms': '10' }),
    check(req, res, model, refusedBy) {
      if (!req.headers['anthropic-version']) {
        sendError(res, 400, 'anthropic-version: header is required');
        return 400;
      }
      const key = apiKeyOf(req);
      if (!key || refusedBy.keys.has(key)) {
        sendError(res, 401, 'invalid x-api-key');
        return 401;
      }
      if (model !== undefined && refusedBy.models.has(model)) {
        sendError(res, 404, `model: ${model}`);
        return 404;
      }
      return undefined;
    },
    routes: { 'POST /v1/messages': messages },
    modelObject: (model) => ({ type: 'model', id: model, display_name: model, created_at: '2025-01-01T00:00:00Z' }),
    lookupRecord: (req) => ({ apiKey: apiKeyOf(req) }),
    notFound: (res, req) => sendError(res, 404, `Not found: ${req.method} ${req.url}`),
  });
  const { controls, chatRequests } = provider;

  async function messages(req: IncomingMessage, res: ServerResponse, gone: AbortSignal, body: Record<string, unknown>): Promise<void> {
    const begun = await provider.beginChat(req, res, gone, {
      model: String(body.model),
      system: body.system,
      messages: Array.isArray(body.messages) ? (body.messages as FakeAnthropicRequest['messages']) : [],
      temperature: body.temperature as number | undefined,
      maxTokens: body.max_tokens as number | undefined,
      stream: body.stream === true,
      apiKey: apiKeyOf(req),
      anthropicVersion: req.headers['anthropic-version'] as string | undefined,
    });
    if (!begun) return;
    const { record, timing } = begun;
    const sampling = ['temperature', 'top_p', 'top_k'].find((name) => body[name] !== undefined);
    const invalid =
      record.maxTokens === undefined ? 'max_tokens: Field required'
      : record.messages.length === 0 ? 'messages: at least one message is required'
      : sampling && record.anthropicVersion! >= NO_SAMPLING_VERSION ? `${sampling}: Extra inputs are not permitted`
      : record.temperature !== undefined && !(record.temperature >= 0 && record.temperature <= 1) ? 'temperature: range: 0..1'
      : undefined;
    if (invalid) {
      begun.reject(400);
      return sendError(res, 400, invalid);
    }

    const answer = planAnswer(controls.reply(record), controls.chunkChars, record.maxTokens);
    const stopReason = answer.truncated ? 'max_tokens' : 'end_turn';
    const inputTokens = fakeTokenCount(anthropicContentText(record.system) + record.messages.map((m) => anthropicContentText(m.content)).join(''));
    const outputTokens = fakeTokenCount(answer.text);
    const message = { id: `msg_fake${chatRequests.length}`, type: 'message', role: 'assistant', model: record.model, stop_sequence: null };
    if (!record.stream) {
      sendJson(res, 200, { ...message, content: [{ type: 'text', text: answer.text }], stop_reason: stopReason, usage: { input_tokens: inputTokens, output_tokens: outputTokens } });
      return completedAsJson(record);
    }
    const event = (type: string, data: object) => sse(type, { type, ...data });
    await streamAnswer(res, gone, record, answer, timing, {
      before: () => [
        event('message_start', {
          message: { ...message, content: [], stop_reason: null, usage: { input_tokens: inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 } },
        }),
        event('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
        event('ping', {}),
      ],
      delta: (text) => event('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }),
      after: () => [
        event('content_block_stop', { index: 0 }),
        event('message_delta', { delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: outputTokens } }),
        event('message_stop', {}),
      ],
    });
  }

  return Object.assign(controls, {
    baseUrl: provider.origin,
    chatRequests,
    modelLookups: provider.modelLookups,
    reset: provider.reset,
    close: provider.close,
  });
}
