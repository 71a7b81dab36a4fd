import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readEvents, type StreamEvent } from '../../../web/src/api/sse.js';

// The chat's event stream as the dashboard reads it (web/src/api/sse.ts, on the widget's parser):
// the bytes may arrive cut anywhere, even inside a character or between the two halves of a \r\n.

const STREAM = 'event: delta\ndata: {"text":"入社後"}\n\n: keep-alive\n\nevent: delta\r\ndata: {"text":"10日"}\r\n\r\nevent: sources\ndata: {"sources":[]}\n\ndata: plain\ndata: text\r\rdata: {"unfinished":true}';

function bodyOf(pieces: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      controller.close();
    },
  });
}

async function eventsOf(body: ReadableStream<Uint8Array>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of readEvents(body)) events.push(event);
  return events;
}

describe('reading Server-Sent Events', () => {
  test('the same events whether the stream arrives whole or one byte at a time', async () => {
    const bytes = new TextEncoder().encode(STREAM);
    const whole = await eventsOf(bodyOf([bytes]));
    assert.deepEqual(whole, [
      { event: 'delta', data: { text: '入社後' } },
      { event: 'delta', data: { text: '10日' } },
      { event: 'sources', data: { sources: [] } },
      { event: 'message', data: 'plain\ntext' },
    ]);
    assert.deepEqual(await eventsOf(bodyOf([...bytes].map((byte) => Uint8Array.of(byte)))), whole, 'an event without its blank line is never given');
  });
});
