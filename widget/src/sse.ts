// Pure (no DOM): the server's unit tests import this file too.

/** One Server-Sent Event: its name (`message` when unnamed) and its data lines joined by \n. */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * An incremental text/event-stream parser (the WHATWG rules the widget needs: `event:` and `data:`
 * fields, comments, any line ending). Push decoded text as it arrives, in pieces of any size; it
 * returns the events completed by that piece.
 *
 * @example const parser = createSseParser(); parser.push('event: delta\ndata: {"text":"a"}\n\n')
 */
export function createSseParser(): { push(text: string): SseEvent[] } {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  return {
    push(text) {
      buffer += text;
      const events: SseEvent[] = [];
      for (;;) {
        const end = /\r\n|\r|\n/.exec(buffer);
        // A trailing \r may be the first half of \r\n: wait for the next piece.
        if (!end || (end[0] === '\r' && end.index === buffer.length - 1)) break;
        const line = buffer.slice(0, end.index);
        buffer = buffer.slice(end.index + end[0].length);
        if (line === '') {
          if (data.length > 0) events.push({ event: event || 'message', data: data.join('\n') });
          event = '';
          data = [];
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + (line[colon + 1] === ' ' ? 2 : 1));
        if (field === 'event') event = value;
        else if (field === 'data') data.push(value);
      }
      return events;
    },
  };
}
