import {
  Document,
  FootnoteReferenceRun,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
} from 'docx';
import { buildZip } from './zip-writer.js';
import type { ZipEntryInput } from './zip-writer.js';

/** A real Word document (made with the `docx` package) with a heading, lists, a table and a footnote. */
export async function makeStructuredDocx(): Promise<Buffer> {
  const document = new Document({
    numbering: {
      config: [{ reference: 'steps', levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.' }] }],
    },
    footnotes: { 1: { children: [new Paragraph('Footnote: measured in 2024.')] } },
    sections: [
      {
        children: [
          new Paragraph({ text: '就業規則 Employee Handbook', heading: HeadingLevel.HEADING_1 }),
          new Paragraph({ children: [new TextRun('Paid leave is 20 days'), new FootnoteReferenceRun(1), new TextRun('.')] }),
          new Paragraph({ text: 'Bring your badge', bullet: { level: 0 } }),
          new Paragraph({ text: 'Sign in at reception', bullet: { level: 0 } }),
          new Paragraph({ text: 'Open the form', numbering: { reference: 'steps', level: 0 } }),
          new Paragraph({ text: 'Submit it', numbering: { reference: 'steps', level: 0 } }),
          new Table({
            rows: [
              new TableRow({ children: [cell('項目'), cell('日数')] }),
              new TableRow({ children: [cell('年次有給休暇'), cell('20')] }),
            ],
          }),
          new Paragraph('End of handbook.'),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}

function cell(text: string): TableCell {
  return new TableCell({ children: [new Paragraph(text)] });
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const ROOT_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;

/** word/document.xml with the given paragraphs. */
export function documentXml(paragraphs: string[], prolog = ''): string {
  const body = paragraphs.map((text) => `<w:p><w:r><w:t>${text}</w:t></w:r></w:p>`).join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>${prolog}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`;
}

/** The smallest package mammoth accepts, plus any extra (hostile) entries. */
export function makeHandmadeDocx(options: { documentXml?: string; extraEntries?: ZipEntryInput[] } = {}): Buffer {
  return buildZip([
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    { name: '_rels/.rels', data: ROOT_RELS },
    { name: 'word/document.xml', data: options.documentXml ?? documentXml(['Hello from a handmade document.']) },
    ...(options.extraEntries ?? []),
  ]);
}

/** The classic "billion laughs": ten levels of entities, each ten times the one below. */
export function billionLaughsProlog(): string {
  let entities = '<!ENTITY lol "lol">';
  for (let level = 1; level <= 9; level++) {
    const previous = level === 1 ? 'lol' : `lol${level - 1}`;
    entities += `<!ENTITY lol${level} "${`&${previous};`.repeat(10)}">`;
  }
  return `<!DOCTYPE lolz [${entities}]>`;
}
