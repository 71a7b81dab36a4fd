import { after, before, beforeEach } from 'node:test';
import { startFakeAnthropic } from '../../../test/fake-anthropic.js';
import { startFakeOpenAI } from '../../../test/fake-openai.js';
import type { FakeChatControls, FakeChatRecord } from '../../../test/fake-server.js';
import type { ChatRequest } from '../chat-model.js';
import { createChatModel, type ChatModelOptions } from '../create-chat-model.js';

/** What the chat-model tests need of a provider fake (fake-anthropic.ts, fake-openai.ts). */
export interface ChatFake extends FakeChatControls<never> {
  baseUrl: string;
  chatRequests: FakeChatRecord[];
  modelLookups: Array<{ model: string; status: number }>;
  reset(): void;
  close(): Promise<void>;
}

/**
 * One provider as the chat-model tests drive it: its fake, the options of a working key, a
 * conversation in the provider's test language, and what the provider says where the two differ.
 */
export interface ChatProvider {
  name: string;
  start(): Promise<ChatFake>;
  options: Pick<ChatModelOptions, 'provider' | 'model' | 'apiKey'>;
  question: ChatRequest;
  /** Deltas a scripted answer streams in. */
  deltas: string[];
  finishReason: { complete: string; truncated: string };
  /** How the provider words a rejected key, after the host the error names. */
  rejectedKey: RegExp;
  /** A failure the SDK retries (Anthropic's 529 overloaded; a 500 for OpenAI). */
  retried: number;
  /** A failure that outlasts the retries, and how the error quotes it. */
  exhausted: { status: number; message: RegExp };
  unknownModel: { model: string; message: RegExp };
  /** The fake's record of a model lookup with the working key. */
  lookup: (model: string, apiKey: string) => Record<string, unknown>;
}

export const anthropic = {
  name: 'Anthropic',
  start: startFakeAnthropic,
  options: { provider: 'anthropic', model: 'claude-sonnet-4-6', apiKey: 'sk-ant-api03-0123456789abcdefghijKLMNOPqrstuv' },
  question: {
    system: '出典に基づいて答えてください。[1] 返品は30日以内に受け付けます。',
    messages: [
      { role: 'user', content: 'こんにちは' },
      { role: 'assistant', content: 'こんにちは！ご用件をどうぞ。' },
      { role: 'user', content: '返品の期限は？' },
    ],
    temperature: 0.3,
    maxTokens: 500,
  },
  deltas: ['返品は', '30日', '以内です', '[1]。'],
  finishReason: { complete: 'end_turn', truncated: 'max_tokens' },
  rejectedKey: /^The LLM provider \(127\.0\.0\.1:\d+\) rejected the API key \(401\): invalid x-api-key$/,
  retried: 529,
  exhausted: { status: 500, message: /answered 500: Internal server error/ },
  unknownModel: { model: 'claude-nope', message: /does not know this model.*model: claude-nope/ },
  lookup: (model: string, apiKey: string) => ({ model, apiKey, status: 200 }),
} satisfies ChatProvider;

export const openai = {
  name: 'OpenAI',
  start: startFakeOpenAI,
  options: { provider: 'openai', model: 'gpt-4o-mini', apiKey: 'sk-proj-0123456789abcdefghijKLMNOPqrst' },
  question: {
    system: 'Answer from the sources. [1] Returns are accepted within 30 days.',
    messages: [
      { role: 'user', content: 'Hello' },
      { role: 'assistant', content: 'Hi! How can I help?' },
      { role: 'user', content: 'How long do I have to return an item?' },
    ],
    temperature: 0.3,
    maxTokens: 500,
  },
  deltas: ['You have ', '30 days ', 'to return ', 'it [1].'],
  finishReason: { complete: 'stop', truncated: 'length' },
  rejectedKey: /^The LLM provider \(127\.0\.0\.1:\d+\/v1\) rejected the API key \(401\): Incorrect API key provided/,
  retried: 500,
  exhausted: { status: 503, message: /answered 503/ },
  unknownModel: { model: 'gpt-9', message: /does not know this model, or base_url is wrong \(404\): The model `gpt-9` does not exist/ },
  lookup: (model: string, apiKey: string) => ({ model, authorization: `Bearer ${apiKey}`, status: 200 }),
} satisfies ChatProvider;

/**
 * Starts the provider's fake for the enclosing file or describe (reset before each test) and
 * builds models on it: `options()` is a working key with a 5 s timeout and one retry.
 */
export function chatModelUnderTest<P extends ChatProvider>(provider: P) {
  let fake: Awaited<ReturnType<P['start']>>;
  before(async () => {
    fake = (await provider.start()) as typeof fake;
  });
  beforeEach(() => fake.reset());
  after(() => fake.close());
  const options = (overrides: Partial<ChatModelOptions> = {}): ChatModelOptions => ({
    ...provider.options,
    baseUrl: fake.baseUrl,
    timeoutMs: 5000,
    maxRetries: 1,
    ...overrides,
  });
  return {
    fake: () => fake,
    options,
    model: (overrides: Partial<ChatModelOptions> = {}) => createChatModel(options(overrides)),
    /** What the fakes' default reply says to the provider's question. */
    echo: `You said: ${provider.question.messages.at(-1)!.content}`,
  };
}
