import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, toAppError } from '../../http/error-handler.js';
import { requestLanguage } from '../../http/language.js';
import type { ChatResponse, ChatSource } from './chat.schemas.js';

export type AnswerStream = AsyncGenerator<string, ChatResponse, undefined>;

/** The same answer, its sources changed once it is complete (the widget signs their links). */
export async function* withSources(answer: AnswerStream, change: (sources: ChatSource[]) => ChatSource[]): AnswerStream {
  const complete = yield* answer;
  return { ...complete, sources: change(complete.sources) };
}

export const wantsEventStream = (request: FastifyRequest) => /\btext\/event-stream\b/.test(request.headers.accept ?? '');

const sse = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

/**
 * Sends an answer as JSON, or as Server-Sent Events when the client asked for them. The first
 * delta is awaited before anything is written, so refusals stay plain HTTP errors. A client that
 * goes away aborts the signal, which cancels the provider call.
 */
export async function sendAnswer(request: FastifyRequest, reply: FastifyReply, ask: (signal: AbortSignal) => AnswerStream): Promise<ChatResponse | undefined> {
  const controller = new AbortController();
  const onClose = () => {
    if (!reply.raw.writableEnded) controller.abort(new Error('the client closed the connection'));
  };
  reply.raw.on('close', onClose);
  const answer = ask(controller.signal);
  let step: IteratorResult<string, ChatResponse>;
  try {
    step = await answer.next();
    if (!wantsEventStream(request)) {
      while (!step.done) step = await answer.next();
      return step.value;
    }
  } catch (error) {
    // Nobody is listening any more: nothing to send, and nothing went wrong on our side.
    if (controller.signal.aborted) return void reply.hijack();
    throw error;
  }

  reply.hijack();
  // Hooks do not run for a hijacked reply: headers set so far (CORS, rate limits) are written here.
  reply.raw.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string | number | string[]>),
    'content-type': 'text/event-stream; charset=utf-8',
    // Per user, like every API answer: no cache keeps it (no-transform: proxies leave the stream alone).
    'cache-control': 'no-store, no-transform',
    connection: 'keep-alive',
    // Proxies such as nginx would otherwise buffer the stream.
    'x-accel-buffering': 'no',
    'x-request-id': request.id,
  });
  try {
    for (; !step.done; step = await answer.next()) reply.raw.write(sse('delta', { text: step.value }));
    const { sources, conversation_id, message_id, metadata } = step.value;
    reply.raw.write(sse('sources', { sources }));
    reply.raw.write(sse('metadata', { conversation_id, message_id, metadata }));
    reply.raw.write(sse('done', {}));
  } catch (error) {
    if (!controller.signal.aborted) reply.raw.write(sse('error', errorBody(toAppError(error as never, request), requestLanguage(request))));
  } finally {
    reply.raw.off('close', onClose);
    reply.raw.end();
  }
  return undefined;
}
