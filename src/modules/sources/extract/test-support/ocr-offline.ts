/**
 * Run by extract.ocr.test.ts under `--import deny-network.mjs`: OCRs one PDF in this process
 * (worker threads included) and prints what came out, as JSON.
 */
import { extractInProcess } from '../extract-in-process.js';
import { defaultExtractionLimits } from '../types.js';

const blockerWorks = await fetch('http://blocker.test/').then(
  () => false,
  (error: unknown) => String(error).includes('refused'),
);
const result = await extractInProcess(process.argv[2]!, 'pdf', defaultExtractionLimits);
process.stdout.write(JSON.stringify({ text: result.pages.map((p) => p.text).join('\n'), ocrPages: result.ocrPages, blockerWorks }));
