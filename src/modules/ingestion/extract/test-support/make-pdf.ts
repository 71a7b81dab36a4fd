import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A PDF with one page per entry; an empty string makes a blank page. Standard Helvetica, so ASCII text only. */
export async function makeTextPdf(pageTexts: string[]): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (const text of pageTexts) {
    const page = pdf.addPage([595, 842]);
    text.split('\n').forEach((line, index) => {
      page.drawText(line, { x: 50, y: 780 - index * 16, size: 12, font });
    });
  }
  return Buffer.from(await pdf.save());
}
