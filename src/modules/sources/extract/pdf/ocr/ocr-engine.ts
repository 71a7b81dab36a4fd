import type { Worker } from 'tesseract.js';
import { OCR_LANGUAGES, trainedDataFolder } from './trained-data.js';

/**
 * Below this mean word confidence (0–100) a page is a picture, not text: tesseract reads photos and
 * drawings as junk (「圃ーーア」「國談 aa」) at 37–46, and the scanned text pages of our tests at 94–95.
 * Such a page is left out, so a photo-only PDF still ends as NO_TEXT instead of indexing junk.
 */
const MIN_CONFIDENCE = 60;

/** One tesseract.js worker (a thread of the extraction process), started when the first page needs it. */
export interface OcrEngine {
  /** The page's text ('' when it holds no legible text), or 'timeout' when it took longer than `timeoutMs` (the thread is then stopped). */
  read(image: Buffer, timeoutMs: number): Promise<string | 'timeout'>;
  close(): Promise<void>;
}

/**
 * Everything is local: the trained data from the `@tesseract.js-data/*` packages (langPath),
 * no cache written (cacheMethod none), and in Node tesseract.js takes its worker script and its
 * WebAssembly core from its own packages (no workerPath/corePath URLs).
 */
export async function startOcrEngine(variant?: string): Promise<OcrEngine> {
  const { createWorker, OEM } = await import('tesseract.js');
  const langPath = await trainedDataFolder(variant);
  let worker: Promise<Worker> | undefined;
  const start = () => createWorker([...OCR_LANGUAGES].join('+'), OEM.LSTM_ONLY, { langPath, cacheMethod: 'none', gzip: true });
  const stop = async () => {
    const running = worker;
    worker = undefined;
    await (await running?.catch(() => undefined))?.terminate();
  };

  return {
    async read(image, timeoutMs) {
      worker ??= start();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      try {
        const outcome = await Promise.race([worker.then((w) => w.recognize(image)), timedOut]);
        if (outcome !== 'timeout') return outcome.data.confidence >= MIN_CONFIDENCE ? outcome.data.text : '';
        // A recognition cannot be cancelled: the thread goes, and the next page starts a new one.
        await stop();
        return 'timeout';
      } finally {
        clearTimeout(timer);
      }
    },
    close: stop,
  };
}
