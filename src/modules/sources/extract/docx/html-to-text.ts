import { tidyLines } from '../../../../lib/html/dom-to-text.js';
import { parseMammothHtml } from './mammoth-html.js';
import type { HtmlElement, HtmlNode } from './mammoth-html.js';

/**
 * Renders mammoth's HTML as plain text that keeps the document's structure readable for
 * chunking and for people reading a citation:
 *   headings on their own line with a blank line around them,
 *   list items as "- " or "1. " (indented two spaces per level),
 *   table rows as one line of cells joined by " | ",
 *   footnotes and endnotes at the end as "[1] text".
 * Example: htmlToText('<ul><li>Apple</li></ul>') → '- Apple'
 */
export function mammothHtmlToText(html: string): { text: string; imageCount: number } {
  const root = parseMammothHtml(html);
  const counter = { images: 0 };
  const lines = renderBlocks(root.children, 0, counter);
  return { text: tidyLines(lines), imageCount: counter.images };
}

interface Counter {
  images: number;
}

const HEADING = /^h[1-6]$/;
const BLANK = '';

function renderBlocks(nodes: HtmlNode[], listDepth: number, counter: Counter): string[] {
  const lines: string[] = [];
  let inlineRun: HtmlNode[] = [];
  const flushInline = () => {
    if (inlineRun.length === 0) return;
    lines.push(...splitLines(renderInline(inlineRun, counter, '\n')));
    inlineRun = [];
  };
  for (const node of nodes) {
    if (typeof node === 'string' || !isBlock(node)) {
      inlineRun.push(node);
      continue;
    }
    flushInline();
    lines.push(...renderBlock(node, listDepth, counter));
  }
  flushInline();
  return lines;
}

function renderBlock(element: HtmlElement, listDepth: number, counter: Counter): string[] {
  if (HEADING.test(element.tag)) return [BLANK, renderInline(element.children, counter, ' ').trim(), BLANK];
  if (element.tag === 'ul' || element.tag === 'ol') return renderList(element, listDepth, counter);
  if (element.tag === 'table') return [BLANK, ...renderTable(element, counter), BLANK];
  // A blank line after each paragraph, so that chunkers can find paragraph boundaries.
  if (element.tag === 'p') return [...splitLines(renderInline(element.children, counter, '\n')), BLANK];
  return renderBlocks(element.children, listDepth, counter);
}

function renderList(list: HtmlElement, depth: number, counter: Counter): string[] {
  const lines: string[] = [];
  const indent = '  '.repeat(depth);
  let number = 0;
  for (const item of childElements(list)) {
    number += 1;
    const note = /^(footnote|endnote)-(\d+)$/.exec(item.attributes.id ?? '');
    const marker = note ? `[${note[2]}] ` : list.tag === 'ol' ? `${number}. ` : '- ';
    const [first = '', ...rest] = renderBlocks(item.children, depth + 1, counter).filter((line) => line.trim() !== '');
    lines.push(`${indent}${marker}${first.trim()}`);
    // Continuation paragraphs of the item line up under its text; nested lists carry their own indent.
    lines.push(...rest.map((line) => (line.startsWith(indent + '  ') ? line : `${indent}  ${line.trim()}`)));
  }
  return lines;
}

function renderTable(table: HtmlElement, counter: Counter): string[] {
  const rows = descendants(table, 'tr');
  return rows
    .map((row) =>
      childElements(row)
        .filter((cell) => cell.tag === 'td' || cell.tag === 'th')
        .map((cell) => renderBlocks(cell.children, 0, counter).map((line) => line.trim()).filter(Boolean).join(' '))
        .join(' | '),
    )
    .filter((line) => line.replace(/[\s|]/g, '') !== '');
}

/** Inline content as one string; `lineBreak` is what a <br> becomes. */
function renderInline(nodes: HtmlNode[], counter: Counter, lineBreak: string): string {
  let text = '';
  for (const node of nodes) {
    if (typeof node === 'string') text += node;
    else if (node.tag === 'br') text += lineBreak;
    else if (node.tag === 'img') counter.images += 1;
    else if (isNoteBackLink(node)) continue;
    else if (isBlock(node)) text += ` ${renderBlocks([node], 0, counter).join(' ')} `;
    else text += renderInline(node.children, counter, lineBreak);
  }
  return text;
}

/** The "↑" link mammoth puts after each note back to its reference; noise in plain text. */
function isNoteBackLink(element: HtmlElement): boolean {
  return element.tag === 'a' && /^#(footnote|endnote|comment)-ref-/.test(element.attributes.href ?? '');
}

const BLOCK_TAGS = new Set(['p', 'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tr', 'td', 'th', 'div', 'blockquote', 'hr', 'pre']);

function isBlock(element: HtmlElement): boolean {
  return BLOCK_TAGS.has(element.tag) || HEADING.test(element.tag);
}

function childElements(element: HtmlElement): HtmlElement[] {
  return element.children.filter((child): child is HtmlElement => typeof child !== 'string');
}

/** Elements with `tag` below `element`, not descending into nested tables (they render inside their cell). */
function descendants(element: HtmlElement, tag: string): HtmlElement[] {
  return childElements(element).flatMap((child) => {
    if (child.tag === tag) return [child];
    if (child.tag === 'table') return [];
    return descendants(child, tag);
  });
}

function splitLines(text: string): string[] {
  return text.split('\n');
}
