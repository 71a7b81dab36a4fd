import { GlobalFonts, createCanvas } from '@napi-rs/canvas';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** Texts the OCR tests scan and expect back. */
export const JAPANESE_SCAN = '就業規則の第十二条では、社員の有給休暇について定めています。\n申請は三日前までに上長へ提出してください。';
export const ENGLISH_SCAN = 'Expense reports are due on the 25th of every month.\nSubmit leave requests three days in advance.';

const FONTS = {
  sans: { file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'Noto Sans CJK JP' },
  serif: { file: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', family: 'Noto Serif CJK JP' },
};
const registered = new Set<string>();

/** What one page of a made-up scan looks like. */
export interface ScanOptions {
  /** Pixels per inch of the "scanner"; the page is A4. */
  dpi?: number;
  /** Font size in points. */
  fontPt?: number;
  /** Degrees the sheet lies crooked on the glass. */
  rotateDeg?: number;
  /** Share of pixels flipped to grey specks (0–1). */
  noise?: number;
  /** Lines per page are drawn from the top; a page this tall (points) keeps test images small. */
  heightPt?: number;
  /** Noto Sans CJK (gothic) or Noto Serif CJK (mincho, as contracts are often set). */
  font?: keyof typeof FONTS;
}

/**
 * A greyscale "scan" of `text` (lines split on \n) in Noto Sans or Serif CJK, as PNG bytes: what a
 * scanner gives for a printed page, to feed OCR text we know.
 */
export function scanImage(text: string, options: ScanOptions = {}): { png: Buffer; widthPt: number; heightPt: number } {
  const { dpi = 200, fontPt = 14, rotateDeg = 0, noise = 0, font = 'sans' } = options;
  const { file, family } = FONTS[font];
  if (!registered.has(family) && GlobalFonts.registerFromPath(file, family) !== null) registered.add(family);
  const lines = text.split('\n');
  const widthPt = 595;
  const heightPt = options.heightPt ?? Math.min(842, 72 + lines.length * fontPt * 1.8 + 36);
  const scale = dpi / 72;
  const canvas = createCanvas(Math.round(widthPt * scale), Math.round(heightPt * scale));
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.translate(canvas.width / 2, canvas.height / 2);
  context.rotate((rotateDeg * Math.PI) / 180);
  context.translate(-canvas.width / 2, -canvas.height / 2);
  context.fillStyle = '#111111';
  context.font = `${fontPt * scale}px "${family}"`;
  context.textBaseline = 'top';
  lines.forEach((line, index) => context.fillText(line, 50 * scale, (40 + index * fontPt * 1.8) * scale));
  if (noise > 0) speckle(context, canvas.width, canvas.height, noise);
  return { png: canvas.toBuffer('image/png'), widthPt, heightPt };
}

/** Deterministic specks, so a measured error rate is the same on every run. */
function speckle(context: ReturnType<ReturnType<typeof createCanvas>['getContext']>, width: number, height: number, share: number): void {
  const image = context.getImageData(0, 0, width, height);
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  for (let pixel = 0; pixel < width * height; pixel++) {
    if (random() >= share) continue;
    const grey = Math.round(random() * 160 + 60);
    image.data.set([grey, grey, grey], pixel * 4);
  }
  context.putImageData(image, 0, 0);
}

/**
 * A PDF with one page per entry: a string is scanned (an image-only page, no text layer),
 * `{ text }` is a page with a real text layer (Helvetica, ASCII) and `{ blank: true }` a scan of
 * an empty sheet.
 */
export async function makeScannedPdf(pages: Array<string | { text: string } | { blank: true }>, options: ScanOptions = {}): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const entry of pages) {
    if (typeof entry === 'object' && 'text' in entry) {
      const page = pdf.addPage([595, 842]);
      entry.text.split('\n').forEach((line, index) => page.drawText(line, { x: 50, y: 780 - index * 16, size: 12, font }));
      continue;
    }
    const { png, widthPt, heightPt } = scanImage(typeof entry === 'string' ? entry : '', options);
    const page = pdf.addPage([widthPt, heightPt]);
    page.drawImage(await pdf.embedPng(png), { x: 0, y: 0, width: widthPt, height: heightPt });
  }
  return Buffer.from(await pdf.save());
}
