import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { completedAsJson, startChatProviderFake, type ChatProviderFake } from './fake-chat-provider.js';
import { fakeTokenCount, planAnswer, sendJson, sse, streamAnswer, type FakeChatControls, type FakeChatRecord } from './fake-server.js';

/**
 * A local stand-in for a paid OpenAI-protocol API, so tests exercise the real SDK (auth header,
 * retries, timeouts, streaming) without the network:
 * - `POST /v1/embeddings`: vectors are a hashed bag of words (Intl.Segmenter words, so Japanese
 *   works too), normalised: texts sharing words point the same way, so "similar text → similar
 *   vector" holds. Length per model: a trailing number (`fake-embed-384` → 384), `*-large` → 3072,
 *   else 1536.
 * - `POST /v1/chat/completions`: JSON, or `stream: true` SSE chunks in OpenAI's format (a role
 *   chunk, content chunks, a finish chunk, the usage chunk when `stream_options.include_usage`,
 *   `data: [DONE]`). The answer is scripted by `reply`; tokens are counted by `fakeTokenCount`.
 * - `GET /v1/models/{id}`: the model object, or 404 for a `rejectModel` model.
 */
export interface FakeEmbeddingRequest {
  model: string;
  input: string[];
  authorization: string | undefined;
  encodingFormat: string | undefined;
  status: number;
}

export interface FakeOpenAIChatRequest extends FakeChatRecord {
  /** As sent: the system prompt is the first message with role `system`. */
  messages: Array<{ role: string; content: unknown }>;
  /** Which field carried `maxTokens` (OpenAI's own models want `max_completion_tokens`). */
  maxTokensParam: 'max_tokens' | 'max_completion_tokens' | undefined;
  includeUsage: boolean;
  authorization: string | undefined;
}

export interface FakeModelLookup {
  model: string;
  authorization: string | undefined;
  status: number;
}

/**
 * `failNext`, `rejectKey` (401 with OpenAI's message, which echoes part of the key) and `delayMs`
 * (before the headers) apply to every route; the other controls to chat. `reset()` between tests.
 */
export interface FakeOpenAI extends FakeChatControls<FakeOpenAIChatRequest> {
  /** API root to use as a key's base_url, e.g. http://127.0.0.1:41234/v1 */
  baseUrl: string;
  /** Embedding requests. */
  requests: FakeEmbeddingRequest[];
  chatRequests: FakeOpenAIChatRequest[];
  modelLookups: FakeModelLookup[];
  /** Behave like the compatible servers that ignore `stream_options.include_usage`: no usage anywhere. */
  omitUsage: boolean;
  reset(): void;
  close(): Promise<void>;
}

export function dimsForModel(model: string): number {
  const trailing = /-(\d+)$/.exec(model);
  if (trailing) return Number(trailing[1]);
  return model.endsWith('-large') ? 3072 : 1536;
}

const segmenter = new Intl.Segmenter('ja', { granularity: 'word' });

/** The fake's vector for `text`: deterministic, unit length. Exported so tests can build queries. */
export function fakeEmbedding(text: string, dims: number): number[] {
  const vector = new Array<number>(dims).fill(0);
  for (const { segment, isWordLike } of segmenter.segment(text.toLowerCase())) {
    if (!isWordLike) continue;
    const hash = createHash('sha256').update(segment).digest();
    vector[hash.readUInt32LE(0) % dims]! += hash[4]! & 1 ? 1 : -1;
  }
  const norm = Math.hypot(...vector);
  // A text without words still needs a direction: cosine distance to a zero vector is undefined.
  if (norm === 0) vector[dims - 1] = 1;
  return vector.map((v) => v / (norm || 1));
}

/** Text of an OpenAI message content: a string or an array of `{type: 'text', text}` parts. */
export function openAIContentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part: { text?: unknown }) => (typeof part?.text === 'string' ? part.text : '')).join('');
}

