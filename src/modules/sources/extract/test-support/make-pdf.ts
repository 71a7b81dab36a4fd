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

/**
 * A PDF written object by object (object n is `objects[n-1]`, object 1 the catalog), with a
 * correct cross-reference table: for files no PDF library would write (encrypted stubs, lying
 * page counts, absurdly deep object graphs).
 */
export function handmadePdf(objects: string[], trailerExtra = ''): Buffer {
  let out = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const offset = out.length;
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return offset;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** One page showing `text` in Helvetica, with `resources` merged into its resource dictionary. */
export function handmadeTextPage(text: string, extra: { pagesCount?: number; pageExtra?: string } = {}): string[] {
  const content = `BT /F1 12 Tf 50 780 Td (${text}) Tj ET`;
  return [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [3 0 R] /Count ${extra.pagesCount ?? 1} >>`,
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> ${extra.pageExtra ?? ''}>>`,
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
}
