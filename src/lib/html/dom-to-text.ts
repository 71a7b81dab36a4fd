/**
 * Renders a DOM subtree as plain text that keeps the document's structure for chunking and for
 * people reading a citation — the same shape the DOCX reader produces:
 *   headings on their own line with a blank line around them (the chunker starts a section there),
 *   paragraphs separated by a blank line, list items as "- " or "1. " (two spaces per level),
 *   table rows as one line of cells joined by " | ", preformatted text kept as written.
 * Scripts, styles, forms, images and other non-text elements are skipped.
 * Example: domToText(parseHTML('<h1>規程</h1><p>本文</p>').document.body) → '規程\n\n本文'
 */

/** The slice of the DOM this renderer reads; linkedom's and the browser's nodes both fit. */
export interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
  getAttribute?: (name: string) => string | null;
}

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;
const BLANK = '';
const HEADING = /^H[1-6]$/;
const SKIPPED = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'CANVAS', 'IFRAME', 'OBJECT', 'EMBED', 'VIDEO', 'AUDIO', 'IMG', 'PICTURE', 'BUTTON', 'INPUT', 'SELECT', 'TEXTAREA', 'HEAD', 'META', 'LINK']);
const BLOCKS = new Set([
  'P', 'DIV', 'SECTION', 'ARTICLE', 'MAIN', 'ASIDE', 'HEADER', 'FOOTER', 'NAV', 'BLOCKQUOTE', 'FIGURE', 'FIGCAPTION',
  'UL', 'OL', 'LI', 'DL', 'DT', 'DD', 'TABLE', 'THEAD', 'TBODY', 'TFOOT', 'TR', 'TD', 'TH', 'CAPTION', 'PRE', 'HR',
  'ADDRESS', 'DETAILS', 'SUMMARY', 'FORM', 'FIELDSET', 'BODY', 'HTML',
]);

export function domToText(root: DomNode): string {
  return tidyLines(renderBlocks(children(root), 0));
}

function renderBlocks(nodes: DomNode[], listDepth: number): string[] {
  const lines: string[] = [];
  let inlineRun: DomNode[] = [];
  const flushInline = () => {
    if (inlineRun.length === 0) return;
    lines.push(...renderInline(inlineRun).split('\n'), BLANK);
    inlineRun = [];
  };
  for (const node of nodes) {
    if (isSkipped(node)) continue;
    if (node.nodeType === TEXT_NODE || !isBlock(node)) {
      inlineRun.push(node);
      continue;
    }
    flushInline();
    lines.push(...renderBlock(node, listDepth));
  }
  flushInline();
  return lines;
}

function renderBlock(element: DomNode, listDepth: number): string[] {
  const tag = element.nodeName.toUpperCase();
  if (HEADING.test(tag)) return [BLANK, renderInline(children(element)).replace(/\s*\n\s*/g, ' ').trim(), BLANK];
  if (tag === 'UL' || tag === 'OL') return renderList(element, tag === 'OL', listDepth);
  if (tag === 'TABLE') return [BLANK, ...renderTable(element), BLANK];
  if (tag === 'PRE') return [BLANK, ...(element.textContent ?? '').split('\n'), BLANK];
  if (tag === 'HR') return [BLANK];
  return [...renderBlocks(children(element), listDepth), BLANK];
}

function renderList(list: DomNode, numbered: boolean, depth: number): string[] {
  const lines: string[] = [];
  const indent = '  '.repeat(depth);
  let number = 0;
  for (const item of children(list).filter(isElement)) {
    if (item.nodeName.toUpperCase() !== 'LI') continue;
    number += 1;
    const marker = numbered ? `${number}. ` : '- ';
    const [first = '', ...rest] = renderBlocks(children(item), depth + 1).filter((line) => line.trim() !== '');
    lines.push(`${indent}${marker}${first.trim()}`);
    // Continuation paragraphs line up under the item's text; nested lists carry their own indent.
    lines.push(...rest.map((line) => (line.startsWith(indent + '  ') ? line : `${indent}  ${line.trim()}`)));
  }
  return [...lines, BLANK];
}

function renderTable(table: DomNode): string[] {
  return rowsOf(table)
    .map((row) =>
      children(row)
        .filter((cell) => isElement(cell) && /^T[DH]$/.test(cell.nodeName.toUpperCase()))
        .map((cell) => renderBlocks(children(cell), 0).map((line) => line.trim()).filter(Boolean).join(' '))
        .join(' | '),
    )
    .filter((line) => line.replace(/[\s|]/g, '') !== '');
}

/** The table's rows, not descending into nested tables (they render inside their cell). */
function rowsOf(element: DomNode): DomNode[] {
  return children(element)
    .filter(isElement)
    .flatMap((child) => {
      const tag = child.nodeName.toUpperCase();
      if (tag === 'TR') return [child];
      if (tag === 'TABLE') return [];
      return rowsOf(child);
    });
}

/** Inline content as one string: whitespace collapsed as a browser does, <br> as a line break. */
function renderInline(nodes: DomNode[]): string {
  let text = '';
  for (const node of nodes) {
    if (isSkipped(node)) continue;
    if (node.nodeType === TEXT_NODE) text += (node.textContent ?? '').replace(/[ \t\n\r\f]+/g, ' ');
    else if (node.nodeName.toUpperCase() === 'BR') text += '\n';
    else if (isBlock(node)) text += ` ${renderBlocks([node], 0).filter(Boolean).join(' ')} `;
    else if (node.nodeType === ELEMENT_NODE) text += renderInline(children(node));
  }
  return text
    .split('\n')
    .map((line) => line.trim())
    .join('\n');
}

function isSkipped(node: DomNode): boolean {
  if (node.nodeType !== TEXT_NODE && node.nodeType !== ELEMENT_NODE) return true; // comments, doctype
  return node.nodeType === ELEMENT_NODE && (SKIPPED.has(node.nodeName.toUpperCase()) || node.getAttribute?.('hidden') !== null && node.getAttribute?.('hidden') !== undefined);
}

const isElement = (node: DomNode) => node.nodeType === ELEMENT_NODE;
const isBlock = (node: DomNode) => isElement(node) && (BLOCKS.has(node.nodeName.toUpperCase()) || HEADING.test(node.nodeName.toUpperCase()));
const children = (node: DomNode): DomNode[] => Array.from(node.childNodes);

/** Trims line ends, collapses runs of blank lines to one and drops leading/trailing blanks. */
export function tidyLines(lines: string[]): string {
  return lines
    .map((line) => line.replace(/\s+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