const defaultReply = (request: FakeOpenAIChatRequest) => `You said: ${openAIContentText(request.messages.at(-1)?.content)}`;

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const requests: FakeEmbeddingRequest[] = [];
  const error = (message: string, type: string, code: string | null = null, param: string | null = null) => ({ error: { message, type, param, code } });

  // failNext, rejectKey and delayMs apply to every route; a rejected model to chat and the lookup.
  const provider: ChatProviderFake<FakeOpenAIChatRequest, FakeModelLookup> = await startChatProviderFake<FakeOpenAIChatRequest, FakeModelLookup>({
    defaultReply,
    // retry-after-ms keeps the SDK's backoff short in tests.
    sendFailure: (res, status) => sendJson(res, status, error('The server had an error while processing your request.', 'server_error'), { 'retry-after-ms': '10' }),
    check(req, res, model, refusedBy) {
      const key = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
      if (refusedBy.keys.has(key)) {
        const masked = `${key.slice(0, 8)}***${key.slice(-4)}`;
        const message = `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys. (got ${key})`;
        sendJson(res, 401, error(message, 'invalid_request_error', 'invalid_api_key'));
        return 401;
      }
      if (model !== undefined && refusedBy.models.has(model)) {
        sendJson(res, 404, error(`The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found'));
        return 404;
      }
      return undefined;
    },
    routes: {
      'POST /v1/embeddings': (req, res, gone, body) => embeddings(req, res, gone, body as Parameters<typeof embeddings>[3]),
      'POST /v1/chat/completions': chat,
    },
    modelObject: (model) => ({ id: model, object: 'model', created: 1_700_000_000, owned_by: 'fake' }),
    lookupRecord: (req) => ({ authorization: req.headers.authorization }),
    notFound: (res, req) => sendJson(res, 404, { error: { message: `no route ${req.url}` } }),
  });
  const { controls, chatRequests } = provider;

  async function embeddings(req: IncomingMessage, res: ServerResponse, gone: AbortSignal, body: { model: string; input: string | string[]; encoding_format?: string }) {
    const input = Array.isArray(body.input) ? body.input : [body.input];
    const record = (status: number) => requests.push({ model: body.model, input, authorization: req.headers.authorization, encodingFormat: body.encoding_format, status });
    const status = await provider.refused(req, res, gone, undefined);
    if (status !== undefined) return void record(status);
    record(200);
    const dims = dimsForModel(body.model);
    sendJson(res, 200, {
      object: 'list',
      model: body.model,
      data: input.map((text, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(text, dims) })),
      ...(fake.omitUsage ? {} : { usage: { prompt_tokens: input.length, total_tokens: input.length } }),
    });
  }

  async function chat(req: IncomingMessage, res: ServerResponse, gone: AbortSignal, body: Record<string, unknown>): Promise<void> {
    const maxTokensParam = body.max_completion_tokens !== undefined ? 'max_completion_tokens' : body.max_tokens !== undefined ? 'max_tokens' : undefined;
    const begun = await provider.beginChat(req, res, gone, {
      model: String(body.model),
      messages: Array.isArray(body.messages) ? (body.messages as FakeOpenAIChatRequest['messages']) : [],
      temperature: body.temperature as number | undefined,
      maxTokens: maxTokensParam ? (body[maxTokensParam] as number) : undefined,
      maxTokensParam,
      stream: body.stream === true,
      includeUsage: (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true,
      authorization: req.headers.authorization,
    });
    if (!begun) return;
    const { record, timing } = begun;
    if (record.messages.length === 0 || (record.temperature !== undefined && !(record.temperature >= 0 && record.temperature <= 2))) {
      begun.reject(400);
      return sendJson(res, 400, error('Invalid request: messages must not be empty and temperature must be within [0, 2].', 'invalid_request_error'));
    }

    const answer = planAnswer(controls.reply(record), controls.chunkChars, record.maxTokens);
    const finishReason = answer.truncated ? 'length' : 'stop';
    const promptTokens = fakeTokenCount(record.messages.map((m) => openAIContentText(m.content)).join(''));
    const usage = { prompt_tokens: promptTokens, completion_tokens: fakeTokenCount(answer.text), total_tokens: promptTokens + fakeTokenCount(answer.text) };
    const id = `chatcmpl-fake${chatRequests.length}`;
    const created = Math.floor(Date.now() / 1000);
    if (!record.stream) {
      sendJson(res, 200, {
        id,
        object: 'chat.completion',
        created,
        model: record.model,
        choices: [{ index: 0, message: { role: 'assistant', content: answer.text, refusal: null }, logprobs: null, finish_reason: finishReason }],
        ...(fake.omitUsage ? {} : { usage }),
      });
      return completedAsJson(record);
    }
    // With include_usage every chunk carries `usage: null`, and one last chunk without choices carries the counts.
    const withUsage = record.includeUsage && !fake.omitUsage;
    const chunk = (choices: unknown[], extra: object = withUsage ? { usage: null } : {}) =>
      sse(null, { id, object: 'chat.completion.chunk', created, model: record.model, system_fingerprint: 'fp_fake', choices, ...extra });
    const choice = (delta: object, finish: string | null = null) => ({ index: 0, delta, logprobs: null, finish_reason: finish });
    await streamAnswer(res, gone, record, answer, timing, {
      before: () => [chunk([choice({ role: 'assistant', content: '', refusal: null })])],
      delta: (text) => chunk([choice({ content: text })]),
      after: () => [chunk([choice({}, finishReason)]), ...(withUsage ? [chunk([], { usage })] : []), 'data: [DONE]\n\n'],
    });
  }

  const fake: FakeOpenAI = Object.assign(controls, {
    baseUrl: `${provider.origin}/v1`,
    requests,
    chatRequests,
    modelLookups: provider.modelLookups,
    omitUsage: false,
    reset() {
      requests.length = 0;
      provider.reset();
      fake.omitUsage = false;
    },
    close: provider.close,
  });
  return fake;
}
