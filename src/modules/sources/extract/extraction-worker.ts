/**
 * Entry point of the extraction worker process (forked by run-isolated.ts): receives one
 * ExtractionRequest, replies once, exits. Anything that goes wrong in here — a parser bug, an
 * endless loop, running out of memory — ends this process only.
 */
import { ExtractionError, corruptFile, describeCause } from './errors.js';
import { prepareDocument } from './prepare-chunks.js';
import { extractInProcess } from './extract-in-process.js';
import type { ExtractionReply, ExtractionRequest } from './worker-protocol.js';

// Without a parent there is nobody to answer; don't linger as an orphan.
process.on('disconnect', () => process.exit(0));

process.once('message', (request: ExtractionRequest) => {
  void handle(request).then((reply) => {
    process.send?.(reply, () => process.exit(0));
  });
});

async function handle(request: ExtractionRequest): Promise<ExtractionReply> {
  try {
    const result = await extractInProcess(request.filePath, request.kind, request.limits);
    if (!request.chunking) return { ok: true, result };
    const started = performance.now();
    const { pages, chunks } = prepareDocument(request.kind, result.pages, request.chunking);
    return { ok: true, result: { ...result, pages, chunks, chunkMs: Math.round(performance.now() - started) } };
  } catch (error) {
    const failure =
      error instanceof ExtractionError ? error : corruptFile({ ja: 'ファイルを解析できませんでした', en: 'the file could not be parsed' }, describeCause(error));
    return { ok: false, error: failure.toJSON() };
  }
}
