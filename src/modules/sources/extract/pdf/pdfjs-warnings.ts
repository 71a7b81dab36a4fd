/**
 * pdf.js reports what it repaired ("Indexing all PDF objects", "Invalid stream") only through
 * console.warn. The extraction runs alone in its worker process, so redirecting console.warn
 * while a document is read is safe, and keeps the messages off the worker's stderr.
 */
const MAX_MESSAGES = 100;

export function collectPdfjsWarnings(): { messages: string[]; stop: () => void } {
  const messages: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    const message = args.map(String).join(' ').replace(/^Warning:\s*/, '');
    if (messages.length < MAX_MESSAGES && !messages.includes(message)) messages.push(message);
  };
  return {
    messages,
    stop: () => {
      console.warn = original;
    },
  };
}
