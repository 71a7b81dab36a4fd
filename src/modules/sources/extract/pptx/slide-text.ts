/**
 * The text of one slide (or notes page) from its PresentationML, in reading order of the shape
 * tree: the title first, then every other shape's paragraphs, tables as "a | b" rows. Footer,
 * date and slide-number placeholders are left out (they repeat on every slide).
 */

/** The slice of the XML DOM read here (linkedom's XML documents). */
export interface XmlElement {
  nodeName: string;
  textContent: string | null;
  children: ArrayLike<XmlElement>;
  getAttribute(name: string): string | null;
}

const FURNITURE_PLACEHOLDERS = new Set(['sldNum', 'dt', 'ftr', 'hdr', 'sldImg']);
const TITLE_PLACEHOLDERS = new Set(['title', 'ctrTitle']);

export interface SlideText {
  title: string;
  /** One entry per shape or table, in the order they are drawn. */
  blocks: string[];
}

/** Reads `p:sld` or `p:notes`; `onlyBody` keeps the notes text alone (a notes page also holds the slide image). */
export function slideText(root: XmlElement, options: { onlyBody?: boolean } = {}): SlideText {
  const result: SlideText = { title: '', blocks: [] };
  visit(root, result, options.onlyBody ?? false);
  return result;
}

function visit(element: XmlElement, result: SlideText, onlyBody: boolean): void {
  for (const child of Array.from(element.children)) {
    if (child.nodeName === 'p:sp') readShape(child, result, onlyBody);
    else if (child.nodeName === 'a:tbl') {
      if (!onlyBody) result.blocks.push(tableText(child));
    } else visit(child, result, onlyBody);
  }
}

function readShape(shape: XmlElement, result: SlideText, onlyBody: boolean): void {
  const placeholder = findFirst(shape, 'p:ph');
  const type = placeholder ? (placeholder.getAttribute('type') ?? 'body') : null;
  if (type && FURNITURE_PLACEHOLDERS.has(type)) return;
  if (onlyBody && type !== 'body') return;
  const body = findFirst(shape, 'p:txBody');
  if (!body) return;
  const text = paragraphs(body).join('\n').trim();
  if (text === '') return;
  if (type && TITLE_PLACEHOLDERS.has(type) && result.title === '') result.title = text.replace(/\n+/g, ' ');
  else result.blocks.push(text);
}

function tableText(table: XmlElement): string {
  return descendants(table, 'a:tr')
    .map((row) => descendants(row, 'a:tc').map((cell) => paragraphs(cell).join(' ').trim()).join(' | '))
    .filter((line) => line.replace(/[\s|]/g, '') !== '')
    .join('\n');
}

/** Each `a:p` as a line: its runs and fields joined, `a:br` a line break inside it. */
function paragraphs(container: XmlElement): string[] {
  return descendants(container, 'a:p').map((paragraph) => {
    let line = '';
    for (const part of Array.from(paragraph.children)) {
      if (part.nodeName === 'a:br') line += '\n';
      else if (part.nodeName === 'a:r' || part.nodeName === 'a:fld') line += findFirst(part, 'a:t')?.textContent ?? '';
    }
    return line.replace(/[ \t]+/g, ' ').trim();
  }).filter((line) => line !== '');
}

function findFirst(element: XmlElement, name: string): XmlElement | undefined {
  for (const child of Array.from(element.children)) {
    if (child.nodeName === name) return child;
    const found = findFirst(child, name);
    if (found) return found;
  }
  return undefined;
}

/** Elements named `name` below `element`, not descending into a match (paragraphs do not nest). */
function descendants(element: XmlElement, name: string): XmlElement[] {
  return Array.from(element.children).flatMap((child) => (child.nodeName === name ? [child] : descendants(child, name)));
}
