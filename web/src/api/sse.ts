// The one Server-Sent Events parser: the widget's (widget/src/sse.ts), pure and small enough for its
// bundle, also parses the dashboard's streams (web/README.md, "Choices").
import { createSseParser } from '../../../widget/src/sse.js';

/** One Server-Sent Event: its name (`message` when unnamed) and its data, parsed when it is JSON. */
export interface StreamEvent {
  event: string;
  data: unknown;
}

/**
 * Reads a text/event-stream body event by event (fetch + ReadableStream: EventSource cannot POST).
 * @example for await (const e of readEvents(res.body!)) if (e.event === 'delta') …
 */
export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<StreamEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = createSseParser();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      for (const { event, data } of parser.push(done ? decoder.decode() : decoder.decode(value, { stream: true }))) yield { event, data: jsonOrText(data) };
      if (done) return;
    }
  } finally {
    reader.releaseLock();
  }
}

function jsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
