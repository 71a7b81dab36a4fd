import type { PDFPageProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { RenderParameters } from 'pdfjs-dist/types/src/display/api.js';

export interface RenderSettings {
  /** Resolution for OCR; tesseract reads best at ~300 dpi. */
  dpi: number;
  /** Pixels per page at most (A4 at 300 dpi is 8.7 M): a poster-sized page is rendered at a lower resolution instead. */
  maxPixels: number;
}

/**
 * The page drawn by pdf.js onto an @napi-rs/canvas (skia, prebuilt: no system libraries),
 * white background, as PNG for tesseract.
 */
export async function renderPageImage(page: PDFPageProxy, settings: RenderSettings): Promise<{ png: Buffer; width: number; height: number }> {
  const { createCanvas } = await import('@napi-rs/canvas');
  const natural = page.getViewport({ scale: 1 });
  let scale = settings.dpi / 72;
  const pixels = natural.width * scale * natural.height * scale;
  if (pixels > settings.maxPixels) scale *= Math.sqrt(settings.maxPixels / pixels);
  const viewport = page.getViewport({ scale });
  const width = Math.max(1, Math.floor(viewport.width));
  const height = Math.max(1, Math.floor(viewport.height));
  const canvas = createCanvas(width, height);
  await page.render({ canvas: canvas as unknown as RenderParameters['canvas'], viewport, background: '#ffffff' }).promise;
  return { png: await canvas.encode('png'), width, height };
}
