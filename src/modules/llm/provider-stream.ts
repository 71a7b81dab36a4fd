import { estimateTokens } from '../../lib/text/tokens.js';
import { LlmProviderError, type ChatRequest, type ChatUsage } from './chat-model.js';
import { describeProviderFailure, isApiError, isSdkAbort, scrub, type ProviderCallContext } from './provider-errors.js';

/** What both SDKs' `Stream` offer: the events, and the controller that cancels the HTTP request. */
export interface SdkStream<Event> extends AsyncIterable<Event> {
  controller: AbortController;
}

/**
 * The SDK's error as an LlmProviderError, or the caller's abort reason when the caller aborted.
 * @example throw toLlmProviderError(error, context, request.signal)
 */
export function toLlmProviderError(error: unknown, context: ProviderCallContext, signal?: AbortSignal): unknown {
  if (signal?.aborted) return signal.reason;
  if (error instanceof LlmProviderError) return error;
  if (isSdkAbort(error)) return new LlmProviderError(`${context.where}: the request was cancelled`, true);
  const failure = describeProviderFailure(error, context);
  return new LlmProviderError(failure.message, failure.transient, failure.status);
}

/**
 * Opens a provider stream and yields its events. The SDKs' timeout only covers the wait for the
 * response headers, so a watchdog also cancels a stream that sends nothing for `timeoutMs` (it is
 * paused while the consumer holds an event: a slow client is not a stalled provider).
 *
 * Failures become LlmProviderError, the caller's abort its reason, both thrown from the `next()`
 * that met them. Ending early (the consumer's `return()`) or failing cancels the HTTP request.
 */
export async function* providerEvents<Event>(
  context: ProviderCallContext,
  signal: AbortSignal | undefined,
  open: (signal: AbortSignal) => Promise<SdkStream<Event>>,
): AsyncGenerator<Event, void, undefined> {
  const stall = new AbortController();
  const stalled = () => new LlmProviderError(`${context.where} stopped sending the answer for ${context.timeoutMs} ms`, true);
  // The connection dropped, or the stream could not be read (not an error the provider sent).
  const brokeOff = (error: unknown) =>
    new LlmProviderError(`${context.where} broke off the answer: ${scrub(error instanceof Error ? error.message : String(error), context.apiKey)}`, true);
  // The SDKs end a stream silently when it is aborted: say why it ended.
  const interrupted = () => (signal?.aborted ? signal.reason : stall.signal.aborted ? stalled() : undefined);

  let stream: SdkStream<Event>;
  try {
    stream = await open(signal ? AbortSignal.any([signal, stall.signal]) : stall.signal);
  } catch (error) {
    throw toLlmProviderError(error, context, signal);
  }
  const events = stream[Symbol.asyncIterator]();
  let finished = false;
  try {
    for (;;) {
      const watchdog = setTimeout(() => stall.abort(), context.timeoutMs);
      let step: IteratorResult<Event>;
      try {
        step = await events.next();
      } catch (error) {
        throw interrupted() ?? (isApiError(error) ? toLlmProviderError(error, context, signal) : brokeOff(error));
      } finally {
        clearTimeout(watchdog);
      }
      const reason = interrupted();
      if (reason !== undefined) throw reason;
      if (step.done) break;
      yield step.value;
    }
    finished = true;
  } finally {
    if (!finished) stream.controller.abort();
  }
}

/** Tokens a chat template adds per message (role, separators): a rough, provider-neutral figure. */
const MESSAGE_OVERHEAD_TOKENS = 4;

/**
 * Usage estimated from the text, for servers that report none (`estimated: true`).
 * @example estimateUsage({ system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }], … }, 'Hello!')
 */
export function estimateUsage(request: Pick<ChatRequest, 'system' | 'messages'>, answer: string): ChatUsage {
  const turns = request.messages.length + (request.system ? 1 : 0);
  const tokensIn = estimateTokens(request.system) + request.messages.reduce((sum, m) => sum + estimateTokens(m.content), 0) + turns * MESSAGE_OVERHEAD_TOKENS;
  return { tokensIn, tokensOut: estimateTokens(answer), estimated: true };
}
