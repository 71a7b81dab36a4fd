import ExcelJS from 'exceljs';
import { buildZip } from './zip-writer.js';
import type { ZipEntryInput } from './zip-writer.js';

/**
 * A real workbook written by exceljs: a Japanese sheet name, a title row above the headers, a
 * formula with its cached result, a cell merged down two rows and one merged across two
 * columns, a date; a second sheet, and an empty third one.
 */
export async function makeXlsx(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const prices = workbook.addWorksheet('価格表2024');
  prices.addRow(['2024年度 果物価格表']);
  prices.addRow([]);
  prices.addRow(['分類', '商品', '単価', '数量', '金額', '入荷日']);
  prices.addRow(['果物', 'りんご', 120, 3, { formula: 'C4*D4', result: 360 }, new Date(Date.UTC(2024, 3, 1))]);
  prices.addRow([null, 'みかん', 80, 5, { formula: 'C5*D5', result: 400 }, new Date(Date.UTC(2024, 3, 2))]);
  prices.addRow(['備考', '産地直送、冷蔵で保管すること']);
  prices.mergeCells('A4:A5'); // 果物 for both rows
  prices.mergeCells('B6:F6'); // the note across the row
  const staff = workbook.addWorksheet('担当者');
  staff.addRow(['氏名', '部署', '内線']);
  staff.addRow(['山田太郎', '購買部', '1234']);
  workbook.addWorksheet('空のシート');
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const PRESENTATION_NS = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export interface SlideInput {
  title: string;
  body?: string[];
  /** Rows of a table on the slide. */
  table?: string[][];
  notes?: string;
}

const paragraphs = (lines: string[]) => lines.map((line) => `<a:p><a:r><a:rPr lang="ja-JP"/><a:t>${escapeXml(line)}</a:t></a:r></a:p>`).join('');
const shape = (placeholder: string, lines: string[]) =>
  `<p:sp><p:nvSpPr><p:cNvPr id="2" name="s"/><p:cNvSpPr/><p:nvPr><p:ph type="${placeholder}"/></p:nvPr></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/>${paragraphs(lines)}</p:txBody></p:sp>`;
const table = (rows: string[][]) =>
  `<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="4" name="t"/><p:cNvGraphicFramePr/><p:nvPr/></p:nvGraphicFramePr><p:xfrm/><a:graphic><a:graphicData><a:tbl>${rows
    .map((row) => `<a:tr h="1">${row.map((cell) => `<a:tc><a:txBody><a:bodyPr/>${paragraphs([cell])}</a:txBody></a:tc>`).join('')}</a:tr>`)
    .join('')}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>`;

/**
 * A PowerPoint file zipped from hand-written PresentationML: the parts PowerPoint needs to find
 * the slides (content types, presentation.xml and its relationships), each slide with a title,
 * body text, a table, a slide-number placeholder (which must not be read), and notes pages.
 * The slides are listed in presentation.xml in an order other than their file names.
 */
export function makePptx(slides: SlideInput[], options: { extraEntries?: ZipEntryInput[] } = {}): Buffer {
  const entries: ZipEntryInput[] = [
    {
      name: '[Content_Types].xml',
      data:
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>',
    },
    { name: '_rels/.rels', data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="ppt/presentation.xml"/></Relationships>` },
  ];
  // File names run backwards (the first slide is the last file), so order must come from presentation.xml.
  const fileNumber = (index: number) => slides.length - index;
  entries.push({
    name: 'ppt/presentation.xml',
    data: `<?xml version="1.0" encoding="UTF-8"?><p:presentation ${PRESENTATION_NS}><p:sldIdLst>${slides.map((_, i) => `<p:sldId id="${256 + i}" r:id="rId${i + 2}"/>`).join('')}</p:sldIdLst></p:presentation>`,
  });
  entries.push({
    name: 'ppt/_rels/presentation.xml.rels',
    data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${slides
      .map((_, i) => `<Relationship Id="rId${i + 2}" Type="${REL}/slide" Target="slides/slide${fileNumber(i)}.xml"/>`)
      .join('')}</Relationships>`,
  });
  slides.forEach((slide, i) => {
    const n = fileNumber(i);
    const tree = shape('title', [slide.title]) + (slide.body ? shape('body', slide.body) : '') + (slide.table ? table(slide.table) : '') + shape('sldNum', [String(i + 1)]);
    entries.push({ name: `ppt/slides/slide${n}.xml`, data: `<?xml version="1.0" encoding="UTF-8"?><p:sld ${PRESENTATION_NS}><p:cSld><p:spTree>${tree}</p:spTree></p:cSld></p:sld>` });
    if (!slide.notes) return;
    entries.push({
      name: `ppt/slides/_rels/slide${n}.xml.rels`,
      data: `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/notesSlide" Target="../notesSlides/notesSlide${n}.xml"/></Relationships>`,
    });
    const notesTree = shape('sldImg', []) + shape('body', [slide.notes]) + shape('sldNum', [String(i + 1)]);
    entries.push({ name: `ppt/notesSlides/notesSlide${n}.xml`, data: `<?xml version="1.0" encoding="UTF-8"?><p:notes ${PRESENTATION_NS}><p:cSld><p:spTree>${notesTree}</p:spTree></p:cSld></p:notes>` });
  });
  return buildZip([...entries, ...(options.extraEntries ?? [])]);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
